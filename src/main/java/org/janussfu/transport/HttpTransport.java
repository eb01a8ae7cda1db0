package org.janussfu.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.janussfu.core.EventSink;
import org.janussfu.core.JanusCore;
import org.janussfu.core.JanusError;
import org.janussfu.core.JanusException;
import org.janussfu.core.PluginInfo;
import org.janussfu.core.Replies;
import org.janussfu.core.RequestOrigin;

import java.util.List;
import java.util.logging.Logger;

/**
 * The Janus API over plain HTTP (Janus' {@code janus.transport.http}): {@code POST <base>} creates sessions,
 * {@code POST <base>/<session>} and {@code POST <base>/<session>/<handle>} carry session and handle requests,
 * {@code GET <base>/<session>?maxev=N} long-polls for events, {@code GET <base>/info} describes the server;
 * every response has CORS headers and {@code OPTIONS} is answered for preflights. One instance per event
 * loop; a request is parsed on its loop and handed to the core, which answers through {@link Origin}.
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

    public HttpTransport(JanusCore core, HttpConfig config, TransportCounters counters) {
        this.core = core;
        this.config = config;
        this.counters = counters;
    }

    @Override
    public Future<?> start() {
        String base = config.basePath();
        Router router = Router.router(vertx);
        router.route().handler(this::cors);
        router.options().handler(ctx -> ctx.response().setStatusCode(200).end());
        router.post().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
        router.get(base + "/info").handler(ctx -> sendJson(ctx.response(), core.serverInfo()));
        router.post(base).handler(ctx -> post(ctx, null, null));
        router.post(base + "/:session").handler(ctx -> post(ctx, ctx.pathParam("session"), null));
        router.post(base + "/:session/:handle").handler(ctx -> post(ctx, ctx.pathParam("session"), ctx.pathParam("handle")));
        router.get(base + "/:session").handler(this::longPoll);
        router.errorHandler(413, ctx -> sendJson(ctx.response().setStatusCode(413), Replies.error(0, null,
                JanusError.TRANSPORT_SPECIFIC, "Request body over " + config.maxBodyBytes() + " bytes")));
        HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port());
        server = vertx.createHttpServer(options).requestHandler(router);
        return server.listen().onSuccess(s ->
                LOG.info(() -> "http transport listening host=" + config.host() + " port=" + s.actualPort() + " base=" + base));
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
            request = JsonCodec.parseRequest(ctx.body().asString());
        } catch (JanusException e) {
            counters.badFrames.increment();
            origin.reply(Replies.error(0, null, e.error(), e.reason()));
            return;
        }
        try {
            // The path, not the body, names the session and handle (as in Janus' HTTP transport).
            request.remove("session_id");
            request.remove("handle_id");
            if (sessionPath != null) {
                request.put("session_id", pathId(sessionPath, JanusError.SESSION_NOT_FOUND, "No such session "));
            }
            if (handlePath != null) {
                request.put("handle_id", pathId(handlePath, JanusError.HANDLE_NOT_FOUND, "No such handle "));
            }
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
            sessionId = pathId(ctx.pathParam("session"), JanusError.SESSION_NOT_FOUND, "No such session ");
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
        core.withSessionSink(sessionId, sink -> {
            if (sink instanceof LongPollQueue q) {
                q.poll(response, max);
            } else {
                // Events of this session go to another transport (a WebSocket): the poll only keeps it alive.
                new LongPollQueue(vertx, vertx.getOrCreateContext(), sessionId, config, counters).poll(response, max);
            }
        }, () -> sendJson(response, Replies.error(0, null, JanusError.SESSION_NOT_FOUND, "No such session " + sessionId)));
    }

    private static long pathId(String text, JanusError error, String reason) throws JanusException {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new JanusException(error, reason + text);
    }

    static void sendJson(HttpServerResponse response, JsonNode body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.putHeader("Content-Type", "application/json").end(JsonCodec.write(body));
    }

    /** One HTTP request's side of the core: its reply is the HTTP response, its sessions get long-poll queues. */
    private final class Origin implements RequestOrigin {
        private final RoutingContext ctx;

        Origin(RoutingContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void reply(ObjectNode response) {
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
