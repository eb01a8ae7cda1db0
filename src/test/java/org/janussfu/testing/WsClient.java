package org.janussfu.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A blocking Janus API WebSocket client for protocol tests: sends JSON requests, and waits (on the JUnit
 * thread) for the messages the server sends, matching them by transaction or predicate. Messages that do not
 * match a wait are kept for later waits, so ordering assertions can look at everything received. Holds its
 * Vert.x client in a field: Vert.x closes unreferenced clients on GC.
 */
public final class WsClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final WebSocketClient client;
    private final WebSocket ws;
    private final LinkedBlockingQueue<ObjectNode> inbox = new LinkedBlockingQueue<>();
    private final List<ObjectNode> backlog = new ArrayList<>();
    /** Everything received, in order. */
    public final List<ObjectNode> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong tx = new AtomicLong();
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    public WsClient(Vertx vertx, int port) throws Exception {
        this(vertx, port, "janus-protocol");
    }

    public WsClient(Vertx vertx, int port, String subprotocol) throws Exception {
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(16 * 1024 * 1024)
                .setMaxFrameSize(16 * 1024 * 1024));
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/");
        if (subprotocol != null) {
            o.addSubProtocol(subprotocol);
        }
        ws = client.connect(o).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws.textMessageHandler(t -> {
            try {
                ObjectNode n = (ObjectNode) MAPPER.readTree(t);
                received.add(n);
                inbox.add(n);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ws.closeHandler(v -> closed.countDown());
    }

    public WebSocket socket() {
        return ws;
    }

    public String nextTransaction() {
        return "t" + tx.incrementAndGet();
    }

    public static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    public void sendRaw(String text) {
        ws.writeTextMessage(text);
    }

    public void sendBinary(byte[] data) {
        ws.writeBinaryMessage(Buffer.buffer(data));
    }

    /** Sends {@code request} with a fresh transaction (unless it has one) and returns that transaction. */
    public String send(ObjectNode request) {
        if (!request.has("transaction")) {
            request.put("transaction", nextTransaction());
        }
        ws.writeTextMessage(request.toString());
        return request.get("transaction").asText();
    }

    /** Sends and waits for the first reply carrying the request's transaction. */
    public ObjectNode call(ObjectNode request) throws InterruptedException {
        String t = send(request);
        return await(m -> t.equals(m.path("transaction").asText(null)));
    }

    public ObjectNode call(String json) throws InterruptedException {
        return call(json(json));
    }

    public ObjectNode await(Predicate<ObjectNode> p) throws InterruptedException {
        return await(p, 10_000);
    }

    public ObjectNode await(Predicate<ObjectNode> p, long millis) throws InterruptedException {
        synchronized (backlog) {
            for (Iterator<ObjectNode> it = backlog.iterator(); it.hasNext(); ) {
                ObjectNode m = it.next();
                if (p.test(m)) {
                    it.remove();
                    return m;
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching message within " + millis + " ms; received " + received);
            }
            ObjectNode m = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                continue;
            }
            if (p.test(m)) {
                return m;
            }
            synchronized (backlog) {
                backlog.add(m);
            }
        }
    }

    /** Asserts that nothing matching {@code p} arrives within {@code millis}. */
    public void assertNone(Predicate<ObjectNode> p, long millis) throws InterruptedException {
        try {
            ObjectNode m = await(p, millis);
            throw new IllegalStateException("unexpected message " + m);
        } catch (AssertionError expected) {
            // nothing came: good
        }
    }

    public long createSession() throws InterruptedException {
        ObjectNode r = call("{\"janus\":\"create\"}");
        if (!"success".equals(r.path("janus").asText())) {
            throw new AssertionError("create failed: " + r);
        }
        return r.path("data").path("id").asLong();
    }

    public long attach(long session, String plugin) throws InterruptedException {
        ObjectNode r = call("{\"janus\":\"attach\",\"session_id\":" + session + ",\"plugin\":\"" + plugin + "\"}");
        if (!"success".equals(r.path("janus").asText())) {
            throw new AssertionError("attach failed: " + r);
        }
        return r.path("data").path("id").asLong();
    }

    public boolean awaitClose(long millis) throws InterruptedException {
        return closed.await(millis, TimeUnit.MILLISECONDS);
    }

    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    @Override
    public void close() throws Exception {
        if (!isClosed()) {
            ws.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        client.close();
    }
}
