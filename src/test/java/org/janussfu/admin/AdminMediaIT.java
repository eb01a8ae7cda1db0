package org.janussfu.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.janussfu.sdp.MediaDescription;
import org.janussfu.sdp.MediaKind;
import org.janussfu.sdp.SdpParser;
import org.janussfu.sdp.SessionDescription;
import org.janussfu.testing.ClientPeer;
import org.janussfu.testing.PacedMedia;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With real media (an in-process client peer publishing, another subscribing): the metrics' RTP counters,
 * PeerConnection gauges, DTLS handshake counters and histogram, per-transport request and error-code counters and
 * SCTP counters move (and the media-loop lag and forward-queue gauges exist), and the Admin API's {@code handle_info} shows the {@code webrtc} block (ICE ready,
 * DTLS connected, per-medium packet counts) of the publisher's handle. Packets go over loopback UDP, so only a share
 * of them is asserted.
 */
class AdminMediaIT {
    static String jsep(String type, String sdp) {
        return "{\"type\":\"" + type + "\",\"sdp\":\"" + sdp.replace("\r", "\\r").replace("\n", "\\n") + "\"}";
    }

    static int firstFormat(String answer, MediaKind kind) throws Exception {
        SessionDescription sd = SdpParser.parse(answer);
        for (MediaDescription m : sd.media()) {
            if (m.kind() == kind && !m.isRejected()) {
                return Integer.parseInt(m.formats().get(0));
            }
        }
        throw new AssertionError("no " + kind + " in the answer");
    }

    /** The first medium of {@code type} in a {@code webrtc.media} object keyed by mid (Janus 1.1.2). */
    static JsonNode medium(JsonNode webrtc, String type) {
        for (JsonNode m : webrtc.path("media")) {
            if (type.equals(m.path("type").asText()) && m.has("stats")) {
                return m;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    @Test
    void metricsAndHandleInfoFollowMedia() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestServer s = TestServer.startProduction(Map.of());
             SfuUser alice = new SfuUser(vertx, s.wsPort, "alice");
             SfuUser bob = new SfuUser(vertx, s.wsPort, "bob");
             AdminClient admin = AdminClient.http(s.adminHttpPort())) {
            Context ctx = vertx.getOrCreateContext();
            PrometheusText before = MetricsTest.scrape(s);
            ClientPeer pub = new ClientPeer(s.server.media(), ctx);
            String offer = pub.offer(Files.readString(Path.of("src/test/resources/fixtures/sdp/chrome-renegotiation-offer.sdp"),
                    StandardCharsets.UTF_8));
            ObjectNode reply = alice.messageWithJsep(alice.publisher, "{}", jsep("offer", offer));
            String answer = reply.path("jsep").path("sdp").asText();
            pub.acceptAnswer(answer);
            pub.connected.get(20, TimeUnit.SECONDS);
            assertTrue(alice.joinAsPublisher("media-room", null).path("success").asBoolean());
            assertTrue(bob.joinAsPublisher("media-room", null).path("success").asBoolean());
            long h = bob.attach();
            ObjectNode subOffer = bob.message(h, "{\"kind\":\"join\",\"room_id\":\"media-room\",\"user_id\":\"bob\","
                    + "\"subscribe\":{\"media\":\"alice\"}}");
            ClientPeer sub = new ClientPeer(s.server.media(), ctx);
            String subAnswer = sub.answer(subOffer.path("jsep").path("sdp").asText());
            bob.messageWithJsep(h, "{}", jsep("answer", subAnswer));
            sub.connected.get(20, TimeUnit.SECONDS);
            // the subscriber's media leg is attached by its webrtcup: from then on what the server gets reaches sub
            bob.ws.await(m -> "webrtcup".equals(m.path("janus").asText()) && m.path("sender").asLong() == h, 20_000);

            int audio = firstFormat(answer, MediaKind.AUDIO);
            int video = firstFormat(answer, MediaKind.VIDEO);
            int n = 300;
            PacedMedia.send(pub, audio, video, 1, n, false, sub.rtp::size);
            double inBefore = before.value("janus_rtp_packets_total", "direction=in");
            double outBefore = before.value("janus_rtp_packets_total", "direction=out");
            PrometheusText after = MetricsTest.scrapeUntil(s, p ->
                    p.value("janus_rtp_packets_total", "direction=in") >= inBefore + n / 2.0
                            && p.value("janus_rtp_packets_total", "direction=out") >= outBefore + n / 4.0);
            assertTrue(after.value("janus_rtp_packets_total", "direction=in") >= inBefore + n / 2.0, "rtp in");
            assertTrue(after.value("janus_rtp_packets_total", "direction=out") >= outBefore + n / 4.0, "rtp forwarded");
            // bytes: at least the 1,188-byte payloads received (n / 2 of them) and forwarded (n / 4)
            assertTrue(after.value("janus_rtp_bytes_total", "direction=in")
                    >= before.value("janus_rtp_bytes_total", "direction=in") + 1188.0 * n / 2, "rtp bytes in");
            assertTrue(after.value("janus_rtp_bytes_total", "direction=out")
                    >= before.value("janus_rtp_bytes_total", "direction=out") + 1188.0 * n / 4, "rtp bytes out");
            assertTrue(after.value("janus_peer_connections", "state=connected") >= 2, "connected PeerConnections");
            assertEquals(2, after.value("janus_sfu_users"));
            // DTLS: the two server handshakes (and the test peers' own, which share the engine) completed, each in the
            // duration histogram (buckets, count and sum).
            double handshakes = after.value("janus_dtls_handshakes_total", "result=connected")
                    - before.value("janus_dtls_handshakes_total", "result=connected");
            assertTrue(handshakes >= 2, "handshakes " + handshakes);
            assertEquals(before.value("janus_dtls_handshake_seconds_count") + handshakes,
                    after.value("janus_dtls_handshake_seconds_count"));
            assertEquals(after.value("janus_dtls_handshake_seconds_count"),
                    after.value("janus_dtls_handshake_seconds_bucket", "le=+Inf"), "every handshake in a bucket");
            assertTrue(after.value("janus_dtls_handshake_seconds_sum") > before.value("janus_dtls_handshake_seconds_sum"));
            assertEquals(0, after.value("janus_dtls_handshakes_total", "result=timeout"));
            assertTrue(after.has("janus_media_loop_lag_seconds") && after.has("janus_forward_queue_depth")
                    && after.has("janus_forward_queue_depth_max"), "media loop lag and forward queue gauges");
            // Janus API requests by transport, and error replies by code (a 458 on each transport).
            double wsRequests = after.value("janus_transport_requests_total", "transport=ws");
            assertTrue(wsRequests >= before.value("janus_transport_requests_total", "transport=ws") + 6, "ws requests");
            double ws458 = after.value("janus_transport_request_errors_total", "transport=ws", "code=458");
            double http458 = after.value("janus_transport_request_errors_total", "transport=http", "code=458");
            alice.ws.call("{\"janus\":\"keepalive\",\"session_id\":12345}");
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + s.httpPort + "/janus/12345")).POST(java.net.http.HttpRequest.BodyPublishers
                    .ofString("{\"janus\":\"keepalive\",\"transaction\":\"m\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            // SCTP: a data-channel message from the publisher is counted in.
            double sctpIn = after.value("janus_sctp_messages_total", "direction=in");
            pub.openChannel("metrics", true, -1);
            assertTrue(pub.sendData("metrics", false, "hello".getBytes(StandardCharsets.UTF_8)));
            PrometheusText later = MetricsTest.scrapeUntil(s, p ->
                    p.value("janus_transport_request_errors_total", "transport=ws", "code=458") >= ws458 + 1
                            && p.value("janus_transport_request_errors_total", "transport=http", "code=458") >= http458 + 1
                            && p.value("janus_sctp_messages_total", "direction=in") >= sctpIn + 1);
            assertEquals(ws458 + 1, later.value("janus_transport_request_errors_total", "transport=ws", "code=458"));
            assertEquals(http458 + 1, later.value("janus_transport_request_errors_total", "transport=http", "code=458"));
            assertTrue(later.value("janus_sctp_messages_total", "direction=in") >= sctpIn + 1, "sctp in");
            assertTrue(later.value("janus_sctp_bytes_total", "direction=in")
                    >= after.value("janus_sctp_bytes_total", "direction=in") + 5, "sctp bytes in");

            ObjectNode info = admin.call(alice.session, alice.publisher, AdminClient.req("handle_info", null, null));
            assertEquals("success", info.path("janus").asText(), info.toString());
            JsonNode w = info.path("info").path("webrtc");
            assertEquals("ready", w.path("ice").path("state").asText(), info.toString());
            assertEquals("connected", w.path("dtls").path("dtls-state").asText(), info.toString());
            assertTrue(medium(w, "video").path("stats").path("in").path("packets").asLong() > 0, info.toString());
            assertEquals(true, info.path("info").path("flags").path("ready").asBoolean());
            ObjectNode subInfo = admin.call(bob.session, h, AdminClient.req("handle_info", null, null));
            assertTrue(medium(subInfo.path("info").path("webrtc"), "video").path("stats").path("out").path("packets")
                    .asLong() > 0, subInfo.toString());
            assertEquals("subscriber", subInfo.path("info").path("plugin_specific").path("role").asText());
            assertEquals("alice", subInfo.path("info").path("plugin_specific").path("receives_media_from").asText());

            // hangup_webrtc closes the publisher's PeerConnection: the client gets hangup, the gauge falls.
            ObjectNode hang = admin.call(alice.session, alice.publisher, AdminClient.req("hangup_webrtc", null, null));
            assertEquals("success", hang.path("janus").asText());
            alice.ws.await(m -> m.path("janus").asText().equals("hangup") && m.path("sender").asLong() == alice.publisher);
            sub.close();
            pub.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
