package org.janussfu.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.janussfu.core.JanusCore;
import org.janussfu.core.JanusError;
import org.janussfu.core.JanusException;
import org.janussfu.core.RequestPaths;

import java.util.List;
import java.util.logging.Logger;

/**
 * The Admin API's listeners, both owned by this one verticle's event loop (so admin requests are processed one at
 * a time, in order): HTTP on {@code admin.http-port} — {@code POST /admin}, {@code /admin/<session>},
 * {@code /admin/<session>/<handle>} (the path names the session and handle, as in Janus' HTTP transport),
 * {@code GET /metrics} (Prometheus text), {@code GET /health} (200 serving, 503 stopping) and the live dashboard's
 * files ({@code GET /admin/dashboard}, {@link DashboardPage}) — and WebSocket on
 * {@code admin.ws-port} with the {@code janus-admin-protocol} subprotocol, one JSON request per text frame.
 * Without an admin secret, a request whose {@code Origin} header names a non-loopback host is refused (403 / close
 * 1008): any web page could otherwise drive an unauthenticated control port on the operator's loopback.
 */
public final class AdminServer extends VerticleBase {
    public static final String SUBPROTOCOL = "janus-admin-protocol";
    private static final Logger LOG = Logger.getLogger(AdminServer.class.getName());

    private final JanusCore core;
    private final AdminConfig config;
    private final AdminCounters counters;
    private final MetricsSource metrics;
    /** Read from the jar here, on the constructing thread, not on the event loop. */
    private final DashboardPage dashboard = new DashboardPage();
    private AdminRequests requests;
    private HttpServer http;
    private HttpServer ws;
    /** Open admin WebSockets; written only on the event loop (volatile for tests that wait for closes). */
    volatile int openSockets;

    public AdminServer(JanusCore core, AdminConfig config, AdminCounters counters, MetricsSource metrics) {
        this.core = core;
        this.config = config;
        this.counters = counters;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        requests = new AdminRequests(vertx, core, config, counters);
        Router router = Router.router(vertx);
        router.post().handler(BodyHandler.create(false).setBodyLimit(config.maxMessageBytes()));
        router.post("/admin").handler(ctx -> post(ctx, null, null));
        router.post("/admin/:session").handler(ctx -> post(ctx, ctx.pathParam("session"), null));
        router.post("/admin/:session/:handle").handler(ctx -> post(ctx, ctx.pathParam("session"), ctx.pathParam("handle")));
        if (metrics != null) {
            router.get("/metrics").handler(this::metrics);
        }
        router.get("/health").handler(this::health);
        dashboard.mount(router);
        router.errorHandler(413, ctx -> sendJson(ctx.response().setStatusCode(413), AdminJson.error(0, null,
                JanusError.TRANSPORT_SPECIFIC, "Request body over " + config.maxMessageBytes() + " bytes")));
        http = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.httpPort()))
                .requestHandler(router);
        HttpServerOptions wsOptions = new HttpServerOptions().setHost(config.host()).setPort(config.wsPort())
                .setWebSocketSubProtocols(List.of(SUBPROTOCOL))
                // Netty's ceiling only bounds memory; AdminWsConnection enforces the limit and closes with 1009.
                .setMaxWebSocketFrameSize((int) Math.min(Integer.MAX_VALUE / 2, 4L * config.maxMessageBytes()))
                .setMaxWebSocketMessageSize((int) Math.min(Integer.MAX_VALUE / 2, 4L * config.maxMessageBytes()));
        ws = vertx.createHttpServer(wsOptions)
                .webSocketHandler(socket -> new AdminWsConnection(this, socket, config, counters).start())
                .requestHandler(req -> req.response().setStatusCode(426).putHeader("Upgrade", "websocket")
                        .end("This port speaks the Janus Admin API over WebSocket (subprotocol " + SUBPROTOCOL + ").\n"));
        return Future.all(http.listen(), ws.listen()).onSuccess(v -> LOG.info(() -> "admin api listening host="
                + config.host() + " http_port=" + http.actualPort() + " ws_port=" + ws.actualPort()
                + " secret=" + !config.secret().isEmpty()));
    }

    @Override
    public Future<?> stop() {
        Future<Void> captures = requests == null ? Future.succeededFuture()
                : vertx.executeBlocking(() -> {
                    requests.closeCaptures();
                    return null;
                });
        return Future.all(http == null ? Future.succeededFuture() : http.close(),
                ws == null ? Future.succeededFuture() : ws.close(), captures);
    }

    public int httpPort() {
        return http.actualPort();
    }

    public int wsPort() {
        return ws.actualPort();
    }

    AdminRequests requests() {
        return requests;
    }

    /**
     * Without a secret, a request whose {@code Origin} (browsers always send it cross-site; some libraries send their
     * own target) names anything but a loopback host is refused: a web page must not drive an open control port.
     */
    boolean refusesOrigin(String origin) {
        if (origin == null || !config.secret().isEmpty()) {
            return false;
        }
        try {
            String host = java.net.URI.create(origin.trim()).getHost();
            return host == null || !AdminConfig.isLoopback(host);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private void post(RoutingContext ctx, String sessionPath, String handlePath) {
        HttpServerResponse response = ctx.response();
        if (refusesOrigin(ctx.request().getHeader("Origin"))) {
            counters.unauthorized.increment();
            sendJson(response.setStatusCode(403), AdminJson.error(0, null, JanusError.UNAUTHORIZED, AdminRequests.UNAUTHORIZED));
            return;
        }
        ObjectNode request;
        try {
            request = AdminJson.parse(ctx.body().asString());
        } catch (JanusException e) {
            counters.badFrames.increment();
            sendJson(response, AdminJson.error(0, null, e.error(), e.reason()));
            return;
        }
        try {
            RequestPaths.apply(request, sessionPath, handlePath); // the path, not the body, names them
        } catch (JanusException e) {
            JsonNode tx = request.get("transaction");
            sendJson(response, AdminJson.error(0, tx != null && tx.isTextual() ? tx.asText() : null, e.error(), e.reason()));
            return;
        }
        requests.handle(request).onSuccess(reply -> sendJson(response, reply));
    }

    private void metrics(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (config.metricsNeedSecret() && !config.secret().isEmpty()) {
            String auth = ctx.request().getHeader("Authorization");
            String given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
            if (!requests.secretMatches(given)) {
                counters.unauthorized.increment();
                response.setStatusCode(401).putHeader("WWW-Authenticate", "Bearer").end();
                return;
            }
        }
        counters.scrapes.increment();
        metrics.scrape().onComplete(ar -> {
            if (ar.succeeded()) {
                response.putHeader("Content-Type", MetricsSource.CONTENT_TYPE).end(ar.result());
            } else {
                response.setStatusCode(500).end("metrics unavailable: " + ar.cause().getMessage() + "\n");
            }
        });
    }

    private void health(RoutingContext ctx) {
        boolean serving = core.admin().serving();
        ObjectNode body = AdminJson.JSON.objectNode().put("status", serving ? "serving" : "stopping");
        sendJson(ctx.response().setStatusCode(serving ? 200 : 503), body);
    }

    static void sendJson(HttpServerResponse response, JsonNode body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.putHeader("Content-Type", "application/json").end(AdminJson.write(body));
    }
}
