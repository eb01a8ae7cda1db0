package org.janussfu.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.EchoPlugin;
import org.janussfu.testing.Poll;
import org.janussfu.testing.TestServer;
import org.janussfu.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.janussfu.transport.WebSocketProtocolTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Janus API over HTTP REST and long poll against a started server (with the JDK's HTTP client): paths,
 * ack on POST with the event on the long poll, maxev arrays, the keepalive answer of an idle poll, info,
 * CORS and OPTIONS, and body limits.
 */
@ExtendWith(VertxExtension.class)
class HttpTransportTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static TestServer server;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        // A 3 s long-poll timeout: a parked poll must still be parked when the event comes on a loaded box.
        server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_HTTP_LONG_POLL_TIMEOUT", "3",
                "JANUS_SFU_TRANSPORT_HTTP_MAX_BODY_SIZE", "4096"), v -> List.of(new EchoPlugin(v)));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String url(String path) {
        return "http://127.0.0.1:" + server.httpPort + "/janus" + path;
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static ObjectNode postJson(String path, String body) throws Exception {
        HttpResponse<String> r = post(path, body);
        assertEquals(200, r.statusCode(), r.body());
        return (ObjectNode) MAPPER.readTree(r.body());
    }

    static CompletableFuture<HttpResponse<String>> poll(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(url(path))).GET().timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static long create() throws Exception {
        return postJson("", "{\"janus\":\"create\",\"transaction\":\"c\"}").path("data").path("id").asLong();
    }

    @Test
    void createAttachMessageWithEventOnLongPoll() throws Exception {
        long s = create();
        ObjectNode att = postJson("/" + s, "{\"janus\":\"attach\",\"plugin\":\"" + EchoPlugin.NAME + "\",\"transaction\":\"a\"}");
        assertEquals("success", att.path("janus").asText());
        long h = att.path("data").path("id").asLong();
        ObjectNode ack = postJson("/" + s + "/" + h, "{\"janus\":\"message\",\"body\":{\"n\":7},\"transaction\":\"m\"}");
        assertEquals("ack", ack.path("janus").asText());
        assertEquals("Processing.", ack.path("hint").asText());
        JsonNode ev = MAPPER.readTree(poll("/" + s).get().body());
        assertEquals("event", ev.path("janus").asText());
        assertEquals("m", ev.path("transaction").asText());
        assertEquals(h, ev.path("sender").asLong());
        assertEquals(7, ev.path("plugindata").path("data").path("echo").path("n").asInt());
        ObjectNode tr = postJson("/" + s + "/" + h, "{\"janus\":\"trickle\",\"candidate\":null,\"transaction\":\"t\"}");
        assertEquals("ack", tr.path("janus").asText());
        ObjectNode ka = postJson("/" + s, "{\"janus\":\"keepalive\",\"transaction\":\"k\"}");
        assertEquals("ack", ka.path("janus").asText());
        assertEquals("success", postJson("/" + s + "/" + h, "{\"janus\":\"detach\",\"transaction\":\"d\"}").path("janus").asText());
        assertEquals("detached", MAPPER.readTree(poll("/" + s).get().body()).path("janus").asText());
        assertEquals("success", postJson("/" + s, "{\"janus\":\"destroy\",\"transaction\":\"x\"}").path("janus").asText());
        assertError((ObjectNode) MAPPER.readTree(poll("/" + s).get().body()), 458, "No such session " + s);
    }

    @Test
    void longPollMaxevReturnsArrayAndIdlePollGetsKeepalive() throws Exception {
        long s = create();
        long h = postJson("/" + s, "{\"janus\":\"attach\",\"plugin\":\"" + EchoPlugin.NAME + "\",\"transaction\":\"a\"}")
                .path("data").path("id").asLong();
        // The three events (of equal size) are queued before the poll, whenever the box gets to them.
        TransportCounters c = server.server.transportCounters();
        long queued0 = c.httpQueuedBytes.get();
        postJson("/" + s + "/" + h, "{\"janus\":\"message\",\"body\":{\"i\":0},\"transaction\":\"m0\"}");
        Poll.until(() -> c.httpQueuedBytes.get() > queued0, 10_000, () -> "the first event queued");
        long one = c.httpQueuedBytes.get() - queued0;
        for (int i = 1; i < 3; i++) {
            postJson("/" + s + "/" + h, "{\"janus\":\"message\",\"body\":{\"i\":" + i + "},\"transaction\":\"m" + i + "\"}");
        }
        Poll.until(() -> c.httpQueuedBytes.get() - queued0 >= 3 * one, 10_000, () -> "three events queued");
        JsonNode batch = MAPPER.readTree(poll("/" + s + "?maxev=5").get().body());
        assertTrue(batch.isArray(), batch::toString);
        assertEquals(3, batch.size());
        assertEquals("m0", batch.get(0).path("transaction").asText());
        long t0 = System.nanoTime();
        JsonNode idle = MAPPER.readTree(poll("/" + s).get().body());
        assertEquals("keepalive", idle.path("janus").asText());
        assertTrue(System.nanoTime() - t0 >= 2_900_000_000L, "idle poll waits for the timeout");
        // a parked poll is answered as soon as an event comes (the event is sent once the poll reached the server)
        long polls = c.longPolls.sum();
        CompletableFuture<HttpResponse<String>> parked = poll("/" + s);
        Poll.until(() -> c.longPolls.sum() > polls, 10_000, () -> "the poll reached the server");
        postJson("/" + s + "/" + h, "{\"janus\":\"message\",\"body\":{},\"transaction\":\"late\"}");
        assertEquals("late", MAPPER.readTree(parked.get().body()).path("transaction").asText());
    }

    @Test
    void pathsAndErrors() throws Exception {
        long s = create();
        assertError(postJson("", "{\"janus\":\"attach\",\"plugin\":\"x\",\"transaction\":\"a\"}"), 457,
                "Unhandled request 'attach' at this path");
        assertError(postJson("/" + s, "{\"janus\":\"create\",\"transaction\":\"a\"}"), 457, null);
        assertError(postJson("/" + s, "{\"janus\":\"message\",\"body\":{},\"transaction\":\"a\"}"), 457, null);
        assertError(postJson("/123", "{\"janus\":\"keepalive\",\"transaction\":\"a\"}"), 458, "No such session 123");
        assertError(postJson("/abc", "{\"janus\":\"keepalive\",\"transaction\":\"a\"}"), 458, "No such session abc");
        assertError(postJson("/" + s + "/77", "{\"janus\":\"message\",\"body\":{},\"transaction\":\"a\"}"), 459, null);
        assertError(postJson("", "{nope"), 454, null);
        assertError(postJson("", "\"str\""), 455, "JSON error: not an object");
        // the body's session_id does not override the path
        ObjectNode r = postJson("/" + s, "{\"janus\":\"keepalive\",\"session_id\":1,\"transaction\":\"k\"}");
        assertEquals("ack", r.path("janus").asText());
        HttpResponse<String> big = post("", "{\"janus\":\"create\",\"pad\":\"" + "x".repeat(8000) + "\",\"transaction\":\"a\"}");
        assertEquals(413, big.statusCode());
    }

    @Test
    void infoCorsAndOptions() throws Exception {
        HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create(url("/info"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, info.statusCode());
        assertEquals("server_info", MAPPER.readTree(info.body()).path("janus").asText());
        assertEquals("*", info.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        HttpResponse<String> pre = http.send(HttpRequest.newBuilder(URI.create(url("")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://example.test").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, pre.statusCode());
        assertEquals("*", pre.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(pre.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        assertEquals("content-type", pre.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
    }

    @Test
    void httpAndWebSocketShareSessions(Vertx vertx) throws Exception {
        try (WsClient ws = new WsClient(vertx, server.wsPort)) {
            long s = ws.createSession();
            long h = ws.attach(s, EchoPlugin.NAME);
            // A request over HTTP for a WebSocket session: the ack answers the POST, the event goes to the socket.
            ObjectNode ack = postJson("/" + s + "/" + h, "{\"janus\":\"message\",\"body\":{\"via\":\"http\"},\"transaction\":\"hx\"}");
            assertEquals("ack", ack.path("janus").asText());
            ObjectNode ev = ws.await(m -> "hx".equals(m.path("transaction").asText()));
            assertEquals("http", ev.path("plugindata").path("data").path("echo").path("via").asText());
        }
    }
}
