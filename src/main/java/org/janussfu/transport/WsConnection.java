package org.janussfu.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.http.WebSocketInternal;
import org.janussfu.core.EventSink;
import org.janussfu.core.JanusCore;
import org.janussfu.core.JanusError;
import org.janussfu.core.JanusException;
import org.janussfu.core.LogThrottle;
import org.janussfu.core.Replies;
import org.janussfu.core.RequestOrigin;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * One Janus API WebSocket: reassembles each message from its frames (RFC 6455 §5.4) counting its size in bytes,
 * requires text messages to be UTF-8 (§8.1, else close 1007), reads one JSON request per message, writes replies
 * and the events of the sessions it created or claimed within an outbound byte budget ({@link WsOutbound}), and
 * destroys those sessions when it closes. Owned by the event loop the socket was accepted on; {@link #send} may be
 * called from any thread (Vert.x queues writes to the socket's loop in call order). Enforces the per-connection
 * request rate, answers binary messages with an error, optionally pings the peer. Once the server closes the
 * socket (1002/1007/1008/1009) it reads nothing more from it and drops the TCP connection after a short grace.
 * A frame whose bytes trickle in for longer than {@code frame-timeout} closes the socket ({@link WsFrameDeadline}).
 */
final class WsConnection implements EventSink, RequestOrigin {
    private static final Logger LOG = Logger.getLogger(WsConnection.class.getName());
    private static final AtomicLong IDS = new AtomicLong();
    static final short PROTOCOL_ERROR = 1002;
    static final short INVALID_PAYLOAD = 1007;
    static final short POLICY_VIOLATION = 1008;
    static final short MESSAGE_TOO_BIG = 1009;
    private static final short GOING_AWAY = 1001;
    /** After the server's close frame, how long the peer has to answer before the TCP connection is dropped. */
    static final long CLOSE_GRACE_MILLIS = 1000;

    private final long id = IDS.incrementAndGet();
    private final Vertx vertx;
    private final Context context;
    private final ServerWebSocket ws;
    private final JanusCore core;
    private final WebSocketConfig config;
    private final TransportCounters counters;
    private final ConnectionGuard.State guard;
    /** The open connections of this transport instance (its loop only), for {@link #goingAway}. */
    private final Set<WsConnection> open;
    private final RateLimiter limiter;
    private final WsOutbound outbound;
    private final Set<Long> sessions = ConcurrentHashMap.newKeySet();
    private final String description;
    private volatile boolean closed;
    private volatile boolean closing;
    private Buffer partial;
    private boolean partialText;
    private long throttledWindowStart;
    private int throttledInWindow;
    private long pingTimer = -1;
    private long frameTimer = -1;
    private WsFrameDeadline frameDeadline;
    private long lastPongNanos = System.nanoTime();

    WsConnection(Vertx vertx, Context context, ServerWebSocket ws, JanusCore core, WebSocketConfig config,
                 TransportCounters counters, ConnectionGuard.State guard, Set<WsConnection> open) {
        this.vertx = vertx;
        this.open = open;
        this.context = context;
        this.ws = ws;
        this.core = core;
        this.config = config;
        this.counters = counters;
        this.guard = guard;
        this.limiter = new RateLimiter(config.maxRequestsPerSecond(), config.requestBurst());
        this.outbound = new WsOutbound(vertx, context, ws, config, counters, this::overBudget);
        this.description = "ws#" + id + " " + ws.remoteAddress();
    }

    void start() {
        counters.connectionsOpened.increment();
        ws.frameHandler(this::onFrame);
        ws.exceptionHandler(this::onException);
        ws.closeHandler(v -> onClose());
        open.add(this);
        ws.pongHandler(b -> lastPongNanos = System.nanoTime());
        if (config.pingIntervalSeconds() > 0) {
            pingTimer = vertx.setPeriodic(TimeUnit.SECONDS.toMillis(config.pingIntervalSeconds()), t -> ping());
        }
        if (ws instanceof WebSocketInternal internal) {
            frameDeadline = new WsFrameDeadline();
            internal.channelHandlerContext().pipeline().addFirst(WsFrameDeadline.NAME, frameDeadline);
            long period = Math.max(250, TimeUnit.SECONDS.toMillis(config.frameTimeoutSeconds()) / 4);
            frameTimer = vertx.setPeriodic(period, t -> checkFrameDeadline());
        }
        LOG.fine(() -> "websocket open conn=\"" + description + "\" subprotocol=" + ws.subProtocol());
    }

    /** Reassembles data frames into messages; control frames are Vert.x's (pong, close) and ignored here. */
    private void onFrame(WebSocketFrame frame) {
        if (frameDeadline != null) {
            frameDeadline.frameReceived();
        }
        if (closing || closed) {
            counters.framesAfterClose.increment();
            return;
        }
        switch (frame.type()) {
            case TEXT, BINARY -> {
                if (partial != null) {
                    // RFC 6455 §5.4: a new data frame before the fragmented message ended (Netty checks it too).
                    closeFor(PROTOCOL_ERROR, "data frame inside a fragmented message", counters.closedProtocolError);
                    return;
                }
                partialText = frame.type() == io.vertx.core.http.WebSocketFrameType.TEXT;
                if (frame.isFinal()) {
                    Buffer data = frame.binaryData();
                    if (tooBig(data.length())) {
                        return;
                    }
                    onMessage(data);
                } else {
                    partial = Buffer.buffer();
                    append(frame.binaryData());
                }
            }
            case CONTINUATION -> {
                if (partial == null) {
                    closeFor(PROTOCOL_ERROR, "continuation frame without a message", counters.closedProtocolError);
                    return;
                }
                if (!append(frame.binaryData())) {
                    return;
                }
                if (frame.isFinal()) {
                    Buffer data = partial;
                    partial = null;
                    onMessage(data);
                }
            }
            default -> {
                // PING, PONG, CLOSE: answered by Vert.x
            }
        }
    }

    private boolean append(Buffer data) {
        if (tooBig(partial.length() + (long) data.length())) {
            partial = null;
            return false;
        }
        partial.appendBuffer(data);
        return true;
    }

    private boolean tooBig(long bytes) {
        if (bytes > config.maxMessageBytes()) {
            counters.badFrames.increment();
            closeFor(MESSAGE_TOO_BIG, "Message too big (limit " + config.maxMessageBytes() + " bytes)",
                    counters.closedMessageTooBig);
            return true;
        }
        return false;
    }

    private void onMessage(Buffer data) {
        if (!limiter.tryAcquire(System.nanoTime())) {
            throttle();
            return;
        }
        if (!partialText) {
            counters.badFrames.increment();
            send(Replies.error(0, null, JanusError.INVALID_JSON,
                    "JSON error: binary frames are not supported, send JSON text frames"));
            return;
        }
        String text;
        try {
            text = JsonCodec.decodeUtf8(data.getBytes());
        } catch (JsonCodec.InvalidUtf8 e) {
            counters.badFrames.increment();
            closeFor(INVALID_PAYLOAD, "invalid UTF-8 in a text message", counters.closedInvalidUtf8);
            return;
        }
        ObjectNode request;
        try {
            request = JsonCodec.parseRequest(text);
        } catch (JanusException e) {
            counters.badFrames.increment();
            reply(Replies.error(0, null, e.error(), e.reason()));
            return;
        }
        core.handle(request, this);
    }

    /** Netty's frame decoder refused a frame (RSV bits, bad UTF-8, over the frame ceiling, bad opcode). */
    private void onException(Throwable e) {
        if (e instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null) {
            int code = c.closeStatus().code();
            LongAdder counter = code == MESSAGE_TOO_BIG ? counters.closedMessageTooBig
                    : code == INVALID_PAYLOAD ? counters.closedInvalidUtf8 : counters.closedProtocolError;
            String reason = code == MESSAGE_TOO_BIG ? "Message too big (limit " + config.maxMessageBytes() + " bytes)"
                    : code == INVALID_PAYLOAD ? "invalid UTF-8 in a text message" : "WebSocket protocol error";
            counters.badFrames.increment();
            closeFor((short) code, reason, counter);
            return;
        }
        TransportLog.CONNECTION_ERROR.log(() -> "websocket error conn=\"" + description + "\": " + e);
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
            closeFor(POLICY_VIOLATION, "request rate limit exceeded", counters.closedForFlooding);
            return;
        }
        send(Replies.error(0, null, JanusError.TRANSPORT_SPECIFIC,
                "Too many requests (limit " + config.maxRequestsPerSecond() + "/s)"));
    }

    /** The peer does not read what it is sent (called on the loop by {@link WsOutbound}). */
    private void overBudget(WsOutbound.Breach breach) {
        switch (breach) {
            case SOCKET -> closeFor(POLICY_VIOLATION, "not reading (over " + config.maxQueuedBytes() + " queued bytes)",
                    counters.closedQueueOverBudget);
            case TOTAL -> closeFor(POLICY_VIOLATION, "server output budget spent (" + config.maxQueuedBytesTotal()
                    + " queued bytes on all sockets)", counters.closedQueueOverTotal);
            case DRAIN -> closeFor(POLICY_VIOLATION, "not reading (queue not drained within "
                    + config.drainTimeoutSeconds() + " s)", counters.closedDrainTimeout);
        }
    }

    /**
     * Closes the socket with {@code code} (on the loop): stops reading it at once, sends the close frame behind
     * what is queued, and drops the TCP connection if it is still open after {@link #CLOSE_GRACE_MILLIS}.
     */
    private void closeFor(short code, String reason, LongAdder counter) {
        if (closing || closed) {
            return;
        }
        closing = true;
        counter.increment();
        LogThrottle log = counter == counters.closedForFlooding ? TransportLog.WS_FLOOD
                : code == POLICY_VIOLATION ? TransportLog.WS_SLOW_READER
                : code == MESSAGE_TOO_BIG ? TransportLog.WS_TOO_BIG : TransportLog.WS_PROTOCOL;
        log.log(() -> "closing websocket code=" + code + " reason=\"" + reason + "\" conn=\"" + description
                        + "\" queued_bytes=" + outbound.queued());
        partial = null;
        outbound.stop();
        ws.pause();
        ws.close(code, reason);
        vertx.setTimer(CLOSE_GRACE_MILLIS, t -> {
            if (!closed && ws instanceof WebSocketInternal internal) {
                // From Vert.x's own handler context towards the socket: skips Vert.x's graceful-close logic.
                internal.channelHandlerContext().close();
            }
        });
    }

    /** Closes a socket whose incomplete frame has been arriving for longer than the frame timeout. */
    private void checkFrameDeadline() {
        if (closed || closing || outbound.readingPaused()) {
            // While we do not read, Netty's pending bytes are ours to wait for, not the peer's fault.
            return;
        }
        if (frameDeadline.pendingNanos(System.nanoTime()) > TimeUnit.SECONDS.toNanos(config.frameTimeoutSeconds())) {
            closeFor(POLICY_VIOLATION, "frame not complete within " + config.frameTimeoutSeconds() + " s",
                    counters.closedFrameTimeout);
        }
    }

    private void ping() {
        if (closed || closing) {
            return;
        }
        long silent = System.nanoTime() - lastPongNanos;
        if (silent > TimeUnit.SECONDS.toNanos(config.pingIntervalSeconds() + (long) config.pingTimeoutSeconds())) {
            TransportLog.WS_PING_TIMEOUT.log(() -> "websocket ping timeout conn=\"" + description + "\"");
            ws.close(GOING_AWAY, "ping timeout");
            return;
        }
        ws.writePing(Buffer.buffer("janus"));
    }

    private void onClose() {
        closed = true;
        open.remove(this);
        counters.connectionsClosed.increment();
        outbound.stop();
        if (pingTimer >= 0) {
            vertx.cancelTimer(pingTimer);
        }
        if (frameTimer >= 0) {
            vertx.cancelTimer(frameTimer);
        }
        if (guard != null) {
            guard.release();
        }
        LOG.fine(() -> "websocket closed conn=\"" + description + "\" sessions=" + sessions.size());
        core.transportClosed(this, Set.copyOf(sessions));
    }

    /**
     * The server is stopping: closes with 1001 Going Away (RFC 6455 §7.4.1) — not the 1000 Normal Closure Vert.x
     * would send, which clients such as naf-janus-adapter take as a deliberate hang-up and never reconnect after.
     * On the loop; completes when the close frame is written (or at once if already closing).
     */
    io.vertx.core.Future<Void> goingAway() {
        if (closed || closing) {
            return io.vertx.core.Future.succeededFuture();
        }
        closing = true;
        outbound.stop();
        return ws.close(GOING_AWAY, "server shutting down").recover(e -> io.vertx.core.Future.succeededFuture());
    }

    // ---- EventSink and RequestOrigin --------------------------------------------------------------------

    @Override
    public void send(ObjectNode event) {
        if (closed || closing || !outbound.write(JsonCodec.write(event))) {
            counters.eventsDroppedClosed.increment();
        }
    }

    @Override
    public void reply(ObjectNode response) {
        counters.wsRequests.reply(response);
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
    public int sessionsHeld() {
        return sessions.size();
    }

    @Override
    public Context context() {
        return context;
    }

    @Override
    public String describe() {
        return description;
    }

}
