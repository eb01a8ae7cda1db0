package org.janussfu.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import org.janussfu.core.EventSink;
import org.janussfu.core.Replies;
import org.janussfu.core.Utf8;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The event queue of a session created (or claimed) over HTTP, drained by {@code GET /janus/<session>} long
 * polls: an event waits here until a poll takes it; a poll waits here until an event comes or the timeout
 * answers it with {@code {"janus":"keepalive"}}. With {@code maxev} &gt; 1 a poll returns a JSON array of up
 * to that many events. Owned by the session's context: the core sends events there, and polls are parked
 * there; only the client-gone callback hops in from the HTTP connection's loop. Bounded in count
 * ({@code max-queued-events}) and in bytes ({@code max-queued-bytes}, the UTF-8 size of the serialised events,
 * which is what is kept), and all sessions together by {@code max-queued-bytes-total}: when over any, the oldest
 * events are dropped and counted. A detached queue (session destroyed or claimed away) gives its bytes back.
 */
final class LongPollQueue implements EventSink {
    private final Vertx vertx;
    private final Context context;
    private final long sessionId;
    private final int maxQueued;
    private final long maxQueuedBytes;
    private final long maxQueuedBytesTotal;
    private long queuedBytes;
    private boolean detached;
    private final long timeoutMillis;
    private final TransportCounters counters;
    /** Serialised events, oldest first, each with its UTF-8 size. */
    private final ArrayDeque<Queued> events = new ArrayDeque<>();
    private HttpServerResponse parked;
    private int parkedMaxEvents;
    private long parkedTimer = -1;

    LongPollQueue(Vertx vertx, Context context, long sessionId, HttpConfig config, TransportCounters counters) {
        this.vertx = vertx;
        this.context = context;
        this.sessionId = sessionId;
        this.maxQueued = config.maxQueuedEvents();
        this.maxQueuedBytes = config.maxQueuedBytes();
        this.maxQueuedBytesTotal = config.maxQueuedBytesTotal();
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
        if (detached) {
            counters.eventsDroppedClosed.increment();
            return;
        }
        String text = JsonCodec.write(event);
        long bytes = Utf8.encodedLength(text);
        if (bytes > maxQueuedBytes) {
            // Alone over the budget: never stored.
            counters.eventsDroppedQueueBytes.increment();
            return;
        }
        while (events.size() >= maxQueued) {
            dropOldest();
            counters.eventsDroppedQueueFull.increment();
        }
        while (queuedBytes + bytes > maxQueuedBytes) {
            dropOldest();
            counters.eventsDroppedQueueBytes.increment();
        }
        // The budget of all HTTP sessions together: this session's oldest events go first, then this event.
        while (counters.httpQueuedBytes.get() + bytes > maxQueuedBytesTotal) {
            counters.eventsDroppedQueueTotal.increment();
            if (events.isEmpty()) {
                return;
            }
            dropOldest();
        }
        counters.httpQueuedBytes.addAndGet(bytes);
        events.addLast(new Queued(text, bytes));
        queuedBytes += bytes;
        if (parked != null) {
            HttpServerResponse r = parked;
            int max = parkedMaxEvents;
            clearParked();
            respond(r, max);
        }
    }

    /** Bytes of the events waiting now (tests). */
    long queuedBytes() {
        return queuedBytes;
    }

    private void dropOldest() {
        Queued q = events.pollFirst();
        if (q != null) {
            queuedBytes -= q.bytes;
            counters.httpQueuedBytes.addAndGet(-q.bytes);
        }
    }

    private Queued take() {
        Queued q = events.pollFirst();
        queuedBytes -= q.bytes;
        counters.httpQueuedBytes.addAndGet(-q.bytes);
        return q;
    }

    private record Queued(String text, long bytes) {
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
        // Nobody can poll this queue any more: give its bytes back to the server-wide budget.
        detached = true;
        while (!events.isEmpty()) {
            dropOldest();
        }
    }

    private void respond(HttpServerResponse response, int maxEvents) {
        if (maxEvents <= 1) {
            HttpTransport.sendText(response, take().text);
            return;
        }
        StringBuilder array = new StringBuilder().append('[');
        for (int n = 0; !events.isEmpty() && n < maxEvents; n++) {
            if (n > 0) {
                array.append(',');
            }
            array.append(take().text);
        }
        HttpTransport.sendText(response, array.append(']').toString());
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
