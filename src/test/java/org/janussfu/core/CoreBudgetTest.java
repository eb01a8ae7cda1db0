package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.janussfu.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core's budgets over a real WebSocket (docs/security.md "Janus core"): byte caps on the strings it keeps or
 * repeats, counts per connection and session, server-wide ceilings, strict ids, and the overload guard's refusals —
 * each answered with the documented error, and nothing refused is stored.
 */
@ExtendWith(VertxExtension.class)
class CoreBudgetTest {

    private static void assertError(ObjectNode reply, int code, String reason) {
        assertEquals("error", reply.path("janus").asText(), reply::toString);
        assertEquals(code, reply.path("error").path("code").asInt(), reply::toString);
        assertEquals(reason, reply.path("error").path("reason").asText(), reply::toString);
    }

    @Test
    void overLongStringsAreRefusedAndNeverStoredOrRepeated(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of()); WsClient c = new WsClient(vertx, s.wsPort)) {
            String longTx = "t".repeat(257);
            c.sendRaw("{\"janus\":\"ping\",\"transaction\":\"" + longTx + "\"}");
            ObjectNode r = c.await(m -> "error".equals(m.path("janus").asText()));
            assertError(r, 467, "Invalid element type (transaction should be a string of at most 256 bytes)");
            assertFalse(r.has("transaction"), "an over-long transaction is never echoed");
            // 3-byte characters count as 3: 86 of them are 258 bytes
            c.sendRaw("{\"janus\":\"ping\",\"transaction\":\"" + "\u20ac".repeat(86) + "\"}");
            assertError(c.await(m -> "error".equals(m.path("janus").asText())), 467,
                    "Invalid element type (transaction should be a string of at most 256 bytes)");
            assertEquals("pong", c.call("{\"janus\":\"ping\",\"transaction\":\"" + "t".repeat(256) + "\"}")
                    .path("janus").asText());

            long session = c.createSession();
            String bigOpaque = "o".repeat(250_000);
            for (int i = 0; i < 20; i++) {
                assertError(c.call("{\"janus\":\"attach\",\"session_id\":" + session + ",\"plugin\":\"janus.plugin.sfu\","
                        + "\"opaque_id\":\"" + bigOpaque + "\"}"), 467,
                        "Invalid element type (opaque_id should be a string of at most 256 bytes)");
            }
            assertEquals(0, s.core().handleCount(), "no refused handle is kept");
            assertError(c.call("{\"janus\":\"attach\",\"session_id\":" + session + ",\"plugin\":\"" + "p".repeat(65) + "\"}"),
                    467, "Invalid element type (plugin should be a string of at most 64 bytes)");
            long h = c.attach(session, SfuUser.PLUGIN);
            assertError(c.call("{\"janus\":\"trickle\",\"session_id\":" + session + ",\"handle_id\":" + h
                    + ",\"candidate\":{\"sdpMid\":\"0\",\"candidate\":\"candidate:" + "x".repeat(1100) + "\"}}"),
                    467, "Invalid element type (candidate should be a string of at most 1024 bytes)");
            assertTrue(s.core().counters().refusedOverLimit.sum() >= 3);
        }
    }

    @Test
    void idsAreIntegersFromOneTo2Pow53Minus1(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of()); WsClient c = new WsClient(vertx, s.wsPort)) {
            long session = c.createSession();
            long wrapped = session + (1L << 62) * 4; // would wrap modulo 2^64 onto the real session
            assertError(c.call("{\"janus\":\"keepalive\",\"transaction\":\"a\",\"session_id\":"
                    + new java.math.BigInteger(Long.toUnsignedString(session)).add(java.math.BigInteger.ONE.shiftLeft(64)) + "}"),
                    454, "JSON error: on line 1: session_id is too big an integer");
            assertEquals(session, wrapped, "sanity: 2^64 wraps in a long");
            assertError(c.call("{\"janus\":\"keepalive\",\"transaction\":\"b\",\"session_id\":" + session + ".0}"),
                    467, "Invalid element type (session_id should be a positive integer)");
            assertError(c.call("{\"janus\":\"keepalive\",\"transaction\":\"c\",\"session_id\":1e2}"),
                    467, "Invalid element type (session_id should be a positive integer)");
            assertError(c.call("{\"janus\":\"keepalive\",\"transaction\":\"d\",\"session_id\":9007199254740992}"),
                    458, "No such session 9007199254740992");
            assertError(c.call("{\"janus\":\"detach\",\"transaction\":\"e\",\"session_id\":" + session
                    + ",\"handle_id\":1152921504606846976}"), 459, "No such handle 1152921504606846976");
            assertError(c.call("{\"janus\":\"create\",\"transaction\":\"f\",\"id\":5.0}"), 467,
                    "Invalid element type (id should be a positive integer)");
            assertEquals("ack", c.call("{\"janus\":\"keepalive\",\"transaction\":\"g\",\"session_id\":" + session + "}")
                    .path("janus").asText());
        }
    }

    @Test
    void countsPerConnectionSessionAndServer(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of(
                "JANUS_SFU_LIMITS_SESSIONS_PER_CONNECTION", "3",
                "JANUS_SFU_LIMITS_SESSIONS", "5",
                "JANUS_SFU_LIMITS_HANDLES_PER_SESSION", "4",
                "JANUS_SFU_LIMITS_HANDLES", "6",
                "JANUS_SFU_LIMITS_CANDIDATES_PER_HANDLE", "3"));
             WsClient a = new WsClient(vertx, s.wsPort); WsClient b = new WsClient(vertx, s.wsPort)) {
            long first = a.createSession();
            a.createSession();
            a.createSession();
            assertError(a.call("{\"janus\":\"create\"}"), 472, "Too many sessions on this connection (limit 3)");
            long other = b.createSession();
            b.createSession();
            assertError(b.call("{\"janus\":\"create\"}"), 472, "Server is full (limit 5 sessions)");
            assertEquals(5, s.core().sessionCount());

            for (int i = 0; i < 4; i++) {
                a.attach(first, SfuUser.PLUGIN);
            }
            assertError(a.call("{\"janus\":\"attach\",\"session_id\":" + first + ",\"plugin\":\"janus.plugin.sfu\"}"), 461,
                    "Couldn't attach to plugin: too many handles in this session (limit 4)");
            long h = b.attach(other, SfuUser.PLUGIN);
            b.attach(other, SfuUser.PLUGIN);
            assertError(b.call("{\"janus\":\"attach\",\"session_id\":" + other + ",\"plugin\":\"janus.plugin.sfu\"}"), 461,
                    "Couldn't attach to plugin: server is full (limit 6 handles)");
            assertEquals(6, s.core().handleCount());

            String cand = "{\"sdpMid\":\"0\",\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host\"}";
            assertEquals("ack", b.call("{\"janus\":\"trickle\",\"session_id\":" + other + ",\"handle_id\":" + h
                    + ",\"candidates\":[" + cand + "," + cand + "]}").path("janus").asText());
            assertEquals("ack", b.call("{\"janus\":\"trickle\",\"session_id\":" + other + ",\"handle_id\":" + h
                    + ",\"candidate\":" + cand + "}").path("janus").asText());
            assertError(b.call("{\"janus\":\"trickle\",\"session_id\":" + other + ",\"handle_id\":" + h
                    + ",\"candidate\":" + cand + "}"), 466, "Too many candidates for this handle (limit 3 per remote description)");
        }
        // the per-connection count follows destroys: a freed slot can be used again
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_LIMITS_SESSIONS_PER_CONNECTION", "1"));
             WsClient a = new WsClient(vertx, s.wsPort)) {
            long id = a.createSession();
            assertEquals("success", a.call("{\"janus\":\"destroy\",\"session_id\":" + id + "}").path("janus").asText());
            a.createSession();
        }
    }

    @Test
    void overloadRefusesNewSessionsAndNewUsersButServesThoseInRooms(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of());
             SfuUser alice = new SfuUser(vertx, s.wsPort, "alice")) {
            assertTrue(alice.joinAsPublisher("r", null).path("success").asBoolean());
            SfuUser bob = new SfuUser(vertx, s.wsPort, "bob"); // has a session before the overload
            try {
                s.core().overload().forceForTests("memory");
                try (WsClient c = new WsClient(vertx, s.wsPort)) {
                    assertError(c.call("{\"janus\":\"create\"}"), 472, "Server is full (memory)");
                }
                ObjectNode refused = bob.joinAsPublisher("r", null);
                assertFalse(refused.path("success").asBoolean());
                assertEquals("Server is full.", refused.path("error").path("msg").asText());
                // alice, already in the room, keeps working: a second handle joins as a subscriber
                long sub = alice.attach();
                ObjectNode joined = SfuUser.data(alice.message(sub,
                        "{\"kind\":\"join\",\"room_id\":\"r\",\"user_id\":\"alice\",\"subscribe\":{\"notifications\":false}}"));
                assertTrue(joined.path("success").asBoolean(), joined::toString);
                s.core().overload().forceForTests(null);
                assertTrue(bob.joinAsPublisher("r", null).path("success").asBoolean(), "recovers by itself");
                assertTrue(s.core().counters().refusedOverloaded.sum() >= 1);
            } finally {
                bob.close();
            }
        }
    }

    @Test
    void repeatedLifecycleDoesNotFloodTheLog(Vertx vertx) throws Exception {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("org.janussfu.core");
        java.util.concurrent.atomic.AtomicInteger records = new java.util.concurrent.atomic.AtomicInteger();
        java.util.logging.Handler counting = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.incrementAndGet();
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(counting);
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_TRANSPORT_WS_MAX_REQUESTS_PER_SECOND", "0"));
             WsClient c = new WsClient(vertx, s.wsPort)) {
            for (int i = 0; i < 1000; i++) {
                long id = c.createSession();
                c.call("{\"janus\":\"destroy\",\"session_id\":" + id + "}");
                c.received.clear();
            }
            assertEquals(0, s.core().sessionCount());
        } finally {
            logger.removeHandler(counting);
        }
        // 2,000 lifecycle events; each of the two throttles writes at most 50 lines per 10 s (+ the server's own)
        assertTrue(records.get() <= 150, "log records: " + records.get());
    }
}
