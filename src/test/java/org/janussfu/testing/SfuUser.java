package org.janussfu.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;

import java.util.function.Predicate;

/**
 * One simulated room client for protocol tests, shaped like naf-janus-adapter: a WebSocket, a session, a
 * publisher handle joined with {notifications, data}, and optional subscriber handles. Waits run on the
 * JUnit thread.
 */
public final class SfuUser implements AutoCloseable {
    public static final String PLUGIN = "janus.plugin.sfu";
    public final WsClient ws;
    public final String userId;
    public final long session;
    public final long publisher;

    public SfuUser(Vertx vertx, int port, String userId) throws Exception {
        this.ws = new WsClient(vertx, port);
        this.userId = userId;
        this.session = ws.createSession();
        this.publisher = ws.attach(session, PLUGIN);
    }

    public long attach() throws InterruptedException {
        return ws.attach(session, PLUGIN);
    }

    /** Sends a plugin message on {@code handle} and returns the event answering it (after the ack). */
    public ObjectNode message(long handle, String body) throws InterruptedException {
        return messageWithJsep(handle, body, null);
    }

    public ObjectNode messageWithJsep(long handle, String body, String jsepJson) throws InterruptedException {
        String req = "{\"janus\":\"message\",\"session_id\":" + session + ",\"handle_id\":" + handle + ",\"body\":" + body
                + (jsepJson == null ? "" : ",\"jsep\":" + jsepJson) + "}";
        String tx = ws.send(WsClient.json(req));
        ObjectNode first = ws.await(m -> tx.equals(m.path("transaction").asText()));
        if (!"ack".equals(first.path("janus").asText())) {
            return first;
        }
        return ws.await(m -> tx.equals(m.path("transaction").asText()));
    }

    /** The plugin data of a reply event. */
    public static ObjectNode data(ObjectNode event) {
        return (ObjectNode) event.path("plugindata").path("data");
    }

    public ObjectNode joinAsPublisher(String room, String token) throws InterruptedException {
        return data(message(publisher, "{\"kind\":\"join\",\"room_id\":\"" + room + "\",\"user_id\":\"" + userId
                + "\",\"subscribe\":{\"notifications\":true,\"data\":true},\"token\":" + quote(token) + "}"));
    }

    public static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    /** Waits for an asynchronous plugin event (no transaction) on this user's publisher handle matching {@code p}. */
    public ObjectNode awaitEvent(Predicate<ObjectNode> p) throws InterruptedException {
        return awaitEvent(p, 10_000);
    }

    /** As {@link #awaitEvent(Predicate)}, waiting up to {@code millis}. */
    public ObjectNode awaitEvent(Predicate<ObjectNode> p, long millis) throws InterruptedException {
        return data(ws.await(m -> !m.has("transaction") && "event".equals(m.path("janus").asText())
                && m.path("sender").asLong() == publisher && p.test(data(m)), millis));
    }

    public void assertNoEvent(Predicate<ObjectNode> p, long millis) throws InterruptedException {
        ws.assertNone(m -> !m.has("transaction") && "event".equals(m.path("janus").asText()) && p.test(data(m)), millis);
    }

    public static Predicate<ObjectNode> event(String name, String user) {
        return d -> name.equals(d.path("event").asText()) && (user == null || user.equals(d.path("user_id").asText())
                || user.equals(d.path("by").asText()));
    }

    @Override
    public void close() throws Exception {
        ws.close();
    }
}
