package org.janussfu.admin;

import io.vertx.core.Vertx;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} on the admin listener: the text parses strictly as the Prometheus exposition format, carries
 * the core, transport, room, admin and JVM families under Prometheus names, and its values move when a client
 * creates a session and joins a room; {@code GET /health} turns 503 once the core stops accepting sessions; the
 * bearer secret guards {@code /metrics} when asked to.
 */
class MetricsTest {
    static TestServer server;
    static Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.startProduction(Map.of());
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    static PrometheusText scrape(TestServer s) throws Exception {
        AdminClient.Http h = (AdminClient.Http) AdminClient.http(s.adminHttpPort());
        HttpResponse<String> r = h.get("/metrics");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
        // The last scrape stays under target/ for whoever reads the metrics table in docs/operations.md.
        java.nio.file.Files.writeString(java.nio.file.Path.of("target/metrics-sample.txt"), r.body());
        return PrometheusText.parse(r.body());
    }

    /** Scrapes until {@code ok} holds (generous deadline: a loaded 2-core box), returning the last scrape. */
    static PrometheusText scrapeUntil(TestServer s, Predicate<PrometheusText> ok) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        PrometheusText p = scrape(s);
        while (!ok.test(p) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            p = scrape(s);
        }
        return p;
    }

    @Test
    void valuesMoveWhenAClientCreatesASessionAndJoins() throws Exception {
        PrometheusText before = scrape(server);
        for (String family : new String[]{"janus_sessions", "janus_handles", "janus_sessions_opened_total",
                "janus_requests_total", "janus_rtp_packets_total", "janus_media_dropped_total", "janus_peer_connections",
                "janus_sfu_rooms", "janus_sfu_users", "janus_transport_connections_opened_total",
                "janus_event_loop_lag_seconds", "janus_admin_requests_total", "jvm_memory_used_bytes",
                "jvm_threads_live_threads", "process_files_open_files", "process_uptime_seconds"}) {
            assertTrue(before.has(family), "missing " + family + " in " + before.samples.keySet());
        }
        assertEquals("counter", before.types.get("janus_requests_total"));
        assertEquals("gauge", before.types.get("janus_sessions"));
        double created = before.value("janus_sessions_opened_total");
        double requests = before.value("janus_requests_total");
        try (SfuUser alice = new SfuUser(vertx, server.wsPort, "alice")) {
            assertTrue(alice.joinAsPublisher("metrics-room", null).path("success").asBoolean());
            PrometheusText after = scrapeUntil(server, p -> p.value("janus_sfu_users") >= 1);
            assertEquals(created + 1, after.value("janus_sessions_opened_total"));
            assertTrue(after.value("janus_requests_total") >= requests + 3, "create, attach, message");
            assertTrue(after.value("janus_sessions") >= 1);
            assertTrue(after.value("janus_handles") >= 1);
            assertEquals(1, after.value("janus_sfu_rooms"));
            assertEquals(1, after.value("janus_sfu_users"));
            assertEquals(1, after.value("janus_sfu_publisher_users"));
            assertTrue(after.value("janus_transport_connections_opened_total") >= 1);
        }
        PrometheusText gone = scrapeUntil(server, p -> p.value("janus_sfu_users") == 0 && p.value("janus_sessions") == 0);
        assertEquals(0, gone.value("janus_sfu_rooms"));
        assertEquals(0, gone.value("janus_sessions"));
    }

    @Test
    void healthTurns503WhenStoppingAndTheSecretGuardsMetricsWhenAsked() throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_ADMIN_SECRET", "m",
                "JANUS_SFU_ADMIN_METRICS_REQUIRE_SECRET", "true"))) {
            AdminClient.Http h = (AdminClient.Http) AdminClient.http(s.adminHttpPort());
            assertEquals(401, h.get("/metrics").statusCode());
            HttpResponse<String> ok = h.client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + s.adminHttpPort() + "/metrics")).header("Authorization", "Bearer m").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            PrometheusText.parse(ok.body());
            assertEquals(200, h.get("/health").statusCode());
            s.core().shutdown().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            HttpResponse<String> stopping = h.get("/health");
            assertEquals(503, stopping.statusCode());
            assertTrue(stopping.body().contains("stopping"), stopping.body());
        }
    }
}
