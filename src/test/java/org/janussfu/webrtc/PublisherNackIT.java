package org.janussfu.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.core.CoreCounters;
import org.janussfu.rtp.RtpHeader;
import org.janussfu.rtp.RtxPacket;
import org.janussfu.testing.ClientPeer;
import org.janussfu.testing.RtxResponder;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.janussfu.webrtc.PeerConnectionIT.SessionAwait.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server NACKs a publisher (issue 15): alice's video has holes (packets she never sends, across a sequence wrap);
 * the server asks for them with Generic NACKs, alice answers with RTX (RFC 4588) as a browser does, and bob's
 * subscription gets every packet exactly once, in his own stream (his SSRC, the video payload type, nothing of
 * alice's RTX stream) — while the late original of a recovered packet, an unrequested RTX (a probe) and a padding-only RTX packet are
 * dropped, and a packet alice cannot resend is given up after bounded retries driven by the server's timer. Packets
 * are made to be missing rather than lost on a link, so the counts are exact; {@code BadNetworkIT} does it over a
 * lossy link.
 */
@ExtendWith(VertxExtension.class)
class PublisherNackIT {
    static final long VIDEO_SSRC = 0x71DE0L;
    static final long RTX_SSRC = 0x71DE1L;
    static final int FIRST = 65436;
    static final int COUNT = 300;
    /** Never sent at first; alice answers the NACKs for them... */
    static final Set<Integer> HOLES = Set.of(65440, 65441, 65535, 0, 5, 150);
    /** ...except this one, which she no longer has. */
    static final int FORGOTTEN = 170;

    @Test
    void serverNacksThePublisherAndForwardsTheRecoveredPacketsOnce(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of())) {
            Context ctx = vertx.getOrCreateContext();
            ForwardingIT.Publisher alice = ForwardingIT.publisher(s, vertx, ctx, "alice", "r");
            ForwardingIT.Publisher bob = ForwardingIT.publisher(s, vertx, ctx, "bob", "r");
            ClientPeer bobSees = ForwardingIT.subscribe(s, ctx, bob.user(), "r", "alice");
            assertTrue(alice.rtxPt() >= 0, "the server's answer accepted RTX for the video");
            RtxResponder responder = new RtxResponder(alice.peer().pc, alice.rtxPt(), RTX_SSRC, VIDEO_SSRC);
            alice.peer().rtcpTap = responder::onRtcp;
            CoreCounters c = s.core().counters();

            for (int i = 0; i < COUNT; i++) {
                int seq = (FIRST + i) & 0xffff;
                byte[] p = ClientPeer.rtpPacket(alice.videoPt(), seq, 3000L * i, VIDEO_SSRC, 1188);
                p[12] = (byte) (i >>> 8);        // the payload says which packet it is
                p[13] = (byte) i;
                if (seq != FORGOTTEN) {
                    responder.sent(p, 1200);
                }
                if (!HOLES.contains(seq) && seq != FORGOTTEN) {
                    alice.peer().sendRtp(p, 1200);
                }
                if (i % 10 == 0) {
                    Thread.sleep(2);
                }
            }
            int expected = COUNT - 1; // all but the forgotten one
            until(() -> videoIndexes(bobSees, alice.videoPt()).size() >= expected, 15_000);
            until(() -> c.publisherNackGaveUp.sum() >= 1, 15_000);

            // The late original of a hole RTX already filled (SRTP's replay check lets it through: its index is new),
            // an RTX nobody asked for (a probe), a padding-only RTX: none reaches bob.
            long dupBefore = c.publisherDuplicatesDropped.sum();
            long rtxBefore = c.publisherRtxDiscarded.sum();
            int late = (150 - FIRST) & 0xffff;
            byte[] dup = ClientPeer.rtpPacket(alice.videoPt(), 150, 3000L * late, VIDEO_SSRC, 1188);
            dup[12] = (byte) (late >>> 8);
            dup[13] = (byte) late;
            alice.peer().sendRtp(dup, 1200);
            byte[] orig = ClientPeer.rtpPacket(alice.videoPt(), (FIRST + 30) & 0xffff, 90_000, VIDEO_SSRC, 1188);
            byte[] probe = new byte[1300];
            alice.peer().sendRtp(probe, RtxPacket.write(orig, 0, 1200, probe, 0, alice.rtxPt(), RTX_SSRC, 9000));
            byte[] padding = new byte[12 + 200 + 64];
            RtpHeader.write(padding, 0, alice.rtxPt(), 9001, 0, RTX_SSRC);
            padding[0] |= 0x20;
            padding[12 + 199] = (byte) 200;
            alice.peer().sendRtp(padding, 212);
            until(() -> c.publisherDuplicatesDropped.sum() > dupBefore && c.publisherRtxDiscarded.sum() >= rtxBefore + 2,
                    10_000);
            Thread.sleep(300); // anything wrongly forwarded would be here by now

            List<byte[]> video = bobSees.rtp.stream().filter(p -> (p[1] & 0x7f) == alice.videoPt()).toList();
            long bobSsrc = RtpHeader.ssrc(video.get(0), 0);
            assertEquals(expected, video.size(), "each packet once: " + c.toJson(new com.fasterxml.jackson.databind
                    .ObjectMapper().createObjectNode()));
            assertEquals(expected, videoIndexes(bobSees, alice.videoPt()).size());
            assertTrue(video.stream().allMatch(p -> RtpHeader.ssrc(p, 0) == bobSsrc && p.length == 1200),
                    "recovered packets come in bob's own stream, whole");
            assertTrue(bobSees.rtp.stream().noneMatch(p -> RtpHeader.ssrc(p, 0) == RTX_SSRC), "alice's RTX stream");
            int first = RtpHeader.sequence(video.get(0), 0) - ((video.get(0)[12] & 0xff) << 8 | (video.get(0)[13] & 0xff));
            for (byte[] p : video) {
                int index = (p[12] & 0xff) << 8 | (p[13] & 0xff);
                assertEquals((first + index) & 0xffff, RtpHeader.sequence(p, 0), "the original's place in bob's sequence");
            }

            assertTrue(responder.requested >= HOLES.size() + 1, "alice was asked: " + responder.requested);
            assertEquals(HOLES.size(), c.publisherRtxRecovered.sum(), "every hole recovered by RTX, once");
            assertTrue(c.publisherNacksSent.sum() >= 1);
            assertTrue(c.publisherNackRequests.sum() >= HOLES.size() + 2, "the forgotten one was asked again");
            ObjectNode st = s.core().handleStats(publisherHandle(s)).toCompletionStage().toCompletableFuture().get();
            ObjectNode in = (ObjectNode) st.path("video_in");
            assertEquals(HOLES.size(), in.path("rtx_recovered").asLong(), st::toString);
            assertEquals(1, in.path("nack_gave_up").asLong(), st::toString);
            assertTrue(in.path("nacks_sent").asLong() >= 1, st::toString);
            assertTrue(in.path("duplicates_dropped").asLong() >= 1, st::toString);
            assertTrue(in.path("rtt_ms").asDouble() > 0, "RTT measured from the RTX answers: " + st);
            for (ForwardingIT.Publisher p : List.of(alice, bob)) {
                p.peer().close();
                p.user().close();
            }
            bobSees.close();
        }
    }

    /** Which of alice's packets (the index in their payload) bob received. */
    static Set<Integer> videoIndexes(ClientPeer sub, int videoPt) {
        return sub.rtp.stream().filter(p -> (p[1] & 0x7f) == videoPt && p.length >= 14)
                .map(p -> (p[12] & 0xff) << 8 | (p[13] & 0xff)).collect(Collectors.toSet());
    }

    static long publisherHandle(TestServer s) throws Exception {
        for (long id : s.core().handleIds()) {
            ObjectNode st = s.core().handleStats(id).toCompletionStage().toCompletableFuture().get();
            if (st.path("video_in").path("ssrc").asLong() == VIDEO_SSRC) {
                return id;
            }
        }
        throw new AssertionError("no handle receives SSRC " + VIDEO_SSRC);
    }
}
