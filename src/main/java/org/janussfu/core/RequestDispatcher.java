package org.janussfu.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

import org.janussfu.webrtc.PeerConnection;

import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Validates Janus API requests and routes them by path (root, session, handle), answering with Janus'
 * codes and reason texts ({@code apierror.h}, {@code janus.c}). Stateless apart from its core; the
 * envelope is checked on the transport's thread, then session and handle work runs on the session's
 * context. Requests are answered exactly once through their {@link RequestOrigin}.
 */
final class RequestDispatcher {
    private static final Logger LOG = Logger.getLogger(RequestDispatcher.class.getName());
    /** Lifecycle lines a client can repeat at will: all of them in normal life, a bounded number under attack. */
    private static final LogThrottle LIFECYCLE_LOG = new LogThrottle(LOG, java.util.logging.Level.INFO, 50, 10_000);
    private static final Set<String> KNOWN = Set.of("info", "ping", "create", "keepalive", "attach", "destroy",
            "claim", "message", "trickle", "detach", "hangup");
    private static final String ACK_HINT = "Processing.";
    /** A bug must be visible in the log, but a client that can trigger it must not be able to flood the log. */
    private static final LogThrottle UNEXPECTED_LOG = LogThrottle.of(LOG, java.util.logging.Level.SEVERE);
    private static final LogThrottle PLUGIN_FAILED_LOG = LogThrottle.of(LOG, java.util.logging.Level.WARNING);

    private final JanusCore core;

    RequestDispatcher(JanusCore core) {
        this.core = core;
    }

    void dispatch(ObjectNode req, RequestOrigin origin) {
        core.counters.requests.increment();
        JsonNode txNode = req.get("transaction");
        CoreLimits limits = core.config().limits();
        // An over-long transaction is never repeated back: the error goes out without it.
        String tx = txNode != null && txNode.isTextual() && Utf8.fits(txNode.textValue(), limits.maxTransactionBytes())
                ? txNode.textValue() : null;
        long sessionId = 0;
        try {
            String request = requestName(req);
            if (txNode == null || txNode.isNull()) {
                throw JanusException.missing("transaction");
            }
            if (!txNode.isTextual()) {
                throw JanusException.wrongType("transaction", "a string");
            }
            if (tx == null) {
                core.counters.refusedOverLimit.increment();
                throw tooLong("transaction", limits.maxTransactionBytes());
            }
            sessionId = id(req, "session_id", JanusError.SESSION_NOT_FOUND, "No such session ");
            long handleId = id(req, "handle_id", JanusError.HANDLE_NOT_FOUND, "No such handle ");
            if (!KNOWN.contains(request)) {
                throw new JanusException(JanusError.UNKNOWN_REQUEST, "Unknown request '" + request + "'");
            }
            if (request.equals("info")) {
                origin.reply(core.info(tx));
                return;
            }
            if (request.equals("ping")) {
                origin.reply(Replies.envelope("pong", 0, tx));
                return;
            }
            // Janus answers info and ping unauthenticated; everything else needs the secret or a token when set.
            if (!core.auth().authorizes(text(req, "apisecret"), text(req, "token"))) {
                core.counters.unauthorized.increment();
                throw new JanusException(JanusError.UNAUTHORIZED, ApiAuth.UNAUTHORIZED);
            }
            if (sessionId == 0) {
                if (!request.equals("create") || handleId != 0) {
                    throw wrongPath(request);
                }
                create(req, tx, origin);
                return;
            }
            Session s = core.sessions.get(sessionId);
            if (s == null) {
                throw noSession(sessionId);
            }
            s.run(() -> inSession(s, request, tx, handleId, req, origin));
        } catch (JanusException e) {
            fail(origin, sessionId, tx, e);
        } catch (RuntimeException e) {
            unexpected(origin, sessionId, tx, e);
        }
    }

    private void inSession(Session s, String request, String tx, long handleId, ObjectNode req, RequestOrigin origin) {
        try {
            if (s.destroyed) {
                throw noSession(s.id);
            }
            s.touch();
            if (handleId == 0) {
                switch (request) {
                    case "keepalive" -> origin.reply(Replies.ack(s.id, tx, null));
                    case "attach" -> attach(s, tx, req, origin);
                    case "destroy" -> {
                        origin.reply(Replies.success(s.id, tx));
                        core.destroySession(s, "destroy request");
                    }
                    case "claim" -> claim(s, tx, origin);
                    default -> throw wrongPath(request);
                }
                return;
            }
            Handle h = s.handles.get(handleId);
            if (h == null) {
                throw new JanusException(JanusError.HANDLE_NOT_FOUND,
                        "No such handle " + handleId + " in session " + s.id);
            }
            switch (request) {
                case "message" -> message(h, tx, req, origin);
                case "trickle" -> trickle(h, tx, req, origin);
                case "detach" -> {
                    origin.reply(Replies.success(s.id, tx));
                    core.detachHandle(h, true);
                }
                case "hangup" -> {
                    // Janus answers success whether or not a PeerConnection exists; only an existing one is torn
                    // down, with a hangup event, and only then does the plugin hear hangupMedia.
                    origin.reply(Replies.success(s.id, tx));
                    h.media.hangup("Janus API");
                }
                default -> throw wrongPath(request);
            }
        } catch (JanusException e) {
            fail(origin, s.id, tx, e);
        } catch (RuntimeException e) {
            unexpected(origin, s.id, tx, e);
        }
    }

    // ---- root -------------------------------------------------------------------------------------------

    private void create(ObjectNode req, String tx, RequestOrigin origin) throws JanusException {
        if (!core.accepting()) {
            throw new JanusException(JanusError.NOT_ACCEPTING_SESSIONS, "Not accepting new sessions");
        }
        CoreLimits limits = core.config().limits();
        if (core.sessions.size() >= limits.maxSessions()) {
            core.counters.refusedOverLimit.increment();
            throw new JanusException(JanusError.NOT_ACCEPTING_SESSIONS,
                    "Server is full (limit " + limits.maxSessions() + " sessions)");
        }
        if (origin.sessionsHeld() >= limits.maxSessionsPerConnection()) {
            core.counters.refusedOverLimit.increment();
            throw new JanusException(JanusError.NOT_ACCEPTING_SESSIONS,
                    "Too many sessions on this connection (limit " + limits.maxSessionsPerConnection() + ")");
        }
        String overload = core.overload().overloadReason();
        if (overload != null) {
            core.counters.refusedOverloaded.increment();
            throw new JanusException(JanusError.NOT_ACCEPTING_SESSIONS, "Server is full (" + overload + ")");
        }
        JsonNode wanted = req.get("id");
        long id;
        if (wanted != null && !wanted.isNull()) {
            if (!wanted.isIntegralNumber() || !wanted.canConvertToLong() || wanted.asLong() <= 0
                    || wanted.asLong() > JanusCore.MAX_ID) {
                throw JanusException.wrongType("id", "a positive integer");
            }
            id = wanted.asLong();
        } else {
            id = core.newId(core.sessions);
        }
        // The session is built on its owning context so that it records that context's thread.
        origin.context().runOnContext(v -> {
            Session s = new Session(id, origin.context(), null);
            if (core.sessions.putIfAbsent(id, s) != null) {
                fail(origin, 0, tx, new JanusException(JanusError.SESSION_CONFLICT, "Session ID already in use"));
                return;
            }
            EventSink sink = origin.sinkForSession(id);
            s.sink = sink;
            sink.sessionAttached(id);
            core.counters.sessionsCreated.increment();
            origin.reply(Replies.successWithId(0, tx, id));
            LIFECYCLE_LOG.log(() -> "session created session=" + id + " transport=\"" + origin.describe() + "\"");
        });
    }

    // ---- session ----------------------------------------------------------------------------------------

    private void attach(Session s, String tx, ObjectNode req, RequestOrigin origin) throws JanusException {
        CoreLimits limits = core.config().limits();
        String pluginName = requiredText(req, "plugin", limits.maxPluginNameBytes());
        String opaqueId = optionalText(req, "opaque_id", limits.maxOpaqueIdBytes());
        // loop_index (naf-janus-adapter) is a scheduling hint: accepted, whatever its value, and ignored.
        Plugin plugin = core.plugin(pluginName);
        if (plugin == null) {
            throw new JanusException(JanusError.PLUGIN_NOT_FOUND, "No such plugin '" + pluginName + "'");
        }
        if (!core.auth().mayAttach(text(req, "apisecret"), text(req, "token"), pluginName)) {
            core.counters.unauthorized.increment();
            throw new JanusException(JanusError.UNAUTHORIZED_PLUGIN, "Provided token can't access plugin '" + pluginName + "'");
        }
        if (s.handles.size() >= limits.maxHandlesPerSession()) {
            core.counters.refusedOverLimit.increment();
            throw new JanusException(JanusError.PLUGIN_ATTACH, "Couldn't attach to plugin: too many handles in this session (limit "
                    + limits.maxHandlesPerSession() + ")");
        }
        if (core.handles.size() >= limits.maxHandles()) {
            core.counters.refusedOverLimit.increment();
            throw new JanusException(JanusError.PLUGIN_ATTACH, "Couldn't attach to plugin: server is full (limit "
                    + limits.maxHandles() + " handles)");
        }
        long id = core.newId(core.handles);
        Handle h = new Handle(id, s, plugin, opaqueId, core);
        if (core.handles.putIfAbsent(id, h) != null) {
            throw new JanusException(JanusError.PLUGIN_ATTACH, "Couldn't attach to plugin: id clash");
        }
        try {
            plugin.createSession(h);
        } catch (JanusException | RuntimeException e) {
            h.markDead();
            core.handles.remove(id);
            throw e;
        }
        s.handles.put(id, h);
        core.counters.handlesAttached.increment();
        origin.reply(Replies.successWithId(s.id, tx, id));
        LOG.fine(() -> "handle attached session=" + s.id + " handle=" + id + " plugin=" + pluginName);
    }

    private void claim(Session s, String tx, RequestOrigin origin) {
        EventSink old = s.sink;
        EventSink sink = origin.sinkForSession(s.id);
        if (old != sink) {
            if (old != null) {
                old.sessionDetached(s.id);
            }
            s.sink = sink;
            sink.sessionAttached(s.id);
        }
        s.orphanedAtNanos = 0;
        origin.reply(Replies.success(s.id, tx));
        LIFECYCLE_LOG.log(() -> "session claimed session=" + s.id + " transport=\"" + origin.describe() + "\"");
    }

    // ---- handle -----------------------------------------------------------------------------------------

    private void message(Handle h, String tx, ObjectNode req, RequestOrigin origin) throws JanusException {
        JsonNode body = req.get("body");
        if (body == null || body.isNull()) {
            throw JanusException.missing("body");
        }
        if (!body.isObject()) {
            throw JanusException.wrongType("body", "an object");
        }
        Jsep jsep = JsepValidator.parse(req.get("jsep"));
        if (jsep != null && jsep.type() == Jsep.Type.ANSWER) {
            if (!h.awaitingAnswer) {
                throw new JanusException(JanusError.UNEXPECTED_ANSWER, "Unexpected ANSWER (did we offer?)");
            }
            h.awaitingAnswer = false;
        }
        if (jsep != null) {
            requirePeerConnectionBudget(h);
            JsepHandler.applyRemote(h, jsep);
            h.candidatesReceived = 0; // the trickle budget is per remote description (an ICE restart brings new ones)
        }
        Session s = h.session;
        origin.reply(Replies.ack(s.id, tx, ACK_HINT));
        Future<PluginReply> reply;
        try {
            reply = h.plugin.handleMessage(h, tx, (ObjectNode) body, jsep);
        } catch (RuntimeException e) {
            reply = Future.failedFuture(e);
        }
        reply.onComplete(ar -> s.run(() -> {
            if (!h.isAlive()) {
                core.counters.eventsDropped.increment();
                return;
            }
            if (ar.succeeded()) {
                PluginReply r = ar.result();
                if (r.jsep() != null && !peerConnectionAllowed(h)) {
                    core.sendEvent(s, Replies.error(s.id, tx, JanusError.WEBRTC_STATE, peerConnectionsFull()));
                    return;
                }
                Jsep local = r.jsep() == null ? null : JsepHandler.completeLocal(h, r.jsep());
                if (r.jsep() != null && local == null) {
                    core.sendEvent(s, Replies.error(s.id, tx, JanusError.PLUGIN_MESSAGE, "Plugin error: unusable SDP"));
                    return;
                }
                if (local != null && local.type() == Jsep.Type.OFFER) {
                    h.awaitingAnswer = true;
                }
                core.sendEvent(s, Replies.pluginEvent(s.id, tx, h.id, h.plugin.info().packageName(), r.data(), local));
            } else {
                PLUGIN_FAILED_LOG.log(() -> "plugin message failed " + h + ": " + ar.cause());
                core.counters.errors.increment();
                core.sendEvent(s, Replies.error(s.id, tx, JanusError.PLUGIN_MESSAGE,
                        "Plugin error: " + ar.cause().getMessage()));
            }
        }));
    }

    private void trickle(Handle h, String tx, ObjectNode req, RequestOrigin origin) throws JanusException {
        JsonNode candidate = req.get("candidate");
        JsonNode candidates = req.get("candidates");
        if (candidate == null && candidates == null) {
            throw JanusException.missing("candidate");
        }
        if (candidates != null && !candidates.isNull() && !candidates.isArray()) {
            throw JanusException.wrongType("candidates", "an array");
        }
        if (candidate != null && !candidate.isNull() && !candidate.isObject()) {
            throw JanusException.wrongType("candidate", "an object");
        }
        CoreLimits limits = core.config().limits();
        int count = candidate != null ? 1 : 0;
        if (candidates != null && candidates.isArray()) {
            count += candidates.size();
            for (JsonNode c : candidates) {
                checkCandidate(c, limits);
            }
        }
        if (candidate != null) {
            checkCandidate(candidate, limits);
        }
        if (h.candidatesReceived + count > limits.maxCandidatesPerHandle()) {
            core.counters.candidatesDropped.add(count);
            core.counters.refusedOverLimit.increment();
            throw new JanusException(JanusError.TRICKLE_INVALID_STREAM, "Too many candidates for this handle (limit "
                    + limits.maxCandidatesPerHandle() + " per remote description)");
        }
        h.candidatesReceived += count;
        if (candidate != null) {
            addCandidate(h, candidate);
        }
        if (candidates != null && candidates.isArray()) {
            for (JsonNode c : candidates) {
                addCandidate(h, c);
            }
        }
        origin.reply(Replies.ack(h.session.id, tx, null));
    }

    /** A candidate line over the byte cap refuses the whole trickle request before anything is applied. */
    private void checkCandidate(JsonNode c, CoreLimits limits) throws JanusException {
        JsonNode line = c.get("candidate");
        if (line != null && line.isTextual() && !Utf8.fits(line.textValue(), limits.maxCandidateBytes())) {
            core.counters.refusedOverLimit.increment();
            throw tooLong("candidate", limits.maxCandidateBytes());
        }
    }

    /** RFC 8838 §4: a null candidate, or {"completed":true}, ends the remote candidates. */
    private void addCandidate(Handle h, JsonNode c) {
        PeerConnection pc = h.media.pc;
        if (c.isNull() || !c.isObject() || c.has("completed")) {
            h.remoteCandidatesComplete = true;
            if (pc != null) {
                pc.endOfRemoteCandidates();
            }
            return;
        }
        JsonNode line = c.get("candidate");
        if (line == null || !line.isTextual() || line.asText().isBlank() || line.asText().contains("end-of-candidates")) {
            return;
        }
        if (pc != null) {
            pc.addRemoteCandidate(line.asText());
            return;
        }
        if (h.remoteCandidates.size() >= core.config().limits().maxCandidatesPerHandle()) {
            core.counters.candidatesDropped.increment();
            return;
        }
        h.remoteCandidates.add(c);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** A handle that has (or is about to get) a PeerConnection within the server-wide ceiling. */
    private boolean peerConnectionAllowed(Handle h) {
        PeerConnection pc = h.media.pc;
        if (pc != null && !pc.isClosed()) {
            return true;
        }
        if (core.media().openConnections() < core.config().limits().maxPeerConnections()) {
            return true;
        }
        core.counters.refusedOverLimit.increment();
        return false;
    }

    private void requirePeerConnectionBudget(Handle h) throws JanusException {
        if (!peerConnectionAllowed(h)) {
            throw new JanusException(JanusError.WEBRTC_STATE, peerConnectionsFull());
        }
    }

    private String peerConnectionsFull() {
        return "Server is full (limit " + core.config().limits().maxPeerConnections() + " PeerConnections)";
    }

    private void fail(RequestOrigin origin, long sessionId, String tx, JanusException e) {
        core.counters.errors.increment();
        origin.reply(Replies.error(sessionId, tx, e.error(), e.reason()));
    }

    /** A bug, not bad input: answer 490 so that the client is not left waiting, and log it loudly. */
    private void unexpected(RequestOrigin origin, long sessionId, String tx, RuntimeException e) {
        core.counters.errors.increment();
        UNEXPECTED_LOG.log(() -> "request failed unexpectedly session=" + sessionId + " transaction=" + tx + ": " + e
                + " at " + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?"));
        origin.reply(Replies.error(sessionId, tx, JanusError.UNKNOWN, "Unknown error"));
    }

    private static String requestName(ObjectNode req) throws JanusException {
        JsonNode j = req.get("janus");
        if (j == null || j.isNull()) {
            throw JanusException.missing("janus");
        }
        if (!j.isTextual()) {
            throw JanusException.wrongType("janus", "a string");
        }
        return j.asText().toLowerCase(Locale.ROOT);
    }

    /**
     * A session or handle id: absent, null or 0 mean none; otherwise a JSON integer (never {@code 1.0} or
     * {@code 1e2}: 467). One that does not fit 64 bits is a JSON error (454, as Janus' parser answers), and one
     * above 2^53-1 — no id the server hands out — names nothing (458/459), instead of wrapping onto a real id.
     */
    static long id(ObjectNode req, String field, JanusError notFound, String notFoundText) throws JanusException {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isIntegralNumber()) {
            throw JanusException.wrongType(field, "a positive integer");
        }
        if (!n.canConvertToLong()) {
            throw new JanusException(JanusError.INVALID_JSON, "JSON error: on line 1: " + field + " is too big an integer");
        }
        long v = n.longValue();
        if (v < 0) {
            throw JanusException.wrongType(field, "a positive integer");
        }
        if (v > JanusCore.MAX_ID) {
            throw new JanusException(notFound, notFoundText + v);
        }
        return v;
    }

    /** A string field's value, or null when absent or not a string (auth fields: anything else never matches). */
    private static String text(ObjectNode req, String field) {
        JsonNode n = req.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private static String requiredText(ObjectNode req, String field, int maxBytes) throws JanusException {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) {
            throw JanusException.missing(field);
        }
        return optionalText(req, field, maxBytes);
    }

    private static String optionalText(ObjectNode req, String field, int maxBytes) throws JanusException {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw JanusException.wrongType(field, "a string");
        }
        if (!Utf8.fits(n.textValue(), maxBytes)) {
            throw tooLong(field, maxBytes);
        }
        return n.textValue();
    }

    /** 467 naming the element and its byte cap (docs/security.md). */
    static JanusException tooLong(String field, int maxBytes) {
        return JanusException.wrongType(field, "a string of at most " + maxBytes + " bytes");
    }

    private static JanusException wrongPath(String request) {
        return new JanusException(JanusError.INVALID_REQUEST_PATH, "Unhandled request '" + request + "' at this path");
    }

    private static JanusException noSession(long id) {
        return new JanusException(JanusError.SESSION_NOT_FOUND, "No such session " + id);
    }
}
