package org.janussfu.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.EchoPlugin;
import org.janussfu.testing.Poll;
import org.janussfu.testing.TestServer;
import org.janussfu.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.janussfu.transport.WebSocketProtocolTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session lifecycle over real WebSockets: session timeout with its event, keepalive, socket close destroying
 * the socket's sessions, several sessions on one socket, claim moving a session and its events to another
 * socket, and the reclaim window.
 */
@ExtendWith(VertxExtension.class)
class SessionLifecycleTest {

    static void awaitTrue(java.util.function.BooleanSupplier cond, long millis) throws InterruptedException {
        Poll.until(cond, millis);
    }

    @Test
    void idleSessionTimesOutWithEventAndKeepaliveKeepsItAlive(Vertx vertx) throws Exception {
        AtomicReference<EchoPlugin> plugin = new AtomicReference<>();
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_GENERAL_SESSION_TIMEOUT", "3"),
                v -> List.of(setAndGet(plugin, new EchoPlugin(v))));
             WsClient c = new WsClient(vertx, server.wsPort)) {
            long idle = c.createSession();
            long h = c.attach(idle, EchoPlugin.NAME);
            long kept = c.createSession();
            long start = System.currentTimeMillis();
            // A keepalive every 250 ms against a 3 s timeout: the kept session survives a 2.5 s stall of a loaded box.
            for (int i = 0; i < 18; i++) {
                Thread.sleep(250);
                c.call("{\"janus\":\"keepalive\",\"session_id\":" + kept + "}");
            }
            ObjectNode timeout = c.await(m -> "timeout".equals(m.path("janus").asText()), 10_000);
            assertEquals(idle, timeout.path("session_id").asLong());
            assertFalse(timeout.has("transaction"));
            assertTrue(System.currentTimeMillis() - start >= 2900, "not before the timeout");
            assertTrue(plugin.get().destroyed.contains(h), "the plugin saw the handle go");
            assertError(c.call("{\"janus\":\"keepalive\",\"session_id\":" + idle + "}"), 458, null);
            assertEquals("ack", c.call("{\"janus\":\"keepalive\",\"session_id\":" + kept + "}").path("janus").asText());
            c.assertNone(m -> "timeout".equals(m.path("janus").asText()) && m.path("session_id").asLong() == kept, 300);
        }
    }

    @Test
    void closingTheSocketDestroysItsSessionsOnly(Vertx vertx) throws Exception {
        AtomicReference<EchoPlugin> plugin = new AtomicReference<>();
        try (TestServer server = TestServer.start(Map.of(), v -> List.of(setAndGet(plugin, new EchoPlugin(v))));
             WsClient other = new WsClient(vertx, server.wsPort)) {
            long otherSession = other.createSession();
            long otherHandle = other.attach(otherSession, EchoPlugin.NAME);
            WsClient c = new WsClient(vertx, server.wsPort);
            long s1 = c.createSession();
            long s2 = c.createSession();
            long h1 = c.attach(s1, EchoPlugin.NAME);
            long h2 = c.attach(s2, EchoPlugin.NAME);
            // Two sessions on one socket: each one's events carry its own ids.
            c.call("{\"janus\":\"message\",\"session_id\":" + s2 + ",\"handle_id\":" + h2 + ",\"body\":{\"cmd\":\"push\"}}");
            ObjectNode pushed = c.await(m -> m.path("plugindata").path("data").path("pushed").asBoolean());
            assertEquals(s2, pushed.path("session_id").asLong());
            assertEquals(h2, pushed.path("sender").asLong());
            assertEquals(3, server.core().sessionCount());
            c.close();
            awaitTrue(() -> server.core().sessionCount() == 1, 15_000);
            assertTrue(plugin.get().destroyed.containsAll(List.of(h1, h2)));
            assertFalse(plugin.get().destroyed.contains(otherHandle));
            assertEquals("ack", other.call("{\"janus\":\"keepalive\",\"session_id\":" + otherSession + "}").path("janus").asText());
        }
    }

    @Test
    void claimMovesSessionEventsToTheClaimingSocket(Vertx vertx) throws Exception {
        try (TestServer server = TestServer.start(Map.of(), v -> List.of(new EchoPlugin(v)));
             WsClient a = new WsClient(vertx, server.wsPort);
             WsClient b = new WsClient(vertx, server.wsPort)) {
            long s = a.createSession();
            long h = a.attach(s, EchoPlugin.NAME);
            ObjectNode claimed = b.call("{\"janus\":\"claim\",\"session_id\":" + s + "}");
            assertEquals("success", claimed.path("janus").asText());
            assertEquals(s, claimed.path("session_id").asLong());
            // A message sent on A: its ack answers on A, its event goes to B, the session's new home.
            String tx = a.send(WsClient.json("{\"janus\":\"message\",\"session_id\":" + s + ",\"handle_id\":" + h
                    + ",\"body\":{\"n\":1}}"));
            assertEquals("ack", a.await(m -> tx.equals(m.path("transaction").asText())).path("janus").asText());
            ObjectNode ev = b.await(m -> tx.equals(m.path("transaction").asText()));
            assertEquals("event", ev.path("janus").asText());
            a.assertNone(m -> "event".equals(m.path("janus").asText()), 200);
            // Closing A no longer destroys the session; closing B does.
            a.close();
            Thread.sleep(300);
            assertEquals("ack", b.call("{\"janus\":\"keepalive\",\"session_id\":" + s + "}").path("janus").asText());
            b.close();
            awaitTrue(() -> server.core().sessionCount() == 0, 15_000);
        }
    }

    @Test
    void reclaimWindowKeepsSessionForAnotherSocket(Vertx vertx) throws Exception {
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_GENERAL_RECLAIM_SESSION_TIMEOUT", "2"),
                v -> List.of(new EchoPlugin(v)))) {
            WsClient a = new WsClient(vertx, server.wsPort);
            long s = a.createSession();
            long lost = a.createSession();
            a.close();
            Thread.sleep(300);
            try (WsClient b = new WsClient(vertx, server.wsPort)) {
                assertEquals("success", b.call("{\"janus\":\"claim\",\"session_id\":" + s + "}").path("janus").asText());
                awaitTrue(() -> server.core().sessionCount() == 1, 15_000); // the 2 s window, well before the session timeout
                assertError(b.call("{\"janus\":\"claim\",\"session_id\":" + lost + "}"), 458, null);
                assertEquals("ack", b.call("{\"janus\":\"keepalive\",\"session_id\":" + s + "}").path("janus").asText());
            }
        }
    }

    @Test
    void manySessionIdsAreUniqueAndBelow2To53(Vertx vertx) throws Exception {
        // 200 sessions on one socket: beyond limits.sessions-per-connection, which is lifted here
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_LIMITS_SESSIONS_PER_CONNECTION", "1000"),
                v -> List.of(new EchoPlugin(v)));
             WsClient c = new WsClient(vertx, server.wsPort)) {
            java.util.Set<Long> ids = new java.util.HashSet<>();
            for (int i = 0; i < 200; i++) {
                long s = c.createSession();
                long h = c.attach(s, EchoPlugin.NAME);
                assertTrue(s > 0 && s < (1L << 53) && h > 0 && h < (1L << 53));
                assertTrue(ids.add(s) && ids.add(h));
            }
        }
    }

    static <T> T setAndGet(AtomicReference<T> ref, T value) {
        ref.set(value);
        return value;
    }
}
