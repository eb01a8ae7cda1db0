package org.janussfu.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.janussfu.sdp.MediaKind;
import org.janussfu.testing.ClientPeer;
import org.janussfu.testing.PacedMedia;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.janussfu.admin.AdminApiTest.assertSuccess;
import static org.janussfu.admin.AdminMediaIT.firstFormat;
import static org.janussfu.admin.AdminMediaIT.jsep;
import static org.janussfu.admin.AdminMediaIT.medium;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Admin API on handles that carry media (an in-process publisher and subscriber, the project's own peers):
 * {@code start_pcap} on the publisher (over HTTP) and {@code start_text2pcap} on the subscriber (over WebSocket, with
 * {@code truncate}), media, then the stops — the pcap file parses (global header, record headers, the made-up
 * Ethernet/IPv4/UDP headers with a valid IPv4 checksum, UDP payloads that are RTP from the publisher's SSRCs and the
 * server's RTCP to it) and so does the text2pcap file (direction, time, offset, hex bytes no longer than the
 * truncation, packet type, session and handle; outgoing RTP carries the server's SSRCs). {@code handle_info} shows
 * the SDP texts, ICE and DTLS details and per-medium stats, including NACK/PLI counts and the RTT and loss of a
 * receiver report the subscriber sends. {@code set_no_media_timer 2}: the publisher's client gets {@code media}
 * {@code receiving:false} with {@code seconds:2} after media stops and {@code receiving:true} when it resumes. A
 * hangup stops a running capture. UDP on loopback: only shares of the packets are asserted.
 */
class AdminCaptureIT {
    static final Path DIR = Path.of("target/admin-captures-it").toAbsolutePath();
    static final long AUDIO_SSRC = PacedMedia.AUDIO_SSRC;
    static final long VIDEO_SSRC = PacedMedia.VIDEO_SSRC;
    static final Pattern LINE = Pattern.compile("([IO]) (\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{6}) 000000 ((?: [0-9a-f]{2})+)"
            + " JANUS_TEXT2PCAP_(RTP|RTCP) \\[session=(\\d+)\\]\\[handle=(\\d+)\\]");

    @Test
    void capturesHandleInfoAndNoMediaEvents() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_ADMIN_PCAP_DIR", DIR.toString()));
             SfuUser alice = new SfuUser(vertx, s.wsPort, "alice");
             SfuUser bob = new SfuUser(vertx, s.wsPort, "bob");
             AdminClient http = AdminClient.http(s.adminHttpPort());
             AdminClient ws = AdminClient.ws(vertx, s.adminWsPort())) {
            Files.createDirectories(DIR);
            Files.deleteIfExists(DIR.resolve("pub/alice.pcap"));
            Files.deleteIfExists(DIR.resolve("bob.txt"));
            assertEquals(2, ws.call(AdminClient.req("set_no_media_timer", null, "\"no_media_timer\":2"))
                    .path("no_media_timer").asInt());
            Context ctx = vertx.getOrCreateContext();
            ClientPeer pub = new ClientPeer(s.server.media(), ctx);
            String offer = pub.offer(Files.readString(Path.of("src/test/resources/fixtures/sdp/chrome-renegotiation-offer.sdp"),
                    StandardCharsets.UTF_8));
            ObjectNode reply = alice.messageWithJsep(alice.publisher, "{}", jsep("offer", offer));
            String answer = reply.path("jsep").path("sdp").asText();
            pub.acceptAnswer(answer);
            pub.connected.get(20, TimeUnit.SECONDS);
            assertTrue(alice.joinAsPublisher("cap-room", null).path("success").asBoolean());
            assertTrue(bob.joinAsPublisher("cap-room", null).path("success").asBoolean());
            long h = bob.attach();
            ObjectNode subOffer = bob.message(h, "{\"kind\":\"join\",\"room_id\":\"cap-room\",\"user_id\":\"bob\","
                    + "\"subscribe\":{\"media\":\"alice\"}}");
            ClientPeer sub = new ClientPeer(s.server.media(), ctx);
            String subAnswer = sub.answer(subOffer.path("jsep").path("sdp").asText());
            bob.messageWithJsep(h, "{}", jsep("answer", subAnswer));
            sub.connected.get(20, TimeUnit.SECONDS);
            // the subscriber's media leg is attached by its webrtcup: from then on what the server gets reaches sub,
            // which paces the sender (send)
            bob.ws.await(m -> "webrtcup".equals(m.path("janus").asText()) && m.path("sender").asLong() == h, 20_000);

            assertSuccess(http.call(alice.session, alice.publisher, AdminClient.req("start_pcap", null,
                    "\"folder\":\"pub\",\"filename\":\"alice.pcap\"")));
            assertSuccess(ws.call(bob.session, h, AdminClient.req("start_text2pcap", null,
                    "\"filename\":\"bob.txt\",\"truncate\":16")));

            int audio = firstFormat(answer, MediaKind.AUDIO);
            int video = firstFormat(answer, MediaKind.VIDEO);
            int n = 200;
            send(pub, audio, video, 1, n, sub);
            alice.ws.await(m -> isMedia(m, alice.publisher, "video", true), 20_000);
            until(() -> sub.rtp.size() >= n / 4, 20_000);
            until(() -> sub.rtcp.stream().anyMatch(p -> (p[1] & 0xff) == 200), 20_000); // an SR from the server

            // handle_info of the subscriber: SDPs, ICE, DTLS, media by mid.
            JsonNode subInfo = ws.call(bob.session, h, AdminClient.req("handle_info", null, null)).path("info");
            assertTrue(subInfo.path("sdps").path("local").asText().startsWith("v=0"), subInfo.toString());
            assertTrue(subInfo.path("sdps").path("remote").asText().startsWith("v=0"), subInfo.toString());
            assertTrue(subInfo.path("flags").path("got-answer").asBoolean(), subInfo.toString());
            // The server offered, but the answerer's checks may reach it before the answer: a role conflict (RFC 8445
            // §7.3.1.1) may leave it controlled. handle_info reports the agent's role as it is.
            assertTrue(Set.of("controlling", "controlled").contains(subInfo.path("ice-role").asText()), subInfo.toString());
            assertTrue(subInfo.path("dump-to-text2pcap").asBoolean(), subInfo.toString());
            JsonNode w = subInfo.path("webrtc");
            assertEquals("ready", w.path("ice").path("state").asText(), w.toString());
            assertTrue(w.path("ice").path("selected-pair").asText().contains("<->"), w.toString());
            assertTrue(w.path("ice").path("local-candidates").size() >= 1, w.toString());
            assertTrue(w.path("ice").path("remote-candidates").size() >= 1, w.toString());
            assertEquals("connected", w.path("dtls").path("dtls-state").asText(), w.toString());
            assertTrue(Set.of("active", "passive").contains(w.path("dtls").path("dtls-role").asText()), w.toString());
            assertTrue(w.path("dtls").path("srtp-profile").asText().startsWith("SRTP_"), w.toString());
            assertFalse(w.path("dtls").path("cipher-suite").asText().isEmpty(), w.toString());
            assertTrue(w.path("dtls").path("remote-fingerprint").asText().contains(":"), w.toString());
            assertEquals("sha-256", w.path("dtls").path("remote-fingerprint-hash").asText(), w.toString());
            JsonNode subVideo = medium(w, "video");
            long serverVideoSsrc = subVideo.path("ssrc").path("ssrc").asLong();
            long serverAudioSsrc = medium(w, "audio").path("ssrc").path("ssrc").asLong();
            assertEquals(u32(sub.rtp.stream().filter(p -> (p[1] & 0x7f) != audio).findFirst().orElseThrow(), 8),
                    serverVideoSsrc, "the video SSRC the subscriber receives");
            assertTrue(subVideo.path("direction").path("send").asBoolean() && !subVideo.path("direction").path("recv").asBoolean());
            assertTrue(subVideo.path("stats").path("out").path("packets").asLong() > 0, subVideo.toString());
            assertTrue(subVideo.path("stats").path("out").path("bytes").asLong()
                    > 12 * subVideo.path("stats").path("out").path("packets").asLong(), subVideo.toString());
            assertEquals(1000, subVideo.path("nack-queue-ms").asInt(), subVideo.toString());

            // The subscriber reports: an RR about our video (7 lost, jitter 33, LSR of the server's SR), a PLI, a NACK.
            // (The audio SR goes out just before the video one: the SR awaited above may have been the audio one.)
            until(() -> sub.rtcp.stream().anyMatch(p -> (p[1] & 0xff) == 200 && u32(p, 4) == serverVideoSsrc), 20_000);
            byte[] sr = sub.rtcp.stream().filter(p -> (p[1] & 0xff) == 200 && u32(p, 4) == serverVideoSsrc)
                    .reduce((a, b) -> b).orElseThrow();
            byte[] rr = receiverReportPliNack(serverVideoSsrc, u32(sr, 10), 7, 33);
            sub.sendRtcp(rr, 32 + 12 + 16);
            JsonNode[] v = new JsonNode[1];
            until(() -> {
                v[0] = medium(ws.call(bob.session, h, AdminClient.req("handle_info", null, null)).path("info")
                        .path("webrtc"), "video");
                // the RR, PLI and NACK of the compound are counted one after the other on the media loop: wait for all
                JsonNode out = v[0].path("stats").path("out");
                return v[0].path("rtcp").path("main").has("rtt") && out.path("plis").asLong() >= 1
                        && out.path("nacks").asLong() >= 1
                        && out.path("retransmissions").asLong() + out.path("nack_misses").asLong() >= 1;
            }, 20_000);
            JsonNode main = v[0].path("rtcp").path("main");
            assertEquals(7, main.path("lost-by-remote").asInt(), v[0].toString());
            assertEquals(33, main.path("jitter-remote").asInt(), v[0].toString());
            assertTrue(main.path("rtt").asLong() >= 0 && main.path("rtt").asLong() < 60_000, v[0].toString());
            assertEquals(1, v[0].path("stats").path("out").path("nacks").asInt(), v[0].toString());
            assertTrue(v[0].path("stats").path("out").path("retransmissions").asLong()
                    + v[0].path("stats").path("out").path("nack_misses").asLong() >= 1, v[0].toString());
            // The PLI went on to the publisher as the server's own keyframe request.
            JsonNode[] pv = new JsonNode[1];
            until(() -> {
                pv[0] = medium(http.call(alice.session, alice.publisher, AdminClient.req("handle_info", null, null))
                        .path("info").path("webrtc"), "video");
                return pv[0].path("stats").path("in").path("plis").asLong() + pv[0].path("stats").path("in").path("firs").asLong() >= 1;
            }, 20_000);
            assertTrue(pv[0].path("stats").path("in").path("packets").asLong() >= n / 4, pv[0].toString());
            assertTrue(pv[0].path("stats").path("in").path("bytes").asLong() >= n / 4 * 1200L, pv[0].toString());
            assertEquals(VIDEO_SSRC, pv[0].path("ssrc").path("ssrc-peer").asLong(), pv[0].toString());
            assertFalse(pv[0].path("codecs").path("codec").asText().isEmpty(), pv[0].toString());

            // No media for the timer (2 s): receiving false with the seconds, then true again when media resumes.
            ObjectNode off = alice.ws.await(m -> isMedia(m, alice.publisher, "video", false), 20_000);
            assertEquals(2, off.path("seconds").asInt(), off.toString());
            send(pub, audio, video, n + 1, 20, sub);
            alice.ws.await(m -> isMedia(m, alice.publisher, "video", true), 20_000);

            // Stop both captures: the replies come once the files are closed.
            JsonNode pubInfo = http.call(alice.session, alice.publisher, AdminClient.req("handle_info", null, null)).path("info");
            assertTrue(pubInfo.path("dump-to-pcap").asBoolean(), pubInfo.toString());
            assertTrue(pubInfo.path("dump-stats").path("packets").asLong() > 0, pubInfo.toString());
            assertSuccess(http.call(alice.session, alice.publisher, AdminClient.req("stop_pcap", null, null)));
            assertSuccess(ws.call(bob.session, h, AdminClient.req("stop_text2pcap", null, null)));

            checkPcap(Files.readAllBytes(DIR.resolve("pub/alice.pcap")), n);
            checkText(Files.readAllLines(DIR.resolve("bob.txt"), StandardCharsets.US_ASCII), bob.session, h,
                    Set.of(serverAudioSsrc, serverVideoSsrc));
            assertTrue(Files.readString(DIR.resolve("bob.txt"), StandardCharsets.US_ASCII).contains("\r\n"), "CRLF lines");

            // A hangup stops a running capture.
            assertSuccess(http.call(alice.session, alice.publisher, AdminClient.req("start_pcap", null,
                    "\"folder\":\"pub\",\"filename\":\"alice-2.pcap\"")));
            assertSuccess(http.call(alice.session, alice.publisher, AdminClient.req("hangup_webrtc", null, null)));
            assertFalse(http.call(alice.session, alice.publisher, AdminClient.req("handle_info", null, null)).path("info")
                    .has("dump-to-pcap"));
            PrometheusText m = MetricsTest.scrapeUntil(s, p -> p.value("janus_admin_captures_running") == 0);
            assertEquals(0, m.value("janus_admin_captures_running"));
            assertTrue(m.value("janus_admin_capture_packets_total", "result=written") >= n / 4, "capture packets written");
            AdminApiTest.assertError(http.call(alice.session, alice.publisher, AdminClient.req("stop_pcap", null, null)),
                    490, "Capture not started");
            sub.close();
            pub.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    /** {@code count} audio + video pairs, paced by what reached {@code sub} ({@link PacedMedia}). */
    static void send(ClientPeer pub, int audio, int video, int from, int count, ClientPeer sub) throws InterruptedException {
        PacedMedia.send(pub, audio, video, from, count, false, sub.rtp::size);
    }

    static boolean isMedia(JsonNode m, long handle, String type, boolean receiving) {
        return m.path("janus").asText().equals("media") && m.path("sender").asLong() == handle
                && m.path("type").asText().equals(type) && m.path("receiving").asBoolean() == receiving;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void until(Check c, long millis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!c.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + millis + " ms");
            }
            Thread.sleep(50);
        }
    }

    static long u32(byte[] b, int o) {
        return ((long) (b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    static void put32(byte[] b, int o, long v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    /** RR (RFC 3550 §6.4.2) with one block about {@code ssrc}, a PLI (RFC 4585 §6.3.1) and a NACK (§6.2.1). */
    static byte[] receiverReportPliNack(long ssrc, long lsr, int lost, int jitter) {
        byte[] b = new byte[32 + 12 + 16 + 64];
        b[0] = (byte) 0x81;
        b[1] = (byte) 201;
        b[3] = 7;
        put32(b, 4, 0x5AB);
        put32(b, 8, ssrc);
        b[12] = 0x10;
        b[15] = (byte) lost;
        put32(b, 16, 100);
        put32(b, 20, jitter);
        put32(b, 24, lsr);
        put32(b, 28, 0);
        b[32] = (byte) 0x81;
        b[33] = (byte) 206;
        b[35] = 2;
        put32(b, 36, 0x5AB);
        put32(b, 40, ssrc);
        b[44] = (byte) 0x81;
        b[45] = (byte) 205;
        b[47] = 3;
        put32(b, 48, 0x5AB);
        put32(b, 52, ssrc);
        b[56] = 0;
        b[57] = 5; // PID 5, BLP 0
        return b;
    }

    /** The publisher's pcap: libpcap 2.4, Ethernet, IPv4 with a valid checksum, UDP 1000/2000, RTP and RTCP inside. */
    static void checkPcap(byte[] file, int n) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, b.getInt(0), "magic");
        assertEquals(1, b.getInt(20), "Ethernet");
        int pos = 24;
        int rtpIn = 0;
        int rtcpOut = 0;
        long now = System.currentTimeMillis() / 1000;
        while (pos < file.length) {
            assertTrue(pos + 16 <= file.length, "record header at " + pos);
            long sec = b.getInt(pos) & 0xffffffffL;
            int usec = b.getInt(pos + 4);
            int incl = b.getInt(pos + 8);
            int orig = b.getInt(pos + 12);
            assertTrue(Math.abs(now - sec) < 600 && usec >= 0 && usec < 1_000_000, "timestamp " + sec + "." + usec);
            assertEquals(incl, orig, "not truncated");
            int p = pos + 16;
            assertTrue(p + incl <= file.length, "record data");
            ByteBuffer d = ByteBuffer.wrap(file, p, incl).slice().order(ByteOrder.BIG_ENDIAN);
            assertEquals(0x0800, d.getShort(12) & 0xffff, "IPv4 ethertype");
            assertEquals(0x45, d.get(14) & 0xff);
            assertEquals(17, d.get(23), "UDP");
            assertEquals(incl - 14, d.getShort(16) & 0xffff, "IP total length");
            int sum = 0;
            for (int i = 0; i < 20; i += 2) {
                sum += d.getShort(14 + i) & 0xffff;
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xffff) + (sum >>> 16);
            }
            assertEquals(0xffff, sum, "IPv4 header checksum");
            int srcPort = d.getShort(34) & 0xffff;
            int dstPort = d.getShort(36) & 0xffff;
            assertEquals(incl - 34, d.getShort(38) & 0xffff, "UDP length");
            boolean incoming = srcPort == 1000;
            assertEquals(incoming ? 2000 : 1000, dstPort);
            assertEquals(incoming ? 0x0a010101 : 0x0a020202, d.getInt(26), "source address");
            byte[] payload = java.util.Arrays.copyOfRange(file, p + 42, p + incl);
            assertEquals(2, (payload[0] & 0xff) >> 6, "RTP/RTCP version 2");
            int pt = payload[1] & 0xff;
            boolean rtcp = pt >= 192 && pt <= 223;
            if (incoming && !rtcp) {
                long ssrc = u32(payload, 8);
                assertTrue(ssrc == AUDIO_SSRC || ssrc == VIDEO_SSRC, "publisher SSRC " + Long.toHexString(ssrc));
                rtpIn++;
            } else if (!incoming && rtcp) {
                rtcpOut++;
            }
            pos = p + incl;
        }
        assertEquals(file.length, pos, "whole records");
        assertTrue(rtpIn >= n / 2, "incoming RTP records: " + rtpIn);
        assertTrue(rtcpOut >= 1, "the server's RTCP (RRs, PLI) to the publisher: " + rtcpOut);
    }

    /** The subscriber's text2pcap lines, truncated to 16 bytes; outgoing RTP has the server's SSRCs. */
    static void checkText(List<String> lines, long session, long handle, Set<Long> serverSsrcs) {
        int rtpOut = 0;
        Set<Long> seen = new HashSet<>();
        List<String> bad = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                bad.add(line);
                continue;
            }
            assertEquals(session, Long.parseLong(m.group(8)));
            assertEquals(handle, Long.parseLong(m.group(9)));
            String[] hex = m.group(6).trim().split(" ");
            assertTrue(hex.length <= 16, "truncated to 16 bytes: " + line);
            if (m.group(1).equals("O") && m.group(7).equals("RTP")) {
                assertEquals(16, hex.length, line);
                seen.add(Long.parseLong(hex[8] + hex[9] + hex[10] + hex[11], 16));
                rtpOut++;
            }
        }
        assertEquals(List.of(), bad, "lines text2pcap would not read");
        assertTrue(rtpOut >= 20, "outgoing RTP lines: " + rtpOut);
        assertTrue(serverSsrcs.containsAll(seen) && !seen.isEmpty(), seen + " vs " + serverSsrcs);
        assertNotEquals(0, lines.size());
    }
}
