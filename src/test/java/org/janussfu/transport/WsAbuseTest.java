package org.janussfu.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.EchoPlugin;
import org.janussfu.testing.TestServer;
import org.janussfu.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.janussfu.transport.SessionLifecycleTest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSocket abuse, each bounded to a few seconds: a peer that stops reading while other users' actions push
 * events to it (closed, its queue bounded, others unaffected), message size counted in bytes, invalid UTF-8
 * (1007), RSV bits without an extension (1002), a frame trickling in (slowloris), a flooding socket not read
 * after its 1008, and throttled logs.
 */
@ExtendWith(VertxExtension.class)
class WsAbuseTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final int BUDGET = 256 * 1024;

    static JsonNode call(RawSocket s, String json) throws Exception {
        s.text(json);
        RawSocket.Frame f = s.readFrame();
        assertNotNull(f, "reply to " + json);
        return MAPPER.readTree(f.text());
    }

    /** Pushes {@code n} echo messages of {@code padBytes} to (session, handle) over HTTP, as another user would. */
    static List<CompletableFuture<HttpResponse<String>>> pushOverHttp(HttpClient http, int httpPort, long s, long h,
                                                                      int n, int padBytes) {
        String pad = "x".repeat(padBytes);
        List<CompletableFuture<HttpResponse<String>>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = "{\"janus\":\"message\",\"transaction\":\"p" + i + "\",\"body\":{\"pad\":\"" + pad + "\"}}";
            out.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/janus/" + s + "/" + h))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        return out;
    }

    @Test
    void readerThatStopsIsClosedQueueStaysBoundedOthersServed(Vertx vertx) throws Exception {
        try (TestServer server = TestServer.start(Map.of(
                "JANUS_SFU_TRANSPORT_WS_MAX_QUEUED_BYTES", Integer.toString(BUDGET),
                "JANUS_SFU_TRANSPORT_WS_DRAIN_TIMEOUT", "2"), v -> List.of(new EchoPlugin(v)));
             WsClient bystander = new WsClient(vertx, server.wsPort);
             RawSocket victim = new RawSocket(server.wsPort, 4096)) {
            TransportCounters c = server.server.transportCounters();
            long keep = bystander.createSession();
            assertTrue(victim.upgrade().contains(" 101 "));
            long s = call(victim, "{\"janus\":\"create\",\"transaction\":\"c\"}").path("data").path("id").asLong();
            long h = call(victim, "{\"janus\":\"attach\",\"session_id\":" + s + ",\"plugin\":\"" + EchoPlugin.NAME
                    + "\",\"transaction\":\"a\"}").path("data").path("id").asLong();
            assertEquals(2, server.core().sessionCount());
            // The victim stops reading; another user's requests make 3 MiB of events for it (12x its budget).
            HttpClient http = HttpClient.newHttpClient();
            long t0 = System.nanoTime();
            pushOverHttp(http, server.httpPort, s, h, 96, 32 * 1024);
            awaitTrue(() -> c.closedQueueOverBudget.sum() + c.closedDrainTimeout.sum() == 1, 20_000);
            awaitTrue(() -> server.core().sessionCount() == 1, 10_000);
            double seconds = (System.nanoTime() - t0) / 1e9;
            // the point is the budget (peak below), not speed: generous for a loaded 2-core box
            assertTrue(seconds < 20, "closed within 20 s, took " + seconds);
            assertTrue(c.wsQueuedBytesPeak.get() <= BUDGET, "peak queued " + c.wsQueuedBytesPeak.get());
            assertTrue(victim.closedWithin(5_000), "the TCP connection is dropped");
            awaitTrue(() -> c.wsQueuedBytes.get() == 0, 5_000);
            assertEquals("ack", bystander.call("{\"janus\":\"keepalive\",\"session_id\":" + keep + "}").path("janus").asText());
        }
    }

    @Test
    void allSocketsTogetherStayWithinTheTotalBudget(Vertx vertx) throws Exception {
        int total = 512 * 1024;
        try (TestServer server = TestServer.start(Map.of(
                "JANUS_SFU_TRANSPORT_WS_MAX_QUEUED_BYTES_TOTAL", Integer.toString(total)), v -> List.of(new EchoPlugin(v)));
             WsClient bystander = new WsClient(vertx, server.wsPort);
             RawSocket victim = new RawSocket(server.wsPort, 4096)) {
            TransportCounters c = server.server.transportCounters();
            long keep = bystander.createSession();
            assertTrue(victim.upgrade().contains(" 101 "));
            long s = call(victim, "{\"janus\":\"create\",\"transaction\":\"c\"}").path("data").path("id").asLong();
            long h = call(victim, "{\"janus\":\"attach\",\"session_id\":" + s + ",\"plugin\":\"" + EchoPlugin.NAME
                    + "\",\"transaction\":\"a\"}").path("data").path("id").asLong();
            // 3 MiB for one socket whose own budget (4 MiB) would allow it, but the server's (512 KiB) does not.
            pushOverHttp(HttpClient.newHttpClient(), server.httpPort, s, h, 48, 64 * 1024);
            awaitTrue(() -> c.closedQueueOverTotal.sum() == 1, 10_000);
            assertTrue(c.wsQueuedBytesTotalPeak.get() <= total, "total peak " + c.wsQueuedBytesTotalPeak.get());
            awaitTrue(() -> server.core().sessionCount() == 1, 5_000);
            assertEquals("ack", bystander.call("{\"janus\":\"keepalive\",\"session_id\":" + keep + "}").path("janus").asText());
        }
    }

    @Test
    void queueAboveHighWaterTooLongIsClosedByDrainTimeout(Vertx vertx) throws Exception {
        int budget = 4 * 1024 * 1024;
        try (TestServer server = TestServer.start(Map.of(
                "JANUS_SFU_TRANSPORT_WS_MAX_QUEUED_BYTES", Integer.toString(budget),
                "JANUS_SFU_TRANSPORT_WS_DRAIN_TIMEOUT", "2"), v -> List.of(new EchoPlugin(v)));
             RawSocket victim = new RawSocket(server.wsPort, 4096)) {
            TransportCounters c = server.server.transportCounters();
            assertTrue(victim.upgrade().contains(" 101 "));
            long s = call(victim, "{\"janus\":\"create\",\"transaction\":\"c\"}").path("data").path("id").asLong();
            long h = call(victim, "{\"janus\":\"attach\",\"session_id\":" + s + ",\"plugin\":\"" + EchoPlugin.NAME
                    + "\",\"transaction\":\"a\"}").path("data").path("id").asLong();
            // 2.5 MiB: over the high-water mark (1 MiB) whatever the kernel buffers hold, under the budget.
            List<CompletableFuture<HttpResponse<String>>> sent = pushOverHttp(HttpClient.newHttpClient(), server.httpPort,
                    s, h, 40, 64 * 1024);
            CompletableFuture.allOf(sent.toArray(new CompletableFuture[0])).get(15, java.util.concurrent.TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            awaitTrue(() -> c.closedDrainTimeout.sum() == 1, 15_000);
            assertTrue((System.nanoTime() - t0) / 1e9 < 15, "the 2 s drain timeout closed it");
            assertEquals(0, c.closedQueueOverBudget.sum());
            awaitTrue(() -> server.core().sessionCount() == 0, 5_000);
        }
    }

    @Test
    void frameTricklingInIsClosedIdleSocketIsNot(Vertx vertx) throws Exception {
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_WS_FRAME_TIMEOUT", "2"),
                v -> List.of(new EchoPlugin(v)));
             WsClient idle = new WsClient(vertx, server.wsPort);
             RawSocket slow = new RawSocket(server.wsPort)) {
            long s = idle.createSession();
            assertTrue(slow.upgrade().contains(" 101 "));
            // A masked text frame announcing 1000 bytes, of which 10 come now and then one every 400 ms.
            slow.write(new byte[]{(byte) 0x81, (byte) (0x80 | 126), 0x03, (byte) 0xe8, 1, 2, 3, 4});
            slow.write("{\"janus\":\"x");
            long t0 = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 30 && !closed; i++) {
                try {
                    slow.write("x");
                } catch (java.io.IOException e) {
                    closed = true;
                }
                closed |= slow.closedWithin(400);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            // the 2 s frame deadline, not the end of the 12 s trickle (slack for a loaded box)
            assertTrue(closed && seconds < 10, "trickled frame closed after " + seconds + " s");
            assertEquals(1, server.server.transportCounters().closedFrameTimeout.sum());
            assertFalse(idle.isClosed(), "a socket that sends nothing has no frame pending");
            assertEquals("ack", idle.call("{\"janus\":\"keepalive\",\"session_id\":" + s + "}").path("janus").asText());
        }
    }

    @Test
    void messageLimitCountsUtf8Bytes(Vertx vertx) throws Exception {
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_WS_MAX_MESSAGE_SIZE", "4096"),
                v -> List.of(new EchoPlugin(v)));
             WsClient ascii = new WsClient(vertx, server.wsPort);
             WsClient euro = new WsClient(vertx, server.wsPort)) {
            // 4000 ASCII bytes fit; 2000 euro signs are 2000 chars but 6000 bytes.
            ObjectNodeAssert.ack(ascii.call("{\"janus\":\"ping\",\"pad\":\"" + "x".repeat(4000 - 40) + "\"}"), "pong");
            euro.sendRaw("{\"janus\":\"ping\",\"pad\":\"" + "\u20ac".repeat(2000) + "\"}");
            assertTrue(euro.awaitClose(15_000), "over the byte limit closes");
            assertEquals(1009, (int) euro.socket().closeStatusCode());
            assertEquals(1, server.server.transportCounters().closedMessageTooBig.sum());
        }
    }

    @Test
    void fragmentsCountTogetherAndTrailingDataIs454() throws Exception {
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_WS_MAX_MESSAGE_SIZE", "4096"),
                v -> List.of(new EchoPlugin(v)))) {
            try (RawSocket s = new RawSocket(server.wsPort)) {
                assertTrue(s.upgrade().contains(" 101 "));
                // One message in three fragments (RFC 6455 §5.4) is one request.
                s.frame(0x01, "{\"janus\":".getBytes(StandardCharsets.UTF_8));
                s.frame(0x00, "\"ping\",\"transaction\"".getBytes(StandardCharsets.UTF_8));
                s.frame(0x80, ":\"frag\"}".getBytes(StandardCharsets.UTF_8));
                JsonNode pong = MAPPER.readTree(s.readFrame().text());
                assertEquals("pong", pong.path("janus").asText());
                assertEquals("frag", pong.path("transaction").asText());
                JsonNode trailing = call(s, "{\"janus\":\"ping\",\"transaction\":\"t\"} {}");
                assertEquals(454, trailing.path("error").path("code").asInt(), trailing::toString);
                assertTrue(trailing.path("error").path("reason").asText().contains("data after the JSON value"));
                // Three fragments of 2000 bytes: each under the limit, together over it.
                byte[] part = "x".repeat(2000).getBytes(StandardCharsets.UTF_8);
                s.frame(0x01, part);
                s.frame(0x00, part);
                s.frame(0x80, part);
                assertEquals(1009, s.awaitCloseCode());
            }
        }
    }

    @Test
    void invalidUtf8Closes1007AndRsvBitsClose1002() throws Exception {
        try (TestServer server = TestServer.start(Map.of(), v -> List.of(new EchoPlugin(v)))) {
            TransportCounters c = server.server.transportCounters();
            byte[][] bad = {
                    {'{', (byte) 0xff, '}'},                       // never valid in UTF-8
                    {'"', (byte) 0xc0, (byte) 0xaf, '"'},          // overlong '/'
                    {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}, // UTF-16 surrogate
            };
            for (byte[] b : bad) {
                try (RawSocket s = new RawSocket(server.wsPort)) {
                    assertTrue(s.upgrade().contains(" 101 "));
                    s.frame(0x81, b);
                    assertEquals(1007, s.awaitCloseCode());
                }
            }
            assertEquals(3, c.closedInvalidUtf8.sum());
            for (int rsv : new int[]{0x40, 0x20, 0x10}) {
                try (RawSocket s = new RawSocket(server.wsPort)) {
                    assertTrue(s.upgrade().contains(" 101 "));
                    s.frame(0x80 | rsv | 0x1, "{\"janus\":\"ping\",\"transaction\":\"r\"}".getBytes(StandardCharsets.UTF_8));
                    assertEquals(1002, s.awaitCloseCode());
                    // dropped by the server's 1 s close grace timer, which a loaded box may run late
                    assertTrue(s.closedWithin(10_000), "the TCP connection is dropped after the close frame");
                }
            }
            assertEquals(3, c.closedProtocolError.sum());
        }
    }

    @Test
    void floodingSocketIsNotReadAfterItsClose() throws Exception {
        try (TestServer server = TestServer.start(Map.of(
                "JANUS_SFU_TRANSPORT_WS_MAX_REQUESTS_PER_SECOND", "20",
                "JANUS_SFU_TRANSPORT_WS_REQUEST_BURST", "20"), v -> List.of(new EchoPlugin(v)));
             RawSocket flooder = new RawSocket(server.wsPort)) {
            TransportCounters c = server.server.transportCounters();
            assertTrue(flooder.upgrade().contains(" 101 "));
            byte[] ping = "{\"janus\":\"ping\",\"transaction\":\"f\"}".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 200; i++) {
                flooder.frame(0x81, ping);
            }
            assertEquals(1008, flooder.awaitCloseCode());
            long throttled = c.throttled.sum();
            long handled = server.core().counters().toString().length(); // touch: the core keeps running
            assertTrue(handled > 0);
            // Keep flooding after the close frame: nothing of it is read or answered, and the TCP is dropped.
            long deadline = System.nanoTime() + 3_000_000_000L;
            boolean dropped = false;
            for (int i = 0; i < 20_000 && System.nanoTime() < deadline; i++) {
                try {
                    flooder.frame(0x81, ping);
                } catch (java.io.IOException e) {
                    dropped = true;
                    break;
                }
            }
            assertTrue(dropped || flooder.closedWithin(10_000), "TCP dropped after the close"); // 1 s grace timer, run late on a loaded box
            assertEquals(throttled, c.throttled.sum(), "no frame served after the 1008");
            assertEquals(1, c.closedForFlooding.sum());
        }
    }

    @Test
    void repeatedCausesLogAFewLinesOnly(Vertx vertx) throws Exception {
        List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    records.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger transport = Logger.getLogger("org.janussfu.transport");
        transport.addHandler(capture);
        try (TestServer server = TestServer.start(Map.of("JANUS_SFU_TRANSPORT_WS_MAX_MESSAGE_SIZE", "1024"),
                v -> List.of(new EchoPlugin(v)))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                try (WsClient c = new WsClient(vertx, server.wsPort)) {
                    c.sendRaw("x".repeat(2000));
                    assertTrue(c.awaitClose(15_000));
                }
            }
            assertEquals(20, server.server.transportCounters().closedMessageTooBig.sum());
            // The throttle (LogThrottle.of: 5 records per 10 s window) is static, so its window may have been opened
            // by an earlier test in this JVM and end during the loop, and a loaded box may stretch the loop over more
            // windows: at most 5 per window the loop touched (one already running + one per 10 s begun), i.e. 10 for
            // a loop under 10 s, where an unthrottled log writes 20.
            long windows = 2 + (System.nanoTime() - t0) / 10_000_000_000L;
            assertTrue(records.size() <= 5 * windows, "log lines for 20 oversized messages: " + records.size()
                    + " over " + windows + " throttle windows");
        } finally {
            transport.removeHandler(capture);
        }
    }

    /** Small assertion helpers for replies. */
    static final class ObjectNodeAssert {
        static void ack(JsonNode reply, String janus) {
            assertEquals(janus, reply.path("janus").asText(), reply::toString);
        }
    }
}
