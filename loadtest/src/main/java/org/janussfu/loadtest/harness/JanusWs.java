package org.janussfu.loadtest.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A minimal Janus API client over one WebSocket ("janus-protocol"): create, attach, message with or without JSEP,
 * detach, keepalive, with any number of transactions in flight. Replies are matched by transaction (an {@code ack}
 * is skipped, and an event that arrives before its ack — a known Janus race — is accepted); asynchronous events
 * (no transaction of ours) go to the listener registered for their {@code sender} handle. Works against janus-sfu
 * and Janus 1.1.2 alike. Thread: owned by one Vert.x context; every method must be called on it and every
 * callback runs there.
 */
final class JanusWs {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Context context;
    private WebSocket ws;
    private long session;
    private long tx;
    private final Map<String, Promise<JsonNode>> pending = new HashMap<>();
    private final Map<Long, Consumer<JsonNode>> handleEvents = new HashMap<>();
    /** Transactions an {@code ack} answers (keepalive); for the others the ack only says "processing". */
    private final java.util.Set<String> ackIsReply = new java.util.HashSet<>();
    private long keepaliveTimer = -1;
    private boolean closed;

    JanusWs(Context context) {
        this.context = context;
    }

    long session() {
        return session;
    }

    /** Connects and creates a session; starts a keepalive every 15 s (Janus' default session timeout is 60 s). */
    Future<Long> open(WebSocketClient client, int port) {
        return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/")
                        .addSubProtocol("janus-protocol"))
                .compose(socket -> {
                    ws = socket;
                    ws.textMessageHandler(this::onText);
                    ws.closeHandler(v -> failAll("websocket closed"));
                    ObjectNode r = JSON.createObjectNode().put("janus", "create");
                    return request(r);
                })
                .map(r -> {
                    session = r.path("data").path("id").asLong();
                    keepaliveTimer = context.owner().setPeriodic(15_000, id -> {
                        if (!closed) {
                            request(JSON.createObjectNode().put("janus", "keepalive"));
                        }
                    });
                    return session;
                });
    }

    Future<Long> attach(Consumer<JsonNode> events) {
        return request(JSON.createObjectNode().put("janus", "attach").put("plugin", "janus.plugin.sfu"))
                .map(r -> {
                    long h = r.path("data").path("id").asLong();
                    handleEvents.put(h, events);
                    return h;
                });
    }

    Future<JsonNode> detach(long handle) {
        handleEvents.remove(handle);
        return request(JSON.createObjectNode().put("janus", "detach").put("handle_id", handle));
    }

    /**
     * Sends a plugin message ({@code body} is JSON text) with an optional JSEP; completes with the whole event
     * (plugindata and jsep), or fails on a Janus error or a plugin {@code success:false}.
     */
    Future<JsonNode> message(long handle, String body, String jsepType, String sdp) {
        ObjectNode m = JSON.createObjectNode().put("janus", "message").put("handle_id", handle);
        try {
            m.set("body", JSON.readTree(body));
        } catch (Exception e) {
            return Future.failedFuture(e);
        }
        if (jsepType != null) {
            m.putObject("jsep").put("type", jsepType).put("sdp", sdp);
        }
        return request(m).compose(r -> {
            JsonNode data = r.path("plugindata").path("data");
            if (data.has("success") && !data.path("success").asBoolean()) {
                return Future.failedFuture("plugin error: " + data);
            }
            return Future.succeededFuture(r);
        });
    }

    private Future<JsonNode> request(ObjectNode req) {
        if (ws == null || closed) {
            return Future.failedFuture("not connected");
        }
        String t = "t" + (++tx);
        req.put("transaction", t);
        if (session != 0) {
            req.put("session_id", session);
        }
        Promise<JsonNode> p = Promise.promise();
        pending.put(t, p);
        if ("keepalive".equals(req.path("janus").asText())) {
            ackIsReply.add(t);
        }
        ws.writeTextMessage(req.toString());
        return p.future();
    }

    private void onText(String text) {
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (Exception e) {
            return;
        }
        String kind = m.path("janus").asText();
        if ("ack".equals(kind)) {
            String t = m.path("transaction").asText();
            if (ackIsReply.remove(t)) {
                Promise<JsonNode> p = pending.remove(t);
                if (p != null) {
                    p.tryComplete(m);
                }
            }
            return;
        }
        Promise<JsonNode> p = m.has("transaction") ? pending.remove(m.path("transaction").asText()) : null;
        if (p != null) {
            if ("error".equals(kind)) {
                p.tryFail(m.path("error").toString());
            } else {
                p.tryComplete(m);
            }
            return;
        }
        Consumer<JsonNode> l = handleEvents.get(m.path("sender").asLong());
        if (l != null) {
            l.accept(m);
        }
    }

    private void failAll(String why) {
        closed = true;
        for (Promise<JsonNode> p : pending.values()) {
            p.tryFail(why);
        }
        pending.clear();
    }

    /** Stops the keepalives and sends nothing more; the socket stays open (a frozen tab). Context only. */
    void goSilent() {
        if (keepaliveTimer >= 0) {
            context.owner().cancelTimer(keepaliveTimer);
            keepaliveTimer = -1;
        }
    }

    /** Closes the WebSocket (the server destroys the session and its handles: a "leave"). */
    void close() {
        if (keepaliveTimer >= 0) {
            context.owner().cancelTimer(keepaliveTimer);
        }
        if (ws != null && !closed) {
            ws.close();
        }
        failAll("closed");
    }
}
