package org.janussfu.transport;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.EchoPlugin;
import org.janussfu.testing.TestServer;
import org.janussfu.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graceful stop (sessions destroyed through the plugin, sockets closed) and the optional server ping. */
@ExtendWith(VertxExtension.class)
class ShutdownAndPingTest {

    @Test
    void stopDestroysSessionsAndClosesSockets(Vertx vertx) throws Exception {
        AtomicReference<EchoPlugin> plugin = new AtomicReference<>();
        TestServer server = TestServer.start(Map.of(), v -> List.of(SessionLifecycleTest.setAndGet(plugin, new EchoPlugin(v))));
        WsClient c = new WsClient(vertx, server.wsPort);
        long s = c.createSession();
        long h = c.attach(s, EchoPlugin.NAME);
        server.server.stop().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertTrue(plugin.get().destroyed.contains(h), "plugin saw the handle go");
        assertEquals(0, server.core().sessionCount());
        assertTrue(c.awaitClose(15_000), "client socket closed by the stop");
        c.close();
    }

    @Test
    void serverPingsKeepAnAnsweringClientConnected(Vertx vertx) throws Exception {
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_WS_PING_INTERVAL", "1",
                // the pong comes from the client's event loop: 4 s of slack for a loaded box, still < the 8 s watched
                "JANUS_SFU_TRANSPORT_WS_PING_TIMEOUT", "4"), v -> List.of(new EchoPlugin(v)));
             WsClient c = new WsClient(vertx, server.wsPort)) {
            AtomicInteger pings = new AtomicInteger();
            c.socket().frameHandler(f -> {
                if (f.isPing()) {
                    pings.incrementAndGet();
                }
            });
            long s = c.createSession();
            long end = System.currentTimeMillis() + 15_000;
            while (pings.get() < 4 && System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
            Thread.sleep(4500);                 // past one more ping timeout
            assertTrue(pings.get() >= 4, "pings seen: " + pings.get());
            assertFalse(c.isClosed());
            assertEquals("ack", c.call("{\"janus\":\"keepalive\",\"session_id\":" + s + "}").path("janus").asText());
        }
    }
}
