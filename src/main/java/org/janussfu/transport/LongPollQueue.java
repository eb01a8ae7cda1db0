package org.janussfu.transport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import org.janussfu.core.EventSink;
import org.janussfu.core.Replies;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The event queue of a session created (or claimed) over HTTP, drained by {@code GET /janus/<session>} long
 * polls: an event waits here until a poll takes it; a poll waits here until an event comes or the timeout
 * answers it with {@code {"janus":"keepalive"}}. With {@code maxev} &gt; 1 a poll returns a JSON array of up
 * to that many events. Owned by the session's context: the core sends events there, and polls are parked
 * there; only the client-gone callback hops in from the HTTP connection's loop. Bounded: when full, the
 * oldest event is dropped and counted.
 */
final class LongPollQueue implements EventSink {
    private final Vertx vertx;
    private final Context context;
    private final long sessionId;
    private final int maxQueued;
    private final long timeoutMillis;
    private final TransportCounters counters;
    private final ArrayDeque<ObjectNode> events = new ArrayDeque<>();
    private HttpServerResponse parked;
    private int parkedMaxEvents;
    private long parkedTimer = -1;

    LongPollQueue(Vertx vertx, Context context, long sessionId, HttpConfig config, TransportCounters counters) {
        this.vertx = vertx;
        this.context = context;
        this.sessionId = sessionId;
        this.maxQueued = config.maxQueuedEvents();
        this.timeoutMillis = TimeUnit.SECONDS.toMillis(config.longPollTimeoutSeconds());
        this.counters = counters;
    }

    /** Parks (or at once answers) a long poll; called on the session's context. */
    void poll(HttpServerResponse response, int maxEvents) {
        counters.longPolls.increment();
        if (parked != null) {
            // A newer poll replaces the older one, which gets a keepalive so that the client re-polls.
            answer(keepalive());
        }
        if (!events.isEmpty()) {
            respond(response, maxEvents);
            return;
        }
        parked = response;
        parkedMaxEvents = maxEvents;
        parkedTimer = vertx.setTimer(timeoutMillis, t -> {
            if (parked == response) {
                parkedTimer = -1;
                answer(keepalive());
            }
        });
        response.closeHandler(v -> context.runOnContext(x -> {
            if (parked == response) {
                clearParked();
            }
        }));
    }

    @Override
    public void send(ObjectNode event) {
        if (events.size() >= maxQueued) {
            events.pollFirst();
            counters.eventsDroppedQueueFull.increment();
        }
        events.addLast(event);
        if (parked != null) {
            HttpServerResponse r = parked;
            int max = parkedMaxEvents;
            clearParked();
            respond(r, max);
        }
    }

    @Override
    public void sessionDetached(long id) {
        if (parked != null) {
            HttpServerResponse r = parked;
            int max = parkedMaxEvents;
            clearParked();
            if (events.isEmpty()) {
                HttpTransport.sendJson(r, keepalive());
            } else {
                respond(r, max);
            }
        }
    }

    private void respond(HttpServerResponse response, int maxEvents) {
        if (maxEvents <= 1) {
            HttpTransport.sendJson(response, events.pollFirst());
            return;
        }
        ArrayNode array = Replies.JSON.arrayNode();
        while (!events.isEmpty() && array.size() < maxEvents) {
            array.add(events.pollFirst());
        }
        HttpTransport.sendJson(response, array);
    }

    private void answer(ObjectNode body) {
        HttpServerResponse r = parked;
        clearParked();
        HttpTransport.sendJson(r, body);
    }

    private void clearParked() {
        if (parkedTimer >= 0) {
            vertx.cancelTimer(parkedTimer);
            parkedTimer = -1;
        }
        parked = null;
    }

    private static ObjectNode keepalive() {
        ObjectNode o = Replies.JSON.objectNode();
        o.put("janus", "keepalive");
        return o;
    }

    @Override
    public String describe() {
        return "http long-poll (session " + sessionId + ")";
    }
}
