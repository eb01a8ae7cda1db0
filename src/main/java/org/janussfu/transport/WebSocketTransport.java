package org.janussfu.transport;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.janussfu.core.JanusCore;
import org.janussfu.core.PluginInfo;

import java.util.List;
import java.util.logging.Logger;

/**
 * The Janus API over WebSocket (Janus' {@code janus.transport.websockets}): a verticle listening on the
 * configured port, any path, negotiating the {@code janus-protocol} subprotocol. Several instances share
 * the port, one per event loop; each accepted socket becomes a {@link WsConnection} owned by that loop.
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
                // The decoder's limit is only a memory ceiling (over it Netty drops the TCP connection without a
                // close frame); WsConnection enforces the configured limit itself and closes with 1009.
                .setMaxWebSocketFrameSize(decoderCeiling(config.maxMessageBytes()))
                .setMaxWebSocketMessageSize(decoderCeiling(config.maxMessageBytes()))
                .setTcpNoDelay(true);
        server = vertx.createHttpServer(options)
                .webSocketHandler(ws -> new WsConnection(vertx, context, ws, core, config, counters).start())
                .requestHandler(req -> req.response().setStatusCode(426)
                        .putHeader("Upgrade", "websocket")
                        .end("This port speaks the Janus API over WebSocket (subprotocol janus-protocol).\n"));
        return server.listen().onSuccess(s ->
                LOG.info(() -> "websocket transport listening host=" + config.host() + " port=" + s.actualPort()));
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    static int decoderCeiling(int limit) {
        return (int) Math.min(Integer.MAX_VALUE / 2, 4L * limit);
    }

    /** The bound port (useful when configured as 0). */
    public int actualPort() {
        return server.actualPort();
    }
}
