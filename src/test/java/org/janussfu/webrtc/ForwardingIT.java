package org.janussfu.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.rtp.RtcpFeedback;
import org.janussfu.rtp.RtcpScan;
import org.janussfu.rtp.RtpHeader;
import org.janussfu.sdp.MediaDescription;
import org.janussfu.sdp.MediaKind;
import org.janussfu.sdp.SdpParser;
import org.janussfu.sdp.SessionDescription;
import org.janussfu.testing.ClientPeer;
import org.janussfu.testing.PacedMedia;
import org.janussfu.testing.Poll;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.janussfu.webrtc.ice.IceHarvesters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import static org.janussfu.webrtc.PeerConnectionIT.SessionAwait.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Media forwarding with in-process peers: one publisher's Opus-size and 1200-byte video RTP reaches two subscribers,
 * each under its own SSRC with continuous sequence numbers; a subscriber's PLI reaches the publisher; a NACK is
 * answered from the subscriber's ring; a blocked pair receives nothing; a subscriber that goes away does not slow
 * the other; and all of it runs to completion on the media loop (decision 0013: no hand-off after the socket read).
 */
@ExtendWith(VertxExtension.class)
public class ForwardingIT {

    /** A joined publisher with a connected client peer, and the payload types the server accepted (RTX: -1 if none). */
    public record Publisher(SfuUser user, ClientPeer peer, int videoPt, int audioPt, int rtxPt) {
    }

    /** A publisher with the Chrome-shaped fixture offer, connected and joined to {@code room} (also used by cluster tests). */
    public static Publisher publisher(TestServer s, Vertx vertx, Context ctx, String user, String room) throws Exception {
        return publisher(s.wsPort, s.server.media(), vertx, ctx, user, room);
    }

    /** As above, against the server on {@code wsPort} (another process too), with the client peer on {@code engine}. */
    public static Publisher publisher(int wsPort, org.janussfu.webrtc.MediaEngine engine, Vertx vertx, Context ctx,
                                      String user, String room) throws Exception {
        SfuUser u = new SfuUser(vertx, wsPort, user);
        ClientPeer peer = new ClientPeer(engine, ctx);
        ObjectNode reply = u.messageWithJsep(u.publisher, "{}",
                PeerConnectionIT.jsep("offer", peer.offer(PeerConnectionIT.fixture("chrome-renegotiation-offer.sdp"))));
        String answer = reply.path("jsep").path("sdp").asText();
        peer.acceptAnswer(answer);
        peer.connected.get(20, TimeUnit.SECONDS);
        assertTrue(u.joinAsPublisher(room, null).path("success").asBoolean());
        SessionDescription sd = SdpParser.parse(answer);
        int video = -1;
        int audio = -1;
        for (MediaDescription m : sd.media()) {
            if (m.kind() == MediaKind.VIDEO && !m.isRejected()) {
                video = Integer.parseInt(m.formats().get(0));
            } else if (m.kind() == MediaKind.AUDIO && !m.isRejected()) {
                audio = Integer.parseInt(m.formats().get(0));
            }
        }
        return new Publisher(u, peer, video, audio, org.janussfu.testing.RtxResponder.rtxPayloadType(answer, video));
    }

    /** A subscriber handle of {@code viewer} on {@code target}'s media, connected; returns its client peer. */
    static ClientPeer subscribe(TestServer s, Context ctx, SfuUser viewer, String room, String target) throws Exception {
        long h = viewer.attach();
        ObjectNode offer = viewer.message(h, "{\"kind\":\"join\",\"room_id\":\"" + room + "\",\"user_id\":\""
                + viewer.userId + "\",\"subscribe\":{\"media\":\"" + target + "\"}}");
        ClientPeer peer = new ClientPeer(s.server.media(), ctx);
        String answer = peer.answer(offer.path("jsep").path("sdp").asText());
        viewer.messageWithJsep(h, "{}", PeerConnectionIT.jsep("answer", answer));
        peer.connected.get(20, TimeUnit.SECONDS);
        // As a real client does: the subscription is up when the server says webrtcup (its media leg is attached
        // on the media loop by then; the client's own DTLS may complete a moment earlier).
        viewer.ws.await(m -> "webrtcup".equals(m.path("janus").asText()) && m.path("sender").asLong() == h, 20_000);
        return peer;
    }

    /** The server-side handle whose video SSRC is {@code ssrc} (found through the stats of every handle). */
    static long bobSubscriberHandle(TestServer s, long ssrc) throws Exception {
        for (long id : s.core().handleIds()) {
            ObjectNode st = s.core().handleStats(id).toCompletionStage().toCompletableFuture().get();
            if (st.path("video_out").path("ssrc").asLong() == ssrc) {
                return id;
            }
        }
        throw new AssertionError("no handle sends SSRC " + ssrc);
    }

    static List<byte[]> ofSsrc(List<byte[]> packets, long ssrc) {
        return packets.stream().filter(p -> RtpHeader.ssrc(p, 0) == ssrc).toList();
    }

    /** {@code count} audio + video pairs from sequence {@code start}, paced by {@code received} ({@link PacedMedia}). */
    static void sendMedia(Publisher pub, int count, int start, IntSupplier received) throws InterruptedException {
        PacedMedia.send(pub.peer(), pub.audioPt(), pub.videoPt(), start, count, false, received);
    }

    @Test
    void fanOutSsrcSequencePliNackBlockAndStall(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of())) {
            Context ctx = vertx.getOrCreateContext();
            Publisher alice = publisher(s, vertx, ctx, "alice", "r");
            Publisher bob = publisher(s, vertx, ctx, "bob", "r");
            Publisher carol = publisher(s, vertx, ctx, "carol", "r");
            ClientPeer bobSees = subscribe(s, ctx, bob.user(), "r", "alice");
            ClientPeer carolSees = subscribe(s, ctx, carol.user(), "r", "alice");

            sendMedia(alice, 200, 0, () -> Math.min(bobSees.rtp.size(), carolSees.rtp.size()));
            try {
                until(() -> bobSees.rtp.size() >= 400 && carolSees.rtp.size() >= 400, 20_000);
            } catch (AssertionError e) {
                throw new AssertionError("bob " + bobSees.rtp.size() + " carol " + carolSees.rtp.size()
                        + " rtp received " + s.core().counters().rtpReceived.sum() + " forwarded "
                        + s.core().counters().rtpForwarded.sum() + " not attached "
                        + s.core().counters().mediaDroppedNoPeerConnection.sum() + " inline "
                        + s.server.media().srtpInline() + " handed " + s.server.media().srtpHandedOff(), e);
            }
            long bobVideo = RtpHeader.ssrc(bobSees.rtp.stream().filter(p -> (p[1] & 0x7f) == alice.videoPt()).findFirst().orElseThrow(), 0);
            long carolVideo = RtpHeader.ssrc(carolSees.rtp.stream().filter(p -> (p[1] & 0x7f) == alice.videoPt()).findFirst().orElseThrow(), 0);
            assertTrue(bobVideo != carolVideo && bobVideo != 0x71DE0L && carolVideo != 0x71DE0L, "own SSRCs");
            for (ClientPeer sub : List.of(bobSees, carolSees)) {
                List<byte[]> video = sub.rtp.stream().filter(p -> (p[1] & 0x7f) == alice.videoPt()).toList();
                assertEquals(200, video.size());
                for (int i = 1; i < video.size(); i++) {
                    assertEquals((RtpHeader.sequence(video.get(i - 1), 0) + 1) & 0xffff, RtpHeader.sequence(video.get(i), 0),
                            "continuous sequence numbers");
                }
                assertEquals(1200, video.get(0).length, "1200-byte video arrives whole");
            }
            // Forwarded media left through our own send channels on the shared port (decision 0008).
            IceHarvesters shared = s.server.media().harvesters();
            assertEquals(1, shared.ownSendPaths());
            assertTrue(shared.ownSendSent() >= 800, "sent through our channels: " + shared.ownSendSent());
            // Run to completion (decision 0013): every SRTP datagram was decrypted on the media loop that read it and
            // every copy forwarded there, with no thread hand-off anywhere between the socket and the send.
            MediaEngine engine = s.server.media();
            assertTrue(engine.srtpInline() >= 400, "decrypted where read: " + engine.srtpInline());
            assertEquals(0, engine.srtpHandedOff(), "no hand-off from a reader thread");
            // The client peers too (the load generator's path): their own sockets are read on their owner's loop.
            assertTrue(engine.clientSrtpInline() >= 800, "clients decrypted where read: " + engine.clientSrtpInline());
            assertEquals(0, engine.clientSrtpHandedOff(), "no client hand-off from a reader thread");
            for (long ssrc : List.of(bobVideo, carolVideo)) {
                ObjectNode st = s.core().handleStats(bobSubscriberHandle(s, ssrc)).toCompletionStage()
                        .toCompletableFuture().get();
                assertTrue(st.path("forward_inline").asLong() >= 400, "forwarded inline: " + st);
                assertEquals(0, st.path("forward_queued").asLong(), "nothing went through the forward queue: " + st);
            }

            // PLI from a subscriber reaches the publisher (as a PLI or FIR about its video)
            byte[] pli = new byte[64];
            int n = RtcpFeedback.writePli(pli, 0, 1, bobVideo);
            bobSees.sendRtcp(pli, n);
            until(() -> alice.peer().rtcp.stream().anyMatch(r -> RtcpScan.keyframeRequests(r, 0, r.length) != 0), 15_000);

            // NACK for a sent packet is answered from the ring
            int wanted = RtpHeader.sequence(ofSsrc(bobSees.rtp, bobVideo).get(150), 0);
            byte[] nack = new byte[64]; // SRTCP tailroom
            int nackLength = RtcpFeedback.writeNack(nack, 0, 1, bobVideo, new int[]{wanted}, 1);
            int countBefore = bobSees.rtp.size();
            bobSees.sendRtcp(nack, nackLength);
            // This client negotiated RTX (its answer mirrors the offer): the retransmission comes on the RTX SSRC
            // with the NACKed sequence number as OSN in front of the payload (RFC 4588 §4).
            until(() -> s.core().counters().retransmissions.sum() >= 1, 15_000);
            until(() -> bobSees.rtp.size() > countBefore && bobSees.rtp.subList(countBefore, bobSees.rtp.size()).stream()
                    .anyMatch(r -> RtpHeader.ssrc(r, 0) != bobVideo && ((r[12] & 0xff) << 8 | (r[13] & 0xff)) == wanted), 15_000);
            ObjectNode stats = s.core().handleStats(bobSubscriberHandle(s, bobVideo)).toCompletionStage().toCompletableFuture().get();
            assertEquals(1, stats.path("video_out").path("retransmitted").asLong(), stats::toString);

            // carol blocks alice: carol's subscription gets nothing more, bob's continues
            // (the block is in force once its reply came; what was still on its way to carol has landed once her count
            // stops moving)
            carol.user().message(carol.user().publisher, "{\"kind\":\"block\",\"whom\":\"alice\"}");
            int carolBefore = (int) Poll.settled(carolSees.rtp::size, 300, 10_000);
            int bobBefore = bobSees.rtp.size();
            sendMedia(alice, 100, 200, bobSees.rtp::size);
            until(() -> bobSees.rtp.size() >= bobBefore + 200, 20_000);
            Thread.sleep(500);          // carol's copies, had there been any, would have come with bob's
            assertEquals(carolBefore, carolSees.rtp.size(), "a blocked pair receives nothing");

            // bob's subscriber goes away without a word; carol (unblocked) keeps getting everything
            carol.user().message(carol.user().publisher, "{\"kind\":\"unblock\",\"whom\":\"alice\"}");
            bobSees.close();
            int carolNow = carolSees.rtp.size();
            sendMedia(alice, 200, 300, carolSees.rtp::size);
            until(() -> carolSees.rtp.size() >= carolNow + 400, 20_000);
            for (Publisher p : List.of(alice, bob, carol)) {
                p.peer().close();
                p.user().close();
            }
            carolSees.close();
        }
    }
}
