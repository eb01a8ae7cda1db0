package org.janussfu.transport;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.EchoPlugin;
import org.janussfu.testing.TestServer;
import org.janussfu.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.janussfu.transport.SessionLifecycleTest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection hygiene, bounded to a few seconds each: the total and per-address connection ceilings (over them a
 * connection is closed at once and counted; a freed place is usable again), the accept-to-upgrade deadline, the
 * HTTP header and body deadlines against slowloris clients (one byte every few hundred ms), and ordinary clients
 * that outlive every deadline once they are through.
 */
@ExtendWith(VertxExtension.class)
class ConnectionHygieneTest {

    @Test
    void totalCeilingSpansBothTransportsAndFreesOnClose(Vertx vertx) throws Exception {
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_MAX_CONNECTIONS", "4"),
                v -> List.of(new EchoPlugin(v)))) {
            TransportCounters c = server.server.transportCounters();
            List<RawSocket> held = new ArrayList<>();
            try {
                // four connections doing work (upgraded WebSockets): nothing waiting that a newcomer could replace
                for (int i = 0; i < 4; i++) {
                    RawSocket ws = new RawSocket(server.wsPort);
                    assertTrue(ws.upgrade().contains(" 101 "));
                    // A reply proves the server has run its WebSocket handler (which ends the upgrade deadline)
                    // and not only written the 101: on a loaded box a just-upgraded socket could still count as
                    // waiting for a moment, and a newcomer on another loop would take its place.
                    ws.text("{\"janus\":\"ping\",\"transaction\":\"p" + i + "\"}");
                    assertTrue(new String(ws.readFrame().payload(), java.nio.charset.StandardCharsets.UTF_8)
                            .contains("pong"));
                    held.add(ws);
                }
                awaitTrue(() -> c.connections.open() == 4, 5000);
                for (int port : new int[]{server.wsPort, server.httpPort}) {
                    try (RawSocket over = new RawSocket(port)) {
                        over.write("G"); // a connection is admitted (or refused) when it speaks
                        // refused on admission; 8 s (under the 10 s upgrade/header deadlines) only absorbs a loaded box
                        assertTrue(over.closedWithin(8000), "over the ceiling: closed before any deadline");
                    }
                }
                assertEquals(2, c.refusedTotalCeiling.sum());
                assertEquals(0, c.evictedWaiting.sum());
            } finally {
                for (RawSocket s : held) {
                    s.close();
                }
            }
            awaitTrue(() -> c.connections.open() == 0, 5000);
            try (WsClient ok = new WsClient(vertx, server.wsPort)) {
                assertTrue(ok.createSession() > 0);
                assertEquals(1, c.connections.open());
            }
            awaitTrue(() -> c.connections.open() == 0, 5000);
        }
    }

    /** At the ceiling, a newcomer takes the place of the oldest idle connection: an idle flood cannot lock clients out. */
    @Test
    void atTheCeilingIdleConnectionsMakeRoomForFreshClients(Vertx vertx) throws Exception {
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_MAX_CONNECTIONS", "8"),
                v -> List.of(new EchoPlugin(v)))) {
            TransportCounters c = server.server.transportCounters();
            List<RawSocket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) { // twice the ceiling of connections that start a request and stall
                    RawSocket r = new RawSocket(i % 2 == 0 ? server.wsPort : server.httpPort);
                    r.write("GET / HTTP/1.1\r\n");
                    idle.add(r);
                }
                awaitTrue(() -> c.connections.open() == 8, 5000);
                for (int i = 0; i < 3; i++) {
                    try (WsClient fresh = new WsClient(vertx, server.wsPort)) {
                        assertTrue(fresh.createSession() > 0, "a fresh client is served at the ceiling");
                    }
                }
                assertTrue(c.evictedWaiting.sum() >= 3, "evicted: " + c.evictedWaiting.sum());
                assertTrue(c.connections.open() <= 8);
            } finally {
                for (RawSocket s : idle) {
                    s.close();
                }
            }
        }
    }

    /**
     * Connections that never send a byte stay with the acceptor (no HTTP/WebSocket set-up) and hold no place under the
     * connection ceiling; over max-silent-connections the oldest is closed, and a client that speaks is served at once.
     */
    @Test
    void silentConnectionsAreHeldByTheAcceptorWithinTheirBudget(Vertx vertx) throws Exception {
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_MAX_SILENT_CONNECTIONS", "8",
                "JANUS_SFU_TRANSPORT_MAX_CONNECTIONS", "4"), v -> List.of(new EchoPlugin(v)))) {
            TransportCounters c = server.server.transportCounters();
            List<RawSocket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    silent.add(new RawSocket(i % 2 == 0 ? server.wsPort : server.httpPort));
                    awaitTrue(() -> c.silentHeld.get() + c.closedSilentEvicted.sum() == silent.size(), 5000);
                }
                assertEquals(12, c.closedSilentEvicted.sum());
                assertEquals(8, c.silentHeld.get());
                assertEquals(0, c.connections.open(), "silent connections take no place under max-connections");
                for (int i = 0; i < 12; i++) {
                    assertTrue(silent.get(i).closedWithin(5000), "the oldest were closed: " + i);
                }
                assertFalse(silent.get(19).closedWithin(200), "the newest are held");
                for (int i = 0; i < 3; i++) {
                    try (WsClient fresh = new WsClient(vertx, server.wsPort)) {
                        assertTrue(fresh.createSession() > 0, "a client that speaks is served");
                    }
                }
                assertEquals(0, c.evictedWaiting.sum());
                assertEquals(0, c.refusedTotalCeiling.sum());
                assertTrue(c.silentPromoted.sum() >= 3);
            } finally {
                for (RawSocket s : silent) {
                    s.close();
                }
            }
            awaitTrue(() -> c.silentHeld.get() == 0, 5000);
        }
    }

    @Test
    void perAddressCeilingIsOptional(Vertx vertx) throws Exception {
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_MAX_CONNECTIONS_PER_ADDRESS", "2"),
                v -> List.of(new EchoPlugin(v)));
             WsClient a = new WsClient(vertx, server.wsPort);
             WsClient b = new WsClient(vertx, server.wsPort);
             RawSocket third = new RawSocket(server.wsPort)) {
            third.write("G");
            assertTrue(third.closedWithin(8000));
            assertEquals(1, server.server.transportCounters().refusedAddressCeiling.sum());
            assertTrue(a.createSession() > 0 && b.createSession() > 0);
        }
    }

    @Test
    void slowUpgradeAndSilentConnectionsAreClosed(Vertx vertx) throws Exception {
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_WS_UPGRADE_TIMEOUT", "3",
                "JANUS_SFU_TRANSPORT_SILENT_TIMEOUT", "3"), v -> List.of(new EchoPlugin(v)));
             WsClient through = new WsClient(vertx, server.wsPort);
             RawSocket silent = new RawSocket(server.wsPort);
             RawSocket slow = new RawSocket(server.wsPort)) {
            TransportCounters c = server.server.transportCounters();
            long t0 = System.nanoTime();
            String request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n";
            boolean slowClosed = false;
            for (int i = 0; i < request.length() && !slowClosed; i++) {
                try {
                    slow.write(request.substring(i, i + 1));
                } catch (java.io.IOException e) {
                    slowClosed = true;
                }
                slowClosed |= slow.closedWithin(400);
            }
            assertTrue(slowClosed, "a byte every 400 ms does not keep the upgrade alive");
            assertTrue(silent.closedWithin(5000));
            // the 3 s deadlines closed them: trickling the whole request would have taken ~20 s (slack for a loaded box)
            assertTrue((System.nanoTime() - t0) / 1e9 < 15);
            assertEquals(1, c.closedUpgradeTimeout.sum(), "the slow one spoke: the upgrade deadline");
            assertEquals(1, c.closedSilentTimeout.sum(), "the silent one never did: the silent deadline");
            // The socket that upgraded in time is not touched by the deadline.
            long s = through.createSession();
            assertEquals("ack", through.call("{\"janus\":\"keepalive\",\"session_id\":" + s + "}").path("janus").asText());
            assertFalse(through.isClosed());
        }
    }

    @Test
    void slowHeadersAndBodiesAreClosed() throws Exception {
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_HTTP_HEADER_TIMEOUT", "2",
                "JANUS_SFU_TRANSPORT_HTTP_BODY_TIMEOUT", "2"), v -> List.of(new EchoPlugin(v)))) {
            TransportCounters c = server.server.transportCounters();
            try (RawSocket slow = new RawSocket(server.httpPort)) {
                String head = "POST /janus HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
                boolean closed = false;
                for (int i = 0; i < head.length() && !closed; i++) {
                    try {
                        slow.write(head.substring(i, i + 1));
                    } catch (java.io.IOException e) {
                        closed = true;
                    }
                    closed |= slow.closedWithin(400);
                }
                assertTrue(closed, "slow headers are cut off");
            }
            assertEquals(1, c.closedHeaderTimeout.sum());
            java.util.List<java.util.logging.LogRecord> severe = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.logging.Handler capture = new java.util.logging.Handler() {
                @Override
                public void publish(java.util.logging.LogRecord r) {
                    if (r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
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
            java.util.logging.Logger.getLogger("").addHandler(capture);
            try (RawSocket slow = new RawSocket(server.httpPort)) {
                slow.write("POST /janus HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n{\"janus\":");
                String reply = slow.readFor(5000);
                assertTrue(reply.startsWith("HTTP/1.1 408"), reply);
                assertTrue(slow.closedWithin(5000));
            }
            assertEquals(1, c.closedBodyTimeout.sum());
            Thread.sleep(300); // the routing context's failure follows the close
            java.util.logging.Logger.getLogger("").removeHandler(capture);
            assertTrue(severe.isEmpty(), "a body deadline is one throttled WARNING, no SEVERE: "
                    + severe.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList());
            // A well-behaved keep-alive connection is served request after request.
            try (RawSocket ok = new RawSocket(server.httpPort)) {
                for (int i = 0; i < 3; i++) {
                    ok.write("GET /janus/info HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                    assertTrue(ok.readHead().startsWith("HTTP/1.1 200"));
                    ok.readFor(100);
                    Thread.sleep(300);
                }
            }
            awaitTrue(() -> c.connections.open() == 0, 5000);
        }
    }
}
