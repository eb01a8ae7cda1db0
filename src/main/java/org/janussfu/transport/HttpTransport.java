package org.janussfu.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.janussfu.core.ApiAuth;
import org.janussfu.core.EventSink;
import org.janussfu.core.JanusCore;
import org.janussfu.core.JanusError;
import org.janussfu.core.JanusException;
import org.janussfu.core.RequestPaths;
import org.janussfu.core.PluginInfo;
import org.janussfu.core.Replies;
import org.janussfu.core.RequestOrigin;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The Janus API over plain HTTP (Janus' {@code janus.transport.http}): {@code POST <base>} creates sessions,
 * {@code POST <base>/<session>} and {@code POST <base>/<session>/<handle>} carry session and handle requests,
 * {@code GET <base>/<session>?maxev=N} long-polls for events, {@code GET <base>/info} describes the server;
 * every response has CORS headers and {@code OPTIONS} is answered for preflights. One instance per event
 * loop; a request is parsed on its loop and handed to the core, which answers through {@link Origin}. Bodies
 * must be one UTF-8 JSON object (else 454/455 in the Janus shape); path ids must be integers in 1..2^53-1.
 * Connections are admitted and given deadlines by a {@link ConnectionGuard} (headers within
 * {@code header-timeout} of accept or of the previous response, a body within {@code body-timeout} of its
 * headers, else HTTP 408 and the connection is closed). HTTP/1.1 only: cleartext HTTP/2 (h2c) is off.
 */
public final class HttpTransport extends VerticleBase {
    public static final PluginInfo INFO = new PluginInfo("janus.transport.http",
            "JANUS REST (HTTP/HTTPS) transport plugin", "The Janus API over HTTP REST and long polls (janus-sfu, Vert.x).",
            "janus-sfu", 1, "0.1.0");
    private static final Logger LOG = Logger.getLogger(HttpTransport.class.getName());

    private final JanusCore core;
    private final HttpConfig config;
    private final TransportCounters counters;
    private HttpServer server;
    private ConnectionGuard guard;

    public HttpTransport(JanusCore core, HttpConfig config, TransportCounters counters) {
        this.core = core;
        this.config = config;
        this.counters = counters;
    }

    @Override
    public Future<?> start() {
        String base = config.basePath();
        guard = new ConnectionGuard(vertx, "http", config.limits(), counters, config.headerTimeoutSeconds(),
                counters.closedHeaderTimeout);
        Router router = Router.router(vertx);
        router.route().handler(this::deadlines);
        router.route().handler(this::cors);
        router.options().handler(ctx -> ctx.response().setStatusCode(200).end());
        router.post().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
        router.get(base + "/info").handler(ctx -> sendJson(ctx.response(), core.serverInfo()));
        router.post(base).handler(ctx -> post(ctx, null, null));
        router.post(base + "/:session").handler(ctx -> post(ctx, ctx.pathParam("session"), null));
        router.post(base + "/:session/:handle").handler(ctx -> post(ctx, ctx.pathParam("session"), ctx.pathParam("handle")));
        router.get(base + "/:session").handler(this::longPoll);
        // A connection closed under a request (our own body deadline, or the client gone mid-body) fails its
        // routing context: nothing is left to answer and the close is already counted, so end it here quietly
        // instead of Vert.x Web's unhandled-failure SEVERE line per request.
        router.route().failureHandler(ctx -> {
            if (ctx.failure() instanceof io.vertx.core.http.HttpClosedException || ctx.response().closed()) {
                return;
            }
            ctx.next();
        });
        router.errorHandler(413, ctx -> {
            counters.httpBadRequests.increment();
            sendJson(ctx.response().setStatusCode(413), Replies.error(0, null,
                    JanusError.TRANSPORT_SPECIFIC, "Request body over " + config.maxBodyBytes() + " bytes"));
        });
        router.errorHandler(500, ctx -> {
            // Never expected: every handler answers its errors itself. One throttled line, no stack per request.
            counters.httpBadRequests.increment();
            Throwable failure = ctx.failure();
            TransportLog.HTTP_ERROR.log(() -> "http request failed path=" + ctx.request().path() + ": " + failure);
            sendJson(ctx.response().setStatusCode(500), Replies.error(0, null, JanusError.UNKNOWN, "Internal error"));
        });
        HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout(config.idleTimeoutSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        server = vertx.createHttpServer(options)
                .connectionHandler(guard::accept)
                .requestHandler(router)
                .exceptionHandler(e -> TransportLog.CONNECTION_ERROR.log(() -> "http listener error: " + e));
        return server.listen().onSuccess(s ->
                LOG.info(() -> "http transport listening host=" + config.host() + " port=" + s.actualPort() + " base=" + base));
    }

    /**
     * Per request: the header deadline stops (the headers are here), a body deadline starts for a body still
     * arriving, and when the response ends the connection's next header deadline starts.
     */
    private void deadlines(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        ConnectionGuard.State state = guard.of(req.connection().remoteAddress());
        if (state == null) {
            ctx.next();
            return;
        }
        state.inFlight++;
        state.cancelDeadline();
        long bodyTimer = req.isEnded() ? -1 : vertx.setTimer(TimeUnit.SECONDS.toMillis(config.bodyTimeoutSeconds()), t -> {
            if (!req.isEnded() && !ctx.response().ended()) {
                counters.closedBodyTimeout.increment();
                TransportLog.SLOW_CONNECTION.log(() -> "http connection closed: request body not complete within "
                        + config.bodyTimeoutSeconds() + " s remote=" + req.remoteAddress());
                ctx.response().setStatusCode(408).putHeader("Connection", "close");
                sendJson(ctx.response(), Replies.error(0, null, JanusError.TRANSPORT_SPECIFIC,
                        "Request body not complete within " + config.bodyTimeoutSeconds() + " s"));
                state.conn.close();
            }
        });
        ctx.addEndHandler(ar -> {
            if (bodyTimer >= 0) {
                vertx.cancelTimer(bodyTimer);
            }
            if (--state.inFlight == 0 && ar.succeeded()) {
                state.armDeadline();
            }
        });
        ctx.next();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    public int actualPort() {
        return server.actualPort();
    }

    private void cors(RoutingContext ctx) {
        HttpServerResponse r = ctx.response();
        r.putHeader("Access-Control-Allow-Origin", config.allowOrigin());
        r.putHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        String asked = ctx.request().getHeader("Access-Control-Request-Headers");
        r.putHeader("Access-Control-Allow-Headers", asked != null ? asked : "Content-Type");
        r.putHeader("Access-Control-Max-Age", "86400");
        ctx.next();
    }

    private void post(RoutingContext ctx, String sessionPath, String handlePath) {
        Origin origin = new Origin(ctx);
        ObjectNode request;
        try {
            Buffer body = ctx.body().buffer();
            request = JsonCodec.parseRequest(body == null ? new byte[0] : body.getBytes());
        } catch (JanusException e) {
            counters.badFrames.increment();
            counters.httpBadRequests.increment();
            origin.reply(Replies.error(0, null, e.error(), e.reason()));
            return;
        }
        try {
            RequestPaths.apply(request, sessionPath, handlePath); // the path, not the body, names them
        } catch (JanusException e) {
            JsonNode tx = request.get("transaction");
            origin.reply(Replies.error(0, tx != null && tx.isTextual() ? tx.asText() : null, e.error(), e.reason()));
            return;
        }
        core.handle(request, origin);
    }

    private void longPoll(RoutingContext ctx) {
        long sessionId;
        try {
            sessionId = RequestPaths.id(ctx.pathParam("session"), JanusError.SESSION_NOT_FOUND, "No such session ");
        } catch (JanusException e) {
            sendJson(ctx.response(), Replies.error(0, null, e.error(), e.reason()));
            return;
        }
        int maxEvents = 1;
        List<String> maxev = ctx.queryParam("maxev");
        if (!maxev.isEmpty()) {
            try {
                maxEvents = Math.max(1, Math.min(1000, Integer.parseInt(maxev.get(0))));
            } catch (NumberFormatException e) {
                maxEvents = 1;
            }
        }
        int max = maxEvents;
        HttpServerResponse response = ctx.response();
        // A long poll carries the API secret / token as query parameters (the seed's "auth" page).
        if (!core.auth().authorizes(firstParam(ctx, "apisecret"), firstParam(ctx, "token"))) {
            core.counters().unauthorized.increment();
            sendJson(response, Replies.error(0, null, JanusError.UNAUTHORIZED, ApiAuth.UNAUTHORIZED));
            return;
        }
        core.withSessionSink(sessionId, sink -> {
            if (sink instanceof LongPollQueue q) {
                q.poll(response, max);
            } else {
                // Events of this session go to another transport (a WebSocket): the poll only keeps it alive.
                new LongPollQueue(vertx, vertx.getOrCreateContext(), sessionId, config, counters).poll(response, max);
            }
        }, () -> sendJson(response, Replies.error(0, null, JanusError.SESSION_NOT_FOUND, "No such session " + sessionId)));
    }

    private static String firstParam(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        return values.isEmpty() ? null : values.get(0);
    }

    static void sendJson(HttpServerResponse response, JsonNode body) {
        sendText(response, JsonCodec.write(body));
    }

    static void sendText(HttpServerResponse response, String json) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.putHeader("Content-Type", "application/json").end(json);
    }

    /** One HTTP request's side of the core: its reply is the HTTP response, its sessions get long-poll queues. */
    private final class Origin implements RequestOrigin {
        private final RoutingContext ctx;

        Origin(RoutingContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void reply(ObjectNode response) {
            counters.httpRequests.reply(response);
            sendJson(ctx.response(), response);
        }

        @Override
        public EventSink sinkForSession(long sessionId) {
            return new LongPollQueue(vertx, vertx.getOrCreateContext(), sessionId, config, counters);
        }

        @Override
        public Context context() {
            return context;
        }

        @Override
        public String describe() {
            return "http " + ctx.request().remoteAddress();
        }
    }
}
