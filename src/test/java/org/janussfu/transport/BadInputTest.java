package org.janussfu.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.EchoPlugin;
import org.janussfu.testing.TestServer;
import org.janussfu.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.janussfu.transport.WebSocketProtocolTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile or broken clients: binary frames, frames over the size limit, request floods and garbage. Each is
 * answered or closed with a reason, and never disturbs another connection's sessions.
 */
@ExtendWith(VertxExtension.class)
class BadInputTest {

    @Test
    void binaryFrameIsAnsweredAndConnectionSurvives(Vertx vertx) throws Exception {
        try (TestServer server = TestServer.start(Map.of(), v -> List.of(new EchoPlugin(v)));
             WsClient c = new WsClient(vertx, server.wsPort)) {
            long s = c.createSession();
            c.sendBinary(new byte[]{1, 2, 3});
            ObjectNode err = c.await(m -> m.path("error").path("code").asInt() == 454);
            assertTrue(err.path("error").path("reason").asText().contains("binary"));
            assertEquals("ack", c.call("{\"janus\":\"keepalive\",\"session_id\":" + s + "}").path("janus").asText());
        }
    }

    @Test
    void oversizedFrameClosesOnlyThatSocket(Vertx vertx) throws Exception {
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_WS_MAX_MESSAGE_SIZE", "4096"),
                v -> List.of(new EchoPlugin(v)));
             WsClient bystander = new WsClient(vertx, server.wsPort);
             WsClient c = new WsClient(vertx, server.wsPort)) {
            long keep = bystander.createSession();
            c.createSession();
            c.sendRaw("{\"janus\":\"keepalive\",\"pad\":\"" + "x".repeat(10_000) + "\"}");
            assertTrue(c.awaitClose(5000), "oversized frame closes the socket");
            assertEquals(1009, (int) c.socket().closeStatusCode(), "reason: " + c.socket().closeReason());
            SessionLifecycleTest.awaitTrue(() -> server.core().sessionCount() == 1, 5000);
            assertEquals("ack", bystander.call("{\"janus\":\"keepalive\",\"session_id\":" + keep + "}").path("janus").asText());
        }
    }

    @Test
    void floodIsThrottledThenClosedWithoutHurtingOthers(Vertx vertx) throws Exception {
        try (TestServer server = TestServer.start(Map.of(
                "JANUS_SFU_TRANSPORT_WS_MAX_REQUESTS_PER_SECOND", "50",
                "JANUS_SFU_TRANSPORT_WS_REQUEST_BURST", "50"), v -> List.of(new EchoPlugin(v)));
             WsClient bystander = new WsClient(vertx, server.wsPort);
             WsClient flooder = new WsClient(vertx, server.wsPort)) {
            long keep = bystander.createSession();
            for (int i = 0; i < 2000 && !flooder.isClosed(); i++) {
                flooder.sendRaw("{\"janus\":\"ping\",\"transaction\":\"f" + i + "\"}");
            }
            ObjectNode throttled = flooder.await(m -> m.path("error").path("code").asInt() == 450);
            assertTrue(throttled.path("error").path("reason").asText().startsWith("Too many requests"));
            assertTrue(flooder.awaitClose(5000), "a socket that keeps flooding is closed");
            assertEquals(1008, (int) flooder.socket().closeStatusCode());
            assertTrue(server.server.transportCounters().throttled.sum() > 0);
            assertEquals("ack", bystander.call("{\"janus\":\"keepalive\",\"session_id\":" + keep + "}").path("janus").asText());
        }
    }

    @Test
    void garbageNeverKillsTheConnection(Vertx vertx) throws Exception {
        // thousands of frames on one socket: the rate limit (tested on its own) is lifted here
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_WS_MAX_REQUESTS_PER_SECOND", "0"),
                v -> List.of(new EchoPlugin(v)));
             WsClient c = new WsClient(vertx, server.wsPort)) {
            long s = c.createSession();
            long h = c.attach(s, EchoPlugin.NAME);
            java.util.Random rnd = new java.util.Random(42);
            String[] pieces = {"{", "}", "[", "]", "\"janus\"", ":", ",", "\"message\"", "null", "1e999", "\"session_id\"",
                    Long.toString(s), "\"handle_id\"", Long.toString(h), "\"body\"", "{}", "\"jsep\"", "\"\\u0000\"", "true"};
            for (int i = 0; i < 3000; i++) {
                StringBuilder b = new StringBuilder();
                int n = 1 + rnd.nextInt(12);
                for (int k = 0; k < n; k++) {
                    b.append(pieces[rnd.nextInt(pieces.length)]);
                }
                c.sendRaw(b.toString());
            }
            c.sendRaw("{\"janus\":\"ping\",\"transaction\":\"after-garbage\"}");
            c.await(m -> "after-garbage".equals(m.path("transaction").asText()), 15000);
            assertEquals("ack", c.call("{\"janus\":\"keepalive\",\"session_id\":" + s + "}").path("janus").asText());
            assertError(c.call("{\"janus\":\"message\",\"session_id\":" + s + ",\"handle_id\":" + h + ",\"body\":1}"), 467, null);
        }
    }
}
