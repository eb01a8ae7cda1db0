package org.janussfu.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import org.janussfu.core.AdminView;
import org.janussfu.core.JanusCore;
import org.janussfu.core.JanusError;
import org.janussfu.core.JanusException;
import org.janussfu.core.LogThrottle;
import org.janussfu.core.Utf8;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Admin/Monitor API's requests, routed as Janus 1.1.2's {@code janus_process_incoming_admin_request} does:
 * {@code transaction} and {@code janus} first (456/467), then at the root {@code info} and {@code ping} without the
 * secret, everything else only with {@code admin_secret} when one is configured (403 {@code Unauthorized request
 * (wrong or missing secret/token)}); root requests ({@code list_sessions}, {@code get_status},
 * {@code set_session_timeout}, {@code set_log_level}, {@code set_no_media_timer}, {@code set_max_nack_queue},
 * {@code message_plugin}, the token requests and our own {@code dashboard}), session requests ({@code list_handles},
 * {@code destroy_session}) and handle requests ({@code handle_info}, {@code detach_handle}, {@code hangup_webrtc},
 * and the captures of {@link CaptureRequests}); anything else at a path is 457 {@code Unhandled request 'x' at this
 * path}. Stateless apart from its collaborators; called on the admin listener's event loop, answers through a future
 * that never fails (errors are Janus error replies).
 */
final class AdminRequests {
    private static final Logger LOG = Logger.getLogger(AdminRequests.class.getName());
    /** Admin actions are logged (they change the server), but a client must not be able to flood the log with them. */
    private static final LogThrottle ACTION_LOG = new LogThrottle(LOG, Level.INFO, 50, 10_000);
    private static final LogThrottle UNEXPECTED_LOG = LogThrottle.of(LOG, Level.SEVERE);
    static final String UNAUTHORIZED = "Unauthorized request (wrong or missing secret/token)";
    /** Seven days, the configuration's own ceiling for session timeouts. */
    private static final int MAX_SESSION_TIMEOUT = 7 * 24 * 3600;
    /** A day: longer silences are not "no media" but a stopped stream. */
    private static final int MAX_NO_MEDIA_TIMER = 24 * 3600;

    private final JanusCore core;
    private final AdminView view;
    private final AdminConfig config;
    private final AdminCounters counters;
    private final TokenRequests tokens;
    private final DashboardSnapshot dashboard;
    private final CaptureFiles captureFiles;
    private final CaptureRequests captures;
    private final byte[] secret;

    AdminRequests(io.vertx.core.Vertx vertx, JanusCore core, AdminConfig config, AdminCounters counters) {
        this.core = core;
        this.view = core.admin();
        this.config = config;
        this.counters = counters;
        this.tokens = new TokenRequests(core.auth(), core.pluginNames(), config);
        this.dashboard = new DashboardSnapshot(view, config.dashboardMaxHandles());
        this.captureFiles = new CaptureFiles(config, counters);
        this.captures = new CaptureRequests(vertx, view, captureFiles);
        this.secret = config.secret().isEmpty() ? null : config.secret().getBytes(StandardCharsets.UTF_8);
    }

    /** Stops every running capture and closes its file (the listener is stopping); blocks up to a few seconds. */
    void closeCaptures() {
        captureFiles.close();
    }

    /** Whether {@code given} is the configured admin secret (constant time); true when none is configured. */
    boolean secretMatches(String given) {
        return secret == null || given != null && MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8));
    }

    /** One parsed request; the reply future always succeeds. */
    Future<ObjectNode> handle(ObjectNode req) {
        counters.requests.increment();
        long sessionId = 0;
        String tx = null;
        try {
            sessionId = id(req, "session_id");
            long handleId = id(req, "handle_id");
            JsonNode txNode = req.get("transaction");
            if (txNode == null || txNode.isNull()) {
                throw AdminJson.missing("transaction");
            }
            if (!txNode.isTextual()) {
                throw AdminJson.wrongType("transaction", "a string");
            }
            int maxTx = core.config().limits().maxTransactionBytes();
            if (!Utf8.fits(txNode.textValue(), maxTx)) {
                // An over-long transaction is never repeated back.
                throw AdminJson.wrongType("transaction", "a string of at most " + maxTx + " bytes");
            }
            tx = txNode.textValue();
            JsonNode j = req.get("janus");
            if (j == null || j.isNull()) {
                throw AdminJson.missing("janus");
            }
            if (!j.isTextual()) {
                throw AdminJson.wrongType("janus", "a string");
            }
            String request = j.textValue().toLowerCase(Locale.ROOT);
            if (sessionId == 0 && handleId == 0) {
                if (request.equals("info")) {
                    return Future.succeededFuture(view.info(tx));
                }
                if (request.equals("ping")) {
                    return Future.succeededFuture(AdminJson.envelope("pong", 0, tx));
                }
                authorize(req);
                return root(request, tx, req);
            }
            authorize(req);
            long s = sessionId;
            String t = tx;
            Future<ObjectNode> reply = handleId == 0 ? session(request, t, s) : handle(request, t, s, handleId, req);
            return reply.recover(e -> Future.succeededFuture(failure(s, t, e)));
        } catch (JanusException e) {
            return Future.succeededFuture(failure(sessionId, tx, e));
        } catch (RuntimeException e) {
            return Future.succeededFuture(failure(sessionId, tx, e));
        }
    }

    private void authorize(ObjectNode req) throws JanusException {
        if (!secretMatches(AdminJson.text(req, "admin_secret"))) {
            counters.unauthorized.increment();
            throw new JanusException(JanusError.UNAUTHORIZED, UNAUTHORIZED);
        }
    }

    // ---- root -------------------------------------------------------------------------------------------------

    private Future<ObjectNode> root(String request, String tx, ObjectNode req) throws JanusException {
        if (TokenRequests.handles(request)) {
            ObjectNode reply = tokens.handle(request, tx, req);
            ACTION_LOG.log(() -> "admin " + request);
            return Future.succeededFuture(reply);
        }
        switch (request) {
            case "list_sessions" -> {
                ObjectNode o = AdminJson.envelope("success", 0, tx);
                ArrayNode list = o.putArray("sessions");
                view.sessionIds().forEach(list::add);
                return Future.succeededFuture(o);
            }
            case "dashboard" -> {
                return dashboard.take().map(d -> {
                    ObjectNode o = AdminJson.envelope("success", 0, tx);
                    o.set("dashboard", d);
                    return o;
                });
            }
            case "get_status" -> {
                return Future.succeededFuture(status(tx));
            }
            case "set_no_media_timer" -> {
                int seconds = (int) AdminJson.positive(req, "no_media_timer", true, MAX_NO_MEDIA_TIMER);
                view.mediaSettings().setNoMediaSeconds(seconds);
                ACTION_LOG.log(() -> "admin set_no_media_timer seconds=" + seconds);
                // Janus' reply to this one carries no session_id (built by hand in janus.c).
                return Future.succeededFuture(AdminJson.envelope("success", 0, tx)
                        .put("no_media_timer", view.mediaSettings().noMediaSeconds()));
            }
            case "set_max_nack_queue" -> {
                long ms = AdminJson.positive(req, "max_nack_queue", true, Integer.MAX_VALUE);
                if (ms > 0 && ms < org.janussfu.core.MediaSettings.MIN_NACK_QUEUE_MS) {
                    throw new JanusException(JanusError.INVALID_ELEMENT_TYPE,
                            "Invalid element type (max_nack_queue, if provided, should be greater than 200)");
                }
                long inForce = view.mediaSettings().setNackQueueMillis(ms);
                ACTION_LOG.log(() -> "admin set_max_nack_queue ms=" + inForce);
                return Future.succeededFuture(AdminJson.envelope("success", 0, tx).put("max_nack_queue", inForce));
            }
            case "set_session_timeout" -> {
                int timeout = (int) AdminJson.requiredPositive(req, "timeout", MAX_SESSION_TIMEOUT);
                view.setSessionTimeout(timeout);
                ACTION_LOG.log(() -> "admin set_session_timeout timeout_s=" + timeout);
                return Future.succeededFuture(AdminJson.envelope("success", 0, tx).put("timeout", timeout));
            }
            case "set_log_level" -> {
                JsonNode n = req.get("level");
                if (n != null && n.isIntegralNumber() && n.canConvertToLong() && n.longValue() > LogLevels.MAX) {
                    throw AdminJson.wrongType("level", "between 0 and " + LogLevels.MAX);
                }
                int level = (int) AdminJson.requiredPositive(req, "level", LogLevels.MAX);
                LogLevels.set(level);
                ACTION_LOG.log(() -> "admin set_log_level level=" + level + " jul=" + LogLevels.toJul(level));
                return Future.succeededFuture(AdminJson.envelope("success", 0, tx).put("level", level));
            }
            case "message_plugin" -> {
                String plugin = AdminJson.requiredText(req, "plugin", core.config().limits().maxPluginNameBytes());
                JsonNode body = req.get("request");
                if (body != null && !body.isNull() && !body.isObject()) {
                    throw AdminJson.wrongType("request", "an object");
                }
                ObjectNode query = body == null || body.isNull() ? null : (ObjectNode) body;
                return view.messagePlugin(plugin, query).map(r -> {
                    ObjectNode o = AdminJson.envelope("success", 0, tx);
                    o.set("response", r != null ? r : AdminJson.JSON.objectNode());
                    return o;
                }).recover(e -> Future.succeededFuture(failure(0, tx, e)));
            }
            default -> throw unhandled(request);
        }
    }

    /** Janus' {@code get_status}: the settings the Admin API can read (and partly change) at run time. */
    private ObjectNode status(String tx) {
        ObjectNode o = AdminJson.envelope("success", 0, tx);
        ObjectNode s = o.putObject("status");
        s.put("token_auth", core.auth().tokenAuth());
        s.put("session_timeout", view.sessionTimeout());
        s.put("reclaim_session_timeout", core.config().reclaimSessionTimeoutSeconds());
        s.put("log_level", LogLevels.current());
        s.put("accepting_new_sessions", view.serving());
        s.put("max_nack_queue", view.mediaSettings().nackQueueMillis());
        s.put("no_media_timer", view.mediaSettings().noMediaSeconds());
        s.put("slowlink_threshold", core.slowlinkThreshold());
        return o;
    }

    // ---- session and handle -------------------------------------------------------------------------------------

    private Future<ObjectNode> session(String request, String tx, long sessionId) throws JanusException {
        switch (request) {
            case "list_handles" -> {
                return view.handleIds(sessionId).map(ids -> {
                    ObjectNode o = AdminJson.envelope("success", sessionId, tx);
                    ArrayNode list = o.putArray("handles");
                    ids.forEach(list::add);
                    return o;
                });
            }
            case "destroy_session" -> {
                return view.destroySession(sessionId).map(v -> {
                    ACTION_LOG.log(() -> "admin destroy_session session=" + sessionId);
                    return AdminJson.envelope("success", sessionId, tx);
                });
            }
            default -> {
                requireSession(sessionId);
                throw unhandled(request);
            }
        }
    }

    private Future<ObjectNode> handle(String request, String tx, long sessionId, long handleId, ObjectNode req)
            throws JanusException {
        if (CaptureRequests.handles(request)) {
            // Janus looks the session and handle up before it reads the request's fields.
            return requireHandle(sessionId, handleId).compose(v -> captures.handle(request, tx, sessionId, handleId, req));
        }
        switch (request) {
            case "handle_info" -> {
                boolean pluginOnly;
                try {
                    pluginOnly = AdminJson.optionalBool(req, "plugin_only");
                } catch (JanusException e) {
                    return requireHandle(sessionId, handleId).compose(v -> Future.failedFuture(e));
                }
                return view.handleInfo(sessionId, handleId, pluginOnly).map(info -> {
                    ObjectNode o = AdminJson.envelope("success", sessionId, tx);
                    o.put("handle_id", handleId);
                    o.set("info", info);
                    return o;
                });
            }
            case "detach_handle" -> {
                return view.detachHandle(sessionId, handleId).map(v -> {
                    ACTION_LOG.log(() -> "admin detach_handle session=" + sessionId + " handle=" + handleId);
                    return AdminJson.envelope("success", sessionId, tx);
                });
            }
            case "hangup_webrtc" -> {
                return view.hangupWebrtc(sessionId, handleId).map(v -> {
                    ACTION_LOG.log(() -> "admin hangup_webrtc session=" + sessionId + " handle=" + handleId);
                    return AdminJson.envelope("success", sessionId, tx);
                });
            }
            default -> {
                // Janus looks the session and handle up before it routes: a bad id answers 458/459 first.
                return requireHandle(sessionId, handleId).compose(v -> Future.failedFuture(unhandled(request)));
            }
        }
    }

    /** Succeeds when the handle exists; 458 / 459 as Janus otherwise. */
    private Future<Void> requireHandle(long sessionId, long handleId) {
        return view.handleIds(sessionId).compose(ids -> ids.contains(handleId) ? Future.succeededFuture()
                : Future.failedFuture(new JanusException(JanusError.HANDLE_NOT_FOUND,
                "No such handle " + handleId + " in session " + sessionId)));
    }

    private void requireSession(long sessionId) throws JanusException {
        List<Long> ids = view.sessionIds();
        if (!ids.contains(sessionId)) {
            throw new JanusException(JanusError.SESSION_NOT_FOUND, "No such session " + sessionId);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private ObjectNode failure(long sessionId, String tx, Throwable e) {
        counters.errors.increment();
        if (e instanceof JanusException je) {
            return AdminJson.error(sessionId, tx, je.error(), je.reason());
        }
        UNEXPECTED_LOG.log(() -> "admin request failed unexpectedly: " + e);
        return AdminJson.error(sessionId, tx, JanusError.UNKNOWN, "Unknown error");
    }

    private static JanusException unhandled(String request) {
        return new JanusException(JanusError.INVALID_REQUEST_PATH, "Unhandled request '" + request + "' at this path");
    }

    /** A session or handle id: absent, null or 0 = none; otherwise a non-negative JSON integer (467 otherwise). */
    private static long id(ObjectNode req, String field) throws JanusException {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw AdminJson.wrongType(field, "a positive integer");
        }
        return n.longValue();
    }
}
