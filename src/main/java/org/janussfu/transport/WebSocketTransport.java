package org.janussfu.transport;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.janussfu.core.JanusCore;
import org.janussfu.core.PluginInfo;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The Janus API over WebSocket (Janus' {@code janus.transport.websockets}): a verticle listening on the
 * configured port, any path, negotiating the {@code janus-protocol} subprotocol. Several instances share
 * the port, one per event loop; each accepted connection is admitted by a {@link ConnectionGuard} (ceilings,
 * upgrade deadline) and each upgraded socket becomes a {@link WsConnection} owned by that loop. No extension is
 * offered (no permessage-deflate), so a frame with RSV bits set is a protocol error (RFC 6455 §5.2, close 1002);
 * HTTP/2 is off.
 */
public final class WebSocketTransport extends VerticleBase {
    public static final String SUBPROTOCOL = "janus-protocol";
    public static final PluginInfo INFO = new PluginInfo("janus.transport.websockets",
            "JANUS WebSockets transport plugin", "The Janus API over WebSockets (janus-sfu, Vert.x).",
            "janus-sfu", 1, "0.1.0");
    private static final Logger LOG = Logger.getLogger(WebSocketTransport.class.getName());

    private final JanusCore core;
    private final WebSocketConfig config;
    private final TransportCounters counters;
    private HttpServer server;
    /** This instance's open WebSockets; touched only on its event loop. */
    private final java.util.Set<WsConnection> open = new java.util.HashSet<>();

    public WebSocketTransport(JanusCore core, WebSocketConfig config, TransportCounters counters) {
        this.core = core;
        this.config = config;
        this.counters = counters;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setWebSocketSubProtocols(List.of(SUBPROTOCOL))
                // Netty buffers a frame whole before handing it on: its ceiling is the message limit, so one
                // connection holds at most that much of a frame in flight (over it: close 1009).
                .setMaxWebSocketFrameSize(config.maxMessageBytes())
                .setMaxWebSocketMessageSize(config.maxMessageBytes())
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout(config.idleTimeoutSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setTcpNoDelay(true);
        if (config.socketSendBuffer() > 0) {
            // Bounds what the kernel holds for a peer that does not read (autotuning lets it grow to MiBs),
            // so that the byte budget above sees a stalled peer early.
            options.setSendBufferSize(config.socketSendBuffer());
        }
        ConnectionGuard guard = new ConnectionGuard(vertx, "websocket", config.limits(), counters,
                config.upgradeTimeoutSeconds(), counters.closedUpgradeTimeout);
        server = vertx.createHttpServer(options)
                .connectionHandler(guard::accept)
                .webSocketHandler(ws -> {
                    ConnectionGuard.State state = guard.of(ws.remoteAddress());
                    if (state != null) {
                        state.cancelDeadline();
                    }
                    new WsConnection(vertx, context, ws, core, config, counters, state, open).start();
                })
                .requestHandler(req -> req.response().setStatusCode(426)
                        .putHeader("Upgrade", "websocket")
                        .putHeader("Connection", "close")
                        .end("This port speaks the Janus API over WebSocket (subprotocol janus-protocol).\n"))
                .exceptionHandler(e -> TransportLog.CONNECTION_ERROR.log(() -> "websocket listener error: " + e));
        return server.listen().onSuccess(s ->
                LOG.info(() -> "websocket transport listening host=" + config.host() + " port=" + s.actualPort()));
    }

    @Override
    public Future<?> stop() {
        if (server == null) {
            return Future.succeededFuture();
        }
        // Every open socket first gets its 1001 close frame (WsConnection#goingAway), then the server closes.
        List<Future<Void>> closing = new java.util.ArrayList<>();
        for (WsConnection c : List.copyOf(open)) {
            closing.add(c.goingAway());
        }
        return Future.join(closing).eventually(() -> server.close());
    }

    /** The bound port (useful when configured as 0). */
    public int actualPort() {
        return server.actualPort();
    }
}
