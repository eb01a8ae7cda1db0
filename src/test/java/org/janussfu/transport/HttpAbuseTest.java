package org.janussfu.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.testing.EchoPlugin;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.janussfu.transport.WebSocketProtocolTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP abuse, bounded: empty, non-UTF-8, trailing-garbage, too deep and too long-numbered bodies (454 in our own
 * words, never 500 and never a parser's internals), path ids outside 1..2^53-1 (458/459), h2c refused on both
 * ports, and a session's undelivered events bounded in bytes with the oldest dropped and counted.
 */
class HttpAbuseTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final int QUEUE_BYTES = 64 * 1024;
    static TestServer server;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_HTTP_MAX_QUEUED_BYTES", Integer.toString(QUEUE_BYTES),
                "JANUS_SFU_TRANSPORT_HTTP_LONG_POLL_TIMEOUT", "1"), v -> List.of(new EchoPlugin(v)));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort + "/janus" + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static ObjectNode postJson(String path, String body) throws Exception {
        HttpResponse<String> r = post(path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        return (ObjectNode) MAPPER.readTree(r.body());
    }

    static void assertOurWords(ObjectNode reply) {
        String reason = reply.path("error").path("reason").asText();
        assertTrue(reason.startsWith("JSON error: on line "), reason);
        for (String internal : new String[]{"StreamReadConstraints", "Jackson", "fasterxml", "Exception", "JsonToken"}) {
            assertFalse(reason.contains(internal), reason);
        }
    }

    @Test
    void badBodiesAre454InOurWordsWithoutServerErrors() throws Exception {
        List<LogRecord> severe = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    severe.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            for (int i = 0; i < 50; i++) {
                HttpResponse<String> r = post("", new byte[0]);
                assertEquals(200, r.statusCode(), "empty body: not a server error");
                assertError((ObjectNode) MAPPER.readTree(r.body()), 454, "JSON error: on line 1: empty input");
            }
            ObjectNode utf8 = (ObjectNode) MAPPER.readTree(post("", new byte[]{'{', '"', 'a', '"', ':', '"',
                    (byte) 0xc3, '"', '}'}).body());
            assertError(utf8, 454, "JSON error: on line 1: invalid UTF-8 at byte 6");
            for (String body : new String[]{"{\"janus\":\"create\",\"transaction\":\"x\"} trailing",
                    "{\"janus\":\"create\",\"transaction\":\"x\"}{}", "{\"janus\":\"create\"}]"}) {
                ObjectNode r = postJson("", body);
                assertError(r, 454, null);
                assertOurWords(r);
                assertTrue(r.path("error").path("reason").asText().contains("data after the JSON value"), r::toString);
            }
            ObjectNode deep = postJson("", "[".repeat(200) + "]".repeat(200));
            assertError(deep, 454, "JSON error: on line 1: nested deeper than 64 levels");
            ObjectNode number = postJson("", "{\"janus\":\"create\",\"n\":" + "9".repeat(500) + "}");
            assertError(number, 454, "JSON error: on line 1: number longer than 64 characters");
            for (String body : new String[]{"{nope", "{\"a\":tru}", "{\"a\":\"\u0001\"}", "{\"a\":01}", "{\"a\"", "{\"a\":\"\\x\"}"}) {
                ObjectNode r = postJson("", body);
                assertError(r, 454, null);
                assertOurWords(r);
            }
            assertEquals(0, severe.size(), () -> "SEVERE records: " + severe.get(0).getMessage());
        } finally {
            root.removeHandler(capture);
        }
    }

    @Test
    void pathIdsMustBeIntegersUpTo2Pow53Minus1() throws Exception {
        long s = postJson("", "{\"janus\":\"create\",\"transaction\":\"c\"}").path("data").path("id").asLong();
        for (String bad : new String[]{"9007199254740992", "18446744073709551617", "-1", "+5", "05", "0", "1.0", "1e2", "x"}) {
            assertError(postJson("/" + bad, "{\"janus\":\"keepalive\",\"transaction\":\"k\"}"), 458, "No such session " + bad);
            assertError(postJson("/" + s + "/" + bad, "{\"janus\":\"message\",\"body\":{},\"transaction\":\"k\"}"), 459,
                    "No such handle " + bad);
        }
        // 2^53 - 1 itself is a well-formed id (no such session, same code, but parsed).
        assertError(postJson("/9007199254740991", "{\"janus\":\"keepalive\",\"transaction\":\"k\"}"), 458,
                "No such session 9007199254740991");
        assertEquals("ack", postJson("/" + s, "{\"janus\":\"keepalive\",\"transaction\":\"k\"}").path("janus").asText());
    }

    @Test
    void h2cIsRefusedOnBothPorts() throws Exception {
        for (int port : new int[]{server.httpPort, server.wsPort}) {
            try (RawSocket s = new RawSocket(port)) {
                s.write("GET /janus/info HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                        + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
                String head = s.readHead();
                assertFalse(head.startsWith("HTTP/1.1 101"), head);
            }
            try (RawSocket s = new RawSocket(port)) {
                // The HTTP/2 connection preface (RFC 9113 §3.4) must not start an HTTP/2 connection.
                s.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
                String reply = s.readFor(1500);
                assertFalse(reply.length() >= 9 && reply.charAt(3) == 4 && !reply.startsWith("HTTP"),
                        "no HTTP/2 SETTINGS frame in reply: " + reply);
                // Netty's HTTP/1 decoder reads it as a request line of version 2.0 and answers in text (501).
                assertTrue(reply.isEmpty() || reply.startsWith("HTTP/") && !reply.contains(" 200 ")
                        && !reply.contains(" 101 "), reply);
            }
        }
    }

    @Test
    void allSessionsTogetherStayWithinTheTotalAndGiveBytesBackWhenDestroyed() throws Exception {
        int total = 64 * 1024;
        try (TestServer own = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_HTTP_MAX_QUEUED_BYTES_TOTAL",
                Integer.toString(total)), v -> List.of(new EchoPlugin(v)))) {
            TransportCounters c = own.server.transportCounters();
            String base = "http://127.0.0.1:" + own.httpPort + "/janus";
            java.util.function.BiFunction<String, String, JsonNode> post = (path, body) -> {
                try {
                    return MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(base + path))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            String pad = "x".repeat(20 * 1024);
            long[] sessions = new long[2];
            for (int k = 0; k < 2; k++) {
                long s = post.apply("", "{\"janus\":\"create\",\"transaction\":\"c\"}").path("data").path("id").asLong();
                long h = post.apply("/" + s, "{\"janus\":\"attach\",\"plugin\":\"" + EchoPlugin.NAME
                        + "\",\"transaction\":\"a\"}").path("data").path("id").asLong();
                sessions[k] = s;
                for (int i = 0; i < 3; i++) {
                    post.apply("/" + s + "/" + h, "{\"janus\":\"message\",\"body\":{\"pad\":\"" + pad
                            + "\"},\"transaction\":\"m" + i + "\"}");
                }
            }
            SessionLifecycleTest.awaitTrue(() -> c.eventsDroppedQueueTotal.sum() >= 3, 5000);
            assertTrue(c.httpQueuedBytes.get() <= total, "held " + c.httpQueuedBytes.get());
            for (long s : sessions) {
                post.apply("/" + s, "{\"janus\":\"destroy\",\"transaction\":\"d\"}");
            }
            SessionLifecycleTest.awaitTrue(() -> c.httpQueuedBytes.get() == 0, 5000);
        }
    }

    @Test
    void longPollQueueIsBoundedInBytesOldestDropped() throws Exception {
        TransportCounters c = server.server.transportCounters();
        long dropped0 = c.eventsDroppedQueueBytes.sum();
        long s = postJson("", "{\"janus\":\"create\",\"transaction\":\"c\"}").path("data").path("id").asLong();
        long h = postJson("/" + s, "{\"janus\":\"attach\",\"plugin\":\"" + EchoPlugin.NAME + "\",\"transaction\":\"a\"}")
                .path("data").path("id").asLong();
        String pad = "x".repeat(16 * 1024);
        for (int i = 0; i < 10; i++) {
            postJson("/" + s + "/" + h, "{\"janus\":\"message\",\"body\":{\"pad\":\"" + pad + "\"},\"transaction\":\"m" + i + "\"}");
        }
        SessionLifecycleTest.awaitTrue(() -> c.eventsDroppedQueueBytes.sum() - dropped0 >= 7, 5000);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort
                + "/janus/" + s + "?maxev=100")).GET().timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode batch = MAPPER.readTree(r.body());
        assertTrue(batch.isArray(), r.body());
        assertEquals(3, batch.size(), "64 KiB hold three 16 KiB events");
        assertTrue(r.body().length() <= QUEUE_BYTES + 2);
        assertEquals("m9", batch.get(2).path("transaction").asText(), "the newest are kept");
        assertEquals(7, c.eventsDroppedQueueBytes.sum() - dropped0);
    }
}
