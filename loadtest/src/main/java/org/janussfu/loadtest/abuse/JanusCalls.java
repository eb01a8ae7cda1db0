package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The few Janus API and janus.plugin.sfu requests the abuse script sends, as JSON text, and blocking round trips of
 * them over a {@link RawWs}: {@code create}, {@code attach janus.plugin.sfu} (optional {@code opaque_id}), and the
 * plugin {@code message}s join / block / data. Stateless apart from a transaction counter; any thread.
 */
final class JanusCalls {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong TX = new AtomicLong();

    private JanusCalls() {
    }

    static String tx() {
        return "x" + TX.incrementAndGet();
    }

    static String create(String tx) {
        return "{\"janus\":\"create\",\"transaction\":\"" + tx + "\"}";
    }

    static String attach(long session, String tx, String opaqueId) {
        ObjectNode o = JSON.createObjectNode().put("janus", "attach").put("plugin", "janus.plugin.sfu")
                .put("session_id", session).put("transaction", tx);
        if (opaqueId != null) {
            o.put("opaque_id", opaqueId);
        }
        return o.toString();
    }

    static String keepalive(long session, String tx) {
        return "{\"janus\":\"keepalive\",\"session_id\":" + session + ",\"transaction\":\"" + tx + "\"}";
    }

    /** A plugin message whose body is {@code body}. */
    static String message(long session, long handle, String tx, ObjectNode body) {
        ObjectNode o = JSON.createObjectNode().put("janus", "message").put("session_id", session)
                .put("handle_id", handle).put("transaction", tx);
        o.set("body", body);
        return o.toString();
    }

    /** {@code join}; with {@code publisher} the handle subscribes to notifications and data (a Hubs publisher). */
    static ObjectNode joinBody(String room, String user, boolean publisher) {
        ObjectNode b = JSON.createObjectNode().put("kind", "join").put("room_id", room).put("user_id", user);
        if (publisher) {
            b.putObject("subscribe").put("notifications", true).put("data", true);
        }
        return b;
    }

    static ObjectNode blockBody(String whom) {
        return JSON.createObjectNode().put("kind", "block").put("whom", whom);
    }

    static ObjectNode dataBody(String body) {
        return JSON.createObjectNode().put("kind", "data").put("body", body);
    }

    // ---------------------------------------------------------------- blocking round trips

    static long createSession(RawWs ws) throws IOException {
        String t = tx();
        return id(ws.call(create(t), t), "create");
    }

    static long attachHandle(RawWs ws, long session, String opaqueId) throws IOException {
        String t = tx();
        return id(ws.call(attach(session, t, opaqueId), t), "attach");
    }

    /** Joins and returns the reply; throws if the plugin answered {@code success:false} or Janus an error. */
    static String join(RawWs ws, long session, long handle, String room, String user, boolean publisher) throws IOException {
        String t = tx();
        String r = ws.call(message(session, handle, t, joinBody(room, user, publisher)), t);
        String verdict = verdict(r);
        if (!"ok".equals(verdict)) {
            throw new IOException("join refused: " + verdict);
        }
        return r;
    }

    private static long id(String reply, String what) throws IOException {
        JsonNode n = JSON.readTree(reply);
        if (!"success".equals(n.path("janus").asText())) {
            throw new IOException(what + " refused: " + Report.clip(n.path("error").toString(), 160));
        }
        return n.path("data").path("id").asLong();
    }

    /**
     * Classifies a reply: {@code ok}, {@code error <code>} (Janus error), or {@code plugin-error <msg>} (the plugin's
     * {@code success:false}). Works on the head of a large reply.
     */
    static String verdict(String reply) {
        if (reply.contains("\"janus\":\"error\"")) {
            int i = reply.indexOf("\"code\":");
            String code = i < 0 ? "?" : reply.substring(i + 7).replaceAll("^(\\d+).*", "$1");
            return "error " + Report.clip(code, 8);
        }
        int s = reply.indexOf("\"success\":false");
        if (s >= 0) {
            int m = reply.indexOf("\"msg\":", s);
            return "plugin-error " + (m < 0 ? "" : Report.clip(reply.substring(m + 6).replaceAll("^\"([^\"]*)\".*", "$1"), 80));
        }
        return "ok";
    }
}
