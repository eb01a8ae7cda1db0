package org.janussfu.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.janussfu.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event sink against a local Vert.x HTTP collector on 127.0.0.1: a client's session, handle and room
 * join/leave arrive as batched JSON arrays in order (created before attached before join; leave, detached,
 * destroyed), with Janus' event-handler types; a collector that never answers makes batches fail and a tiny queue
 * overflow, both counted, while the server keeps serving.
 */
class EventSinkTest {
    static Vertx vertx;
    static HttpServer collector;
    static HttpServer silent;
    static final List<JsonNode> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        collector = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            try {
                for (JsonNode e : AdminClient.MAPPER.readTree(b.toString())) {
                    received.add(e);
                }
                req.response().setStatusCode(204).end();
            } catch (Exception e) {
                req.response().setStatusCode(400).end();
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        silent = vertx.createHttpServer().requestHandler(req -> { /* never answers */ })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    static JsonNode await(Predicate<JsonNode> p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (JsonNode e : received) {
                if (p.test(e)) {
                    return e;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no matching event; received " + received);
    }

    static int indexOf(JsonNode e) {
        return received.indexOf(e);
    }

    @Test
    void lifecycleEventsArriveInBatches() throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_EVENTS_ENABLED", "true",
                "JANUS_SFU_EVENTS_URL", "http://127.0.0.1:" + collector.actualPort() + "/events",
                "JANUS_SFU_EVENTS_FLUSH_INTERVAL", "50"))) {
            long session;
            long handle;
            try (SfuUser alice = new SfuUser(vertx, s.wsPort, "alice")) {
                session = alice.session;
                handle = alice.publisher;
                assertTrue(alice.joinAsPublisher("events-room", null).path("success").asBoolean());
                JsonNode join = await(e -> e.path("type").asInt() == 64 && e.path("handle_id").asLong() == handle);
                assertEquals("join", join.path("event").path("data").path("event").asText());
                assertEquals("events-room", join.path("event").path("data").path("room_id").asText());
                assertEquals("janus.plugin.sfu", join.path("event").path("plugin").asText());
            }
            JsonNode created = await(e -> e.path("type").asInt() == 1 && e.path("session_id").asLong() == session
                    && e.path("event").path("name").asText().equals("created"));
            JsonNode attached = await(e -> e.path("type").asInt() == 2 && e.path("handle_id").asLong() == handle
                    && e.path("event").path("name").asText().equals("attached"));
            JsonNode leave = await(e -> e.path("type").asInt() == 64 && e.path("handle_id").asLong() == handle
                    && e.path("event").path("data").path("event").asText().equals("leave"));
            JsonNode detached = await(e -> e.path("type").asInt() == 2 && e.path("handle_id").asLong() == handle
                    && e.path("event").path("name").asText().equals("detached"));
            JsonNode destroyed = await(e -> e.path("type").asInt() == 1 && e.path("session_id").asLong() == session
                    && e.path("event").path("name").asText().equals("destroyed"));
            assertEquals("transport closed", destroyed.path("event").path("reason").asText());
            assertTrue(indexOf(created) < indexOf(attached) && indexOf(detached) < indexOf(destroyed), received.toString());
            assertTrue(created.path("timestamp").asLong() <= destroyed.path("timestamp").asLong());
            assertEquals("janus-sfu", created.path("emitter").asText());
            assertEquals("attached", attached.path("event").path("name").asText());
            assertTrue(leave != null);
            PrometheusText m = MetricsTest.scrapeUntil(s, p -> p.value("janus_events_sink_sent_total") >= 6);
            assertTrue(m.value("janus_events_sink_sent_total") >= 6);
        }
    }

    @Test
    void aCollectorThatNeverAnswersCostsDropsNotMemory() throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_EVENTS_ENABLED", "true",
                "JANUS_SFU_EVENTS_URL", "http://127.0.0.1:" + silent.actualPort() + "/events",
                "JANUS_SFU_EVENTS_FLUSH_INTERVAL", "50", "JANUS_SFU_EVENTS_REQUEST_TIMEOUT", "300",
                "JANUS_SFU_EVENTS_MAX_QUEUE", "3", "JANUS_SFU_EVENTS_BATCH_SIZE", "2"))) {
            EventPoster sink = s.server.eventSink();
            // The queue overflows when a session's events come while a batch waits out its 300 ms timeout: ten
            // sessions normally suffice; on a loaded box, where each takes longer, keep opening them (bounded).
            long overflowDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int i = 0; i < 10 || (sink.droppedQueueFull.sum() == 0 && System.nanoTime() < overflowDeadline); i++) {
                try (WsClient ws = new WsClient(vertx, s.wsPort)) {
                    long session = ws.createSession();
                    ws.attach(session, "janus.plugin.sfu");
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((sink.droppedQueueFull.sum() == 0 || sink.droppedFailed.sum() == 0) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(sink.droppedQueueFull.sum() > 0, "queue overflow counted");
            assertTrue(sink.droppedFailed.sum() > 0, "failed batches counted");
            assertTrue(sink.queued() <= 3);
            try (WsClient ws = new WsClient(vertx, s.wsPort)) {
                ws.createSession(); // still serving
            }
            PrometheusText m = MetricsTest.scrape(s);
            assertTrue(m.value("janus_events_sink_dropped_total", "reason=queue_full") > 0);
        }
    }
}
