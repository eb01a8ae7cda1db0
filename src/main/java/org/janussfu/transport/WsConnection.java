package org.janussfu.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import org.janussfu.core.EventSink;
import org.janussfu.core.JanusCore;
import org.janussfu.core.JanusError;
import org.janussfu.core.JanusException;
import org.janussfu.core.Replies;
import org.janussfu.core.RequestOrigin;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * One Janus API WebSocket: reads one JSON request per text frame, writes replies and the events of the
 * sessions it created or claimed, and destroys those sessions when it closes. Owned by the event loop the
 * socket was accepted on; {@link #send} may be called from any thread (Vert.x queues writes to the socket's
 * loop in call order). Enforces the per-connection request rate, answers binary frames with an error,
 * applies backpressure when the peer stops reading, and optionally pings the peer.
 */
final class WsConnection implements EventSink, RequestOrigin {
    private static final Logger LOG = Logger.getLogger(WsConnection.class.getName());
    private static final AtomicLong IDS = new AtomicLong();
    private static final short POLICY_VIOLATION = 1008;
    private static final short GOING_AWAY = 1001;
    private static final short MESSAGE_TOO_BIG = 1009;

    private final long id = IDS.incrementAndGet();
    private final Vertx vertx;
    private final Context context;
    private final ServerWebSocket ws;
    private final JanusCore core;
    private final WebSocketConfig config;
    private final TransportCounters counters;
    private final RateLimiter limiter;
    private final Set<Long> sessions = ConcurrentHashMap.newKeySet();
    private final String description;
    private volatile boolean closed;
    private long throttledWindowStart;
    private int throttledInWindow;
    private long pingTimer = -1;
    private long lastPongNanos = System.nanoTime();

    WsConnection(Vertx vertx, Context context, ServerWebSocket ws, JanusCore core, WebSocketConfig config,
                 TransportCounters counters) {
        this.vertx = vertx;
        this.context = context;
        this.ws = ws;
        this.core = core;
        this.config = config;
        this.counters = counters;
        this.limiter = new RateLimiter(config.maxRequestsPerSecond(), config.requestBurst());
        this.description = "ws#" + id + " " + ws.remoteAddress();
    }

    void start() {
        counters.connectionsOpened.increment();
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(this::onBinary);
        ws.exceptionHandler(e -> LOG.fine(() -> "websocket error conn=\"" + description + "\": " + e));
        ws.closeHandler(v -> onClose());
        ws.pongHandler(b -> lastPongNanos = System.nanoTime());
        if (config.pingIntervalSeconds() > 0) {
            pingTimer = vertx.setPeriodic(TimeUnit.SECONDS.toMillis(config.pingIntervalSeconds()), t -> ping());
        }
        LOG.fine(() -> "websocket open conn=\"" + description + "\" subprotocol=" + ws.subProtocol());
    }

    private void onText(String text) {
        if (text.length() > config.maxMessageBytes()) {
            counters.badFrames.increment();
            LOG.warning(() -> "closing websocket after oversized message conn=\"" + description + "\" chars=" + text.length());
            ws.close(MESSAGE_TOO_BIG, "Message too big (limit " + config.maxMessageBytes() + " bytes)");
            return;
        }
        if (!limiter.tryAcquire(System.nanoTime())) {
            throttle();
            return;
        }
        ObjectNode request;
        try {
            request = JsonCodec.parseRequest(text);
        } catch (JanusException e) {
            counters.badFrames.increment();
            send(Replies.error(0, null, e.error(), e.reason()));
            return;
        }
        core.handle(request, this);
        if (ws.writeQueueFull()) {
            // The peer is not reading its replies: stop reading its requests until it catches up.
            ws.pause();
            ws.drainHandler(v -> ws.resume());
        }
    }

    private void onBinary(Buffer data) {
        counters.badFrames.increment();
        send(Replies.error(0, null, JanusError.INVALID_JSON,
                "JSON error: binary frames are not supported, send JSON text frames"));
    }

    /** Answers a request over the limit, and closes a connection that keeps flooding past a second's burst. */
    private void throttle() {
        counters.throttled.increment();
        long now = System.nanoTime();
        if (now - throttledWindowStart > TimeUnit.SECONDS.toNanos(1)) {
            throttledWindowStart = now;
            throttledInWindow = 0;
        }
        if (++throttledInWindow > Math.max(config.requestBurst(), config.maxRequestsPerSecond())) {
            counters.closedForFlooding.increment();
            LOG.warning(() -> "closing flooding websocket conn=\"" + description + "\"");
            ws.close(POLICY_VIOLATION, "request rate limit exceeded");
            return;
        }
        send(Replies.error(0, null, JanusError.TRANSPORT_SPECIFIC,
                "Too many requests (limit " + config.maxRequestsPerSecond() + "/s)"));
    }

    private void ping() {
        if (closed) {
            return;
        }
        long silent = System.nanoTime() - lastPongNanos;
        if (silent > TimeUnit.SECONDS.toNanos(config.pingIntervalSeconds() + (long) config.pingTimeoutSeconds())) {
            LOG.info(() -> "websocket ping timeout conn=\"" + description + "\"");
            ws.close(GOING_AWAY, "ping timeout");
            return;
        }
        ws.writePing(Buffer.buffer("janus"));
    }

    private void onClose() {
        closed = true;
        counters.connectionsClosed.increment();
        if (pingTimer >= 0) {
            vertx.cancelTimer(pingTimer);
        }
        LOG.fine(() -> "websocket closed conn=\"" + description + "\" sessions=" + sessions.size());
        core.transportClosed(this, Set.copyOf(sessions));
    }

    // ---- EventSink and RequestOrigin --------------------------------------------------------------------

    @Override
    public void send(ObjectNode event) {
        if (closed) {
            counters.eventsDroppedClosed.increment();
            return;
        }
        ws.writeTextMessage(JsonCodec.write(event));
    }

    @Override
    public void reply(ObjectNode response) {
        send(response);
    }

    @Override
    public EventSink sinkForSession(long sessionId) {
        return this;
    }

    @Override
    public void sessionAttached(long sessionId) {
        sessions.add(sessionId);
        if (closed) {
            // The socket closed while the session was being created or claimed: hand it back at once.
            core.transportClosed(this, Set.of(sessionId));
        }
    }

    @Override
    public void sessionDetached(long sessionId) {
        sessions.remove(sessionId);
    }

    @Override
    public Context context() {
        return context;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public int sessionsHeld() {
        return sessions.size();
    }
}
