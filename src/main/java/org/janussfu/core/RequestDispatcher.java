package org.janussfu.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

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
    private static final Set<String> KNOWN = Set.of("info", "ping", "create", "keepalive", "attach", "destroy",
            "claim", "message", "trickle", "detach", "hangup");
    private static final String ACK_HINT = "Processing.";

    private final JanusCore core;

    RequestDispatcher(JanusCore core) {
        this.core = core;
    }

    void dispatch(ObjectNode req, RequestOrigin origin) {
        core.counters.requests.increment();
        JsonNode txNode = req.get("transaction");
        String tx = txNode != null && txNode.isTextual() ? txNode.asText() : null;
        long sessionId = 0;
        try {
            String request = requestName(req);
            if (txNode == null || txNode.isNull()) {
                throw JanusException.missing("transaction");
            }
            if (!txNode.isTextual()) {
                throw JanusException.wrongType("transaction", "a string");
            }
            sessionId = id(req, "session_id");
            long handleId = id(req, "handle_id");
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
        JsonNode wanted = req.get("id");
        long id;
        if (wanted != null && !wanted.isNull()) {
            if (!wanted.canConvertToExactIntegral() || wanted.asLong() <= 0 || wanted.asLong() > JanusCore.MAX_ID) {
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
            LOG.info(() -> "session created session=" + id + " transport=\"" + origin.describe() + "\"");
        });
    }

    // ---- session ----------------------------------------------------------------------------------------

    private void attach(Session s, String tx, ObjectNode req, RequestOrigin origin) throws JanusException {
        String pluginName = requiredText(req, "plugin");
        String opaqueId = optionalText(req, "opaque_id");
        // loop_index (naf-janus-adapter) is a scheduling hint: accepted, whatever its value, and ignored.
        Plugin plugin = core.plugin(pluginName);
        if (plugin == null) {
            throw new JanusException(JanusError.PLUGIN_NOT_FOUND, "No such plugin '" + pluginName + "'");
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
        LOG.info(() -> "session claimed session=" + s.id + " transport=\"" + origin.describe() + "\"");
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
            JsepHandler.applyRemote(h, jsep);
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
                LOG.warning(() -> "plugin message failed " + h + ": " + ar.cause());
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

    /** RFC 8838 §4: a null candidate, or {"completed":true}, ends the remote candidates. */
    private void addCandidate(Handle h, JsonNode c) {
        org.janussfu.webrtc.PeerConnection pc = h.media.pc;
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
        if (h.remoteCandidates.size() >= Handle.MAX_QUEUED_CANDIDATES) {
            core.counters.candidatesDropped.increment();
            return;
        }
        h.remoteCandidates.add(c);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private void fail(RequestOrigin origin, long sessionId, String tx, JanusException e) {
        core.counters.errors.increment();
        origin.reply(Replies.error(sessionId, tx, e.error(), e.reason()));
    }

    /** A bug, not bad input: answer 490 so that the client is not left waiting, and log it loudly. */
    private void unexpected(RequestOrigin origin, long sessionId, String tx, RuntimeException e) {
        core.counters.errors.increment();
        LOG.log(java.util.logging.Level.SEVERE, "request failed unexpectedly session=" + sessionId + " transaction=" + tx, e);
        origin.reply(Replies.error(sessionId, tx, JanusError.UNKNOWN, "Unknown error: " + e));
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

    private static long id(ObjectNode req, String field) throws JanusException {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.canConvertToExactIntegral() || n.asLong() < 0) {
            throw JanusException.wrongType(field, "a positive integer");
        }
        return n.asLong();
    }

    private static String requiredText(ObjectNode req, String field) throws JanusException {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) {
            throw JanusException.missing(field);
        }
        if (!n.isTextual()) {
            throw JanusException.wrongType(field, "a string");
        }
        return n.asText();
    }

    private static String optionalText(ObjectNode req, String field) throws JanusException {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw JanusException.wrongType(field, "a string");
        }
        return n.asText();
    }

    private static JanusException wrongPath(String request) {
        return new JanusException(JanusError.INVALID_REQUEST_PATH, "Unhandled request '" + request + "' at this path");
    }

    private static JanusException noSession(long id) {
        return new JanusException(JanusError.SESSION_NOT_FOUND, "No such session " + id);
    }
}
