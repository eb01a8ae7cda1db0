package org.janussfu.core;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builders for the Janus API envelopes the core sends (success, ack, error and the asynchronous events),
 * in the key order Janus uses. Stateless; any thread.
 */
public final class Replies {
    public static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Replies() {
    }

    /** {"janus":name[,"session_id":s][,"transaction":tx]} in Janus' key order. */
    public static ObjectNode envelope(String janus, long sessionId, String transaction) {
        ObjectNode o = JSON.objectNode();
        o.put("janus", janus);
        if (sessionId != 0) {
            o.put("session_id", sessionId);
        }
        if (transaction != null) {
            o.put("transaction", transaction);
        }
        return o;
    }

    static ObjectNode success(long sessionId, String transaction) {
        return envelope("success", sessionId, transaction);
    }

    static ObjectNode successWithId(long sessionId, String transaction, long id) {
        ObjectNode o = success(sessionId, transaction);
        o.putObject("data").put("id", id);
        return o;
    }

    static ObjectNode ack(long sessionId, String transaction, String hint) {
        ObjectNode o = envelope("ack", sessionId, transaction);
        if (hint != null) {
            o.put("hint", hint);
        }
        return o;
    }

    public static ObjectNode error(long sessionId, String transaction, JanusError error, String reason) {
        ObjectNode o = envelope("error", sessionId, transaction);
        ObjectNode e = o.putObject("error");
        e.put("code", error.code());
        e.put("reason", reason);
        return o;
    }

    static ObjectNode pluginEvent(long sessionId, String transaction, long sender, String plugin, ObjectNode data,
                                  Jsep jsep) {
        ObjectNode o = envelope("event", sessionId, transaction);
        o.put("sender", sender);
        ObjectNode pd = o.putObject("plugindata");
        pd.put("plugin", plugin);
        pd.set("data", data);
        if (jsep != null) {
            ObjectNode j = o.putObject("jsep");
            j.put("type", jsep.type().wire());
            j.put("sdp", jsep.sdp());
        }
        return o;
    }

    static ObjectNode handleEvent(String janus, long sessionId, long sender) {
        ObjectNode o = envelope(janus, sessionId, null);
        o.put("sender", sender);
        return o;
    }
}
