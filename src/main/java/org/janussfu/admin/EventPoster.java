package org.janussfu.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.janussfu.core.EventHook;
import org.janussfu.core.LogThrottle;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The event sink (Janus' event-handler idea, like its sample HTTP handler): session, handle, WebRTC, media and
 * room join/leave events as JSON objects ({@code emitter}, {@code type}, {@code timestamp} µs, {@code session_id},
 * {@code handle_id}, {@code event}) POSTed in batches — a JSON array — to {@code events.url}. {@link #emit} may be
 * called from any context: it only appends to a bounded lock-free queue (over {@code events.max-queue} the event is
 * dropped and counted). A periodic timer on the sink's own context sends at most one batch at a time; a batch whose
 * POST fails or times out is dropped and counted (no retry: the sink must not grow while the collector is down).
 */
public final class EventPoster implements EventHook {
    private static final Logger LOG = Logger.getLogger(EventPoster.class.getName());
    private static final LogThrottle FAIL_LOG = LogThrottle.of(LOG, Level.WARNING);

    private final Vertx vertx;
    private final EventSinkConfig config;
    private final String emitter;
    private final ConcurrentLinkedQueue<ObjectNode> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    public final LongAdder sent = new LongAdder();
    public final LongAdder droppedQueueFull = new LongAdder();
    public final LongAdder droppedFailed = new LongAdder();
    public final LongAdder batches = new LongAdder();
    private HttpClient client;
    private Context context;
    private long timer = -1;
    /** Whether a POST is in flight; sink context only. */
    private boolean posting;

    public EventPoster(Vertx vertx, EventSinkConfig config, String emitter) {
        this.vertx = vertx;
        this.config = config;
        this.emitter = emitter;
    }

    public void start() {
        client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(config.requestTimeoutMillis())
                .setKeepAlive(true));
        context = vertx.getOrCreateContext();
        context.runOnContext(v -> timer = vertx.setPeriodic(config.flushIntervalMillis(), t -> flush()));
        LOG.info(() -> "event sink posting to " + config.url() + " batch=" + config.batchSize()
                + " max_queue=" + config.maxQueue());
    }

    public void stop() {
        if (context != null) {
            context.runOnContext(v -> {
                if (timer >= 0) {
                    vertx.cancelTimer(timer);
                }
            });
        }
        if (client != null) {
            client.close();
        }
    }

    /** Events waiting to be posted. */
    public int queued() {
        return queued.get();
    }

    @Override
    public void emit(int type, long sessionId, long handleId, long timestampMicros, ObjectNode event) {
        if (queued.incrementAndGet() > config.maxQueue()) {
            queued.decrementAndGet();
            droppedQueueFull.increment();
            return;
        }
        ObjectNode o = AdminJson.JSON.objectNode();
        o.put("emitter", emitter);
        o.put("type", type);
        o.put("timestamp", timestampMicros);
        if (sessionId != 0) {
            o.put("session_id", sessionId);
        }
        if (handleId != 0) {
            o.put("handle_id", handleId);
        }
        o.set("event", event);
        queue.offer(o);
    }

    /** Sends one batch if none is in flight (sink context). */
    private void flush() {
        if (posting || queue.isEmpty()) {
            return;
        }
        ArrayNode batch = AdminJson.JSON.arrayNode();
        ObjectNode e;
        while (batch.size() < config.batchSize() && (e = queue.poll()) != null) {
            queued.decrementAndGet();
            batch.add(e);
        }
        int n = batch.size();
        posting = true;
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(config.url())
                .setIdleTimeout(config.requestTimeoutMillis()).putHeader("Content-Type", "application/json");
        client.request(options)
                .compose(req -> req.send(AdminJson.write(batch)))
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> {
                    posting = false;
                    if (ar.succeeded() && ar.result() / 100 == 2) {
                        sent.add(n);
                        batches.increment();
                        if (!queue.isEmpty()) {
                            flush(); // a backlog drains batch after batch, one at a time
                        }
                    } else {
                        droppedFailed.add(n);
                        FAIL_LOG.log(() -> "event sink POST failed events=" + n + ": "
                                + (ar.succeeded() ? "HTTP " + ar.result() : ar.cause()));
                    }
                });
    }
}
