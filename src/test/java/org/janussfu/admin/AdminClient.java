package org.janussfu.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import org.janussfu.testing.WsClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test client of the Admin API over one of its transports: HTTP (the session and handle go in the path) or
 * WebSocket with {@code janus-admin-protocol} (they go in the JSON). Used from the JUnit thread.
 */
abstract class AdminClient implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicLong TX = new AtomicLong();

    abstract String name();

    /** Sends {@code request} (a fresh transaction added unless present) to the root, a session or a handle. */
    abstract ObjectNode call(long session, long handle, ObjectNode request) throws Exception;

    /** Sends {@code json} as is to the root and returns the reply that carries no transaction (an envelope error). */
    abstract ObjectNode raw(String json) throws Exception;

    ObjectNode call(ObjectNode request) throws Exception {
        return call(0, 0, request);
    }

    /** {"janus":request[,"admin_secret":secret]} plus the given extra fields (JSON object text without braces). */
    static ObjectNode req(String request, String secret, String extra) {
        String s = "{\"janus\":\"" + request + "\",\"transaction\":\"a" + TX.incrementAndGet() + "\""
                + (secret == null ? "" : ",\"admin_secret\":\"" + secret + "\"")
                + (extra == null || extra.isEmpty() ? "" : "," + extra) + "}";
        return WsClient.json(s);
    }

    @Override
    public void close() throws Exception {
    }

    static AdminClient http(int port) {
        return new Http(port);
    }

    static AdminClient ws(Vertx vertx, int port) throws Exception {
        return new Ws(new WsClient(vertx, port, AdminServer.SUBPROTOCOL));
    }

    static final class Http extends AdminClient {
        final int port;
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Http(int port) {
            this.port = port;
        }

        @Override
        String name() {
            return "http";
        }

        HttpResponse<String> post(String path, String body) throws Exception {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> get(String path) throws Exception {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET()
                    .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        }

        @Override
        ObjectNode raw(String json) throws Exception {
            HttpResponse<String> r = post("/admin", json);
            return (ObjectNode) MAPPER.readTree(r.body());
        }

        @Override
        ObjectNode call(long session, long handle, ObjectNode request) throws Exception {
            String path = "/admin" + (session != 0 ? "/" + session : "") + (handle != 0 ? "/" + handle : "");
            HttpResponse<String> r = post(path, request.toString());
            if (r.statusCode() != 200) {
                throw new AssertionError("HTTP " + r.statusCode() + ": " + r.body());
            }
            return (ObjectNode) MAPPER.readTree(r.body());
        }
    }

    static final class Ws extends AdminClient {
        final WsClient ws;

        Ws(WsClient ws) {
            this.ws = ws;
        }

        @Override
        String name() {
            return "ws";
        }

        @Override
        ObjectNode call(long session, long handle, ObjectNode request) throws Exception {
            if (session != 0) {
                request.put("session_id", session);
            }
            if (handle != 0) {
                request.put("handle_id", handle);
            }
            return ws.call(request);
        }

        @Override
        ObjectNode raw(String json) throws Exception {
            ws.sendRaw(json);
            return ws.await(m -> !m.has("transaction"));
        }

        @Override
        public void close() throws Exception {
            ws.close();
        }
    }
}
