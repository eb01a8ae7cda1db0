package org.janussfu.cluster;

import org.janussfu.webrtc.ForwardingIT;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.rtp.RtcpFeedback;
import org.janussfu.rtp.RtcpScan;
import org.janussfu.rtp.RtpHeader;
import org.janussfu.testing.ClientPeer;
import org.janussfu.testing.PacedMedia;
import org.janussfu.testing.Poll;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 step 3: media across two clustered nodes (two Vert.x instances with their own Hazelcast members in this
 * JVM, 127.0.0.1) with the project's own peers ({@link ClientPeer}). A publisher on node A reaches two subscribers on
 * node B and one on A; each publisher packet crosses to B once (not once per subscriber); a PLI from B reaches the
 * publisher; a NACK on B is answered from B's ring; data-channel messages cross both ways; a block made on B holds
 * for media from A. Media crosses on the UDP relay (the default); junk and forged frames at its port are dropped. Reports one-way latency of cross-node vs same-node subscribers (same JVM clock).
 */
@ExtendWith(VertxExtension.class)
class ClusterMediaIT {
    static List<TestServer> nodes;

    @BeforeAll
    static void start() throws Exception {
        nodes = TestServer.startCluster(2, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        for (TestServer n : nodes) {
            n.close();
        }
    }


    static String jsep(String type, String sdp) {
        return "{\"type\":\"" + type + "\",\"sdp\":\"" + sdp.replace("\r", "\\r").replace("\n", "\\n") + "\"}";
    }

    /** One sample's value from a node's {@code GET /metrics} (admin listener), or -1 when it is missing. */
    static double metric(TestServer node, String sample) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + node.adminHttpPort()
                        + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return -1;
    }

    static void until(BooleanSupplier c, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("condition not met within " + millis + " ms");
            }
            Thread.sleep(20);
        }
    }

    /** The same publisher set-up as the single-node forwarding test, on one node of the cluster. */
    static ForwardingIT.Publisher publisher(TestServer s, Vertx vertx, Context ctx, String user, String room) throws Exception {
        return ForwardingIT.publisher(s, vertx, ctx, user, room);
    }

    /** Subscribes {@code viewer} to {@code target}'s media; retries while {@code target}'s publisher is not yet mirrored. */
    static ClientPeer subscribe(TestServer s, Context ctx, SfuUser viewer, String room, String target) throws Exception {
        return subscribe(s.server.media(), ctx, viewer, room, target);
    }

    /** As above, with the client peer on {@code engine} (the viewer's server may be another process). */
    static ClientPeer subscribe(org.janussfu.webrtc.MediaEngine engine, Context ctx, SfuUser viewer, String room,
                                String target) throws Exception {
        long h = viewer.attach();
        ObjectNode offer = null;
        for (int i = 0; i < 100; i++) {
            offer = viewer.message(h, "{\"kind\":\"join\",\"room_id\":\"" + room + "\",\"user_id\":\""
                    + viewer.userId + "\",\"subscribe\":{\"media\":\"" + target + "\"}}");
            if (offer.has("jsep")) {
                break;
            }
            Thread.sleep(50); // the publisher's join is on its way from the other node
        }
        assertTrue(offer.has("jsep"), offer::toString);
        ClientPeer peer = new ClientPeer(engine, ctx);
        String answer = peer.answer(offer.path("jsep").path("sdp").asText());
        viewer.messageWithJsep(h, "{}", jsep("answer", answer));
        peer.connected.get(20, TimeUnit.SECONDS);
        // up when the server says so: its media leg is attached on the media loop by its webrtcup
        viewer.ws.await(m -> "webrtcup".equals(m.path("janus").asText()) && m.path("sender").asLong() == h, 20_000);
        return peer;
    }

    /** As ForwardingIT's, with each video packet stamped with its send time ({@link PacedMedia}). */
    static void sendMedia(ForwardingIT.Publisher pub, int count, int start, IntSupplier received) throws InterruptedException {
        PacedMedia.send(pub.peer(), pub.audioPt(), pub.videoPt(), start, count, true, received);
    }

    static List<byte[]> video(ClientPeer p, int pt) {
        return p.rtp.stream().filter(r -> (r[1] & 0x7f) == pt).toList();
    }

    /** One-way latencies (µs) of the video packets {@code p} received, from the send time stamped in the payload. */
    static List<Long> latenciesMicros(ClientPeer p, int pt) {
        return latenciesMicros(p, 0, pt);
    }

    static List<Long> latenciesMicros(ClientPeer p, int from, int pt) {
        List<Long> out = new ArrayList<>();
        for (int i = from; i < p.rtp.size(); i++) {
            byte[] r = p.rtp.get(i);
            if ((r[1] & 0x7f) != pt || r.length < 20) {
                continue;
            }
            long sent = 0;
            for (int k = 0; k < 8; k++) {
                sent = sent << 8 | (r[12 + k] & 0xff);
            }
            long us = (p.rtpNanos.get(i) - sent) / 1000;
            if (us > 0 && us < 10_000_000) {
                out.add(us);
            }
        }
        Collections.sort(out);
        return out;
    }

    static long pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size())));
    }

    /** {@code n} datagrams to the relay on {@code port}: half random bytes, half frames with guessed targets/tokens. */
    static void junkAtRelay(int port, int n) throws Exception {
        assertTrue(port > 0, "node B runs the UDP relay");
        java.util.Random rnd = new java.util.Random(16);
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            java.net.InetSocketAddress to = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port);
            for (int i = 0; i < n; i++) {
                byte[] d = new byte[48 + rnd.nextInt(200)];
                rnd.nextBytes(d);
                if (i % 4 == 1) {
                    java.nio.ByteBuffer.wrap(d).put((byte) 'J').put((byte) 'R').put((byte) 1).put((byte) 1).putInt(i)
                            .putLong(-1 - (i % 64)).putLong(rnd.nextLong()).put((byte) 0x80);
                } else if (i % 4 == 3) { // data frames for the (small, guessable) stream ids with guessed secrets
                    java.nio.ByteBuffer.wrap(d).put((byte) 'J').put((byte) 'R').put((byte) 1).put((byte) 2).putInt(i)
                            .putLong(1 + (i / 4) % 4).putLong(rnd.nextLong()).putShort((short) 8).put(new byte[8])
                            .putShort((short) 0).putShort((short) 1).putLong(-1 - (i % 64));
                }
                s.send(new java.net.DatagramPacket(d, d.length, to));
                if (i % 50 == 49) {
                    Thread.sleep(5);
                }
            }
        }
    }

    @Test
    void publisherOnAReachesSubscribersOnBOncePerNodeWithPliNackAndData(Vertx vertx) throws Exception {
        TestServer a = nodes.get(0);
        TestServer b = nodes.get(1);
        Context ctx = vertx.getOrCreateContext();
        ForwardingIT.Publisher alice = publisher(a, vertx, ctx, "alice", "m");
        ForwardingIT.Publisher bob = publisher(b, vertx, ctx, "bob", "m");
        ForwardingIT.Publisher carol = publisher(b, vertx, ctx, "carol", "m");
        ForwardingIT.Publisher dave = publisher(a, vertx, ctx, "dave", "m");
        ClientPeer bobSees = subscribe(b, ctx, bob.user(), "m", "alice");
        ClientPeer carolSees = subscribe(b, ctx, carol.user(), "m", "alice");
        ClientPeer daveSees = subscribe(a, ctx, dave.user(), "m", "alice");
        ClusterCounters ca = a.server.clusterRooms().counters;
        ClusterCounters cb = b.server.clusterRooms().counters;
        long sentBefore = ca.rtpSent.sum();

        sendMedia(alice, 200, 0, () -> Math.min(bobSees.rtp.size(), Math.min(carolSees.rtp.size(), daveSees.rtp.size())));
        try {
            until(() -> bobSees.rtp.size() >= 400 && carolSees.rtp.size() >= 400 && daveSees.rtp.size() >= 400, 20_000);
        } catch (AssertionError e) {
            throw new AssertionError("bob " + bobSees.rtp.size() + " carol " + carolSees.rtp.size() + " dave "
                    + daveSees.rtp.size() + " relayed " + ca.rtpSent.sum(), e);
        }
        assertEquals(200, video(bobSees, alice.videoPt()).size());
        assertEquals(200, video(carolSees, alice.videoPt()).size());
        assertEquals(400, ca.rtpSent.sum() - sentBefore, "each packet crosses to node B once, not once per subscriber");
        assertTrue(cb.relayReceived.sum() >= 400, "the packets crossed on the UDP relay: " + b.server.countersJson());
        assertEquals(0, ca.relayOffLoop.sum(), "frames are sent on the media loop");

        // junk at B's relay port — random bytes, and well-formed frames for plausible mirror ids with guessed
        // tokens — is dropped and counted, and reaches no subscriber
        int bobHad = bobSees.rtp.size();
        long rejectedBefore = cb.relayRejected.sum();
        junkAtRelay(b.server.clusterRooms().relayPort(), 300);
        until(() -> cb.relayRejected.sum() - rejectedBefore >= 250, 10_000); // UDP: most, not necessarily all
        Thread.sleep(200);
        assertEquals(bobHad, bobSees.rtp.size(), "no forged frame reached a subscriber");
        // ... and /metrics says so on both nodes (janus_cluster_*), with the membership
        assertTrue(metric(a, "janus_cluster_rtp_total{direction=\"sent\"}") >= 400, "node A's metrics");
        assertTrue(metric(b, "janus_cluster_rtp_total{direction=\"received\"}") >= 400, "node B's metrics");
        assertEquals(2.0, metric(a, "janus_cluster_members"));
        List<Long> remote = latenciesMicros(bobSees, alice.videoPt());
        List<Long> local = latenciesMicros(daveSees, alice.videoPt());
        System.out.println("cluster one-way latency us: cross-node p50=" + pct(remote, 0.5) + " p99=" + pct(remote, 0.99)
                + " same-node p50=" + pct(local, 0.5) + " p99=" + pct(local, 0.99) + " (n=" + remote.size() + "/" + local.size() + ")");

        // PLI from a subscriber on B reaches the publisher on A
        long bobVideo = RtpHeader.ssrc(video(bobSees, alice.videoPt()).get(0), 0);
        int rtcpBefore = alice.peer().rtcp.size();
        byte[] pli = new byte[64];
        int n = RtcpFeedback.writePli(pli, 0, 1, bobVideo);
        // The gateway passes at most one keyframe request per publisher per 500 ms (the setup FIR may have just used
        // it): repeat the PLI, as a real decoder does, until one reaches the publisher on the other node.
        long pliEnd = System.currentTimeMillis() + 20_000;
        while (alice.peer().rtcp.subList(rtcpBefore, alice.peer().rtcp.size()).stream()
                .noneMatch(r -> RtcpScan.keyframeRequests(r, 0, r.length) != 0)) {
            if (System.currentTimeMillis() > pliEnd) {
                throw new AssertionError("no keyframe request reached the publisher within 20 s");
            }
            bobSees.sendRtcp(pli, n);
            Thread.sleep(600);
        }
        assertTrue(ca.keyframeRequestsForwarded.sum() + cb.keyframeRequestsForwarded.sum() >= 1);

        // NACK on B: answered from B's ring (the packet crossed once; the retransmission is local to B). A packet is
        // eligible for 1 s (webrtc.max-nack-queue): NACK one of a fresh batch, and on a loaded box that took longer
        // than that (a miss is counted), try again with the next batch.
        long retransBefore = b.core().counters().retransmissions.sum();
        int next = 200;
        String lastTry = "";
        for (int attempt = 0; attempt < 5 && b.core().counters().retransmissions.sum() == retransBefore; attempt++) {
            int seen = video(bobSees, alice.videoPt()).size();
            long missesBefore = b.core().counters().nackMisses.sum();
            sendMedia(alice, 20, next, bobSees.rtp::size);
            next += 20;
            until(() -> video(bobSees, alice.videoPt()).size() >= seen + 10, 10_000);
            List<byte[]> bv = video(bobSees, alice.videoPt());
            int wanted = RtpHeader.sequence(bv.get(bv.size() - 1), 0);
            byte[] nack = new byte[64]; // SRTCP tailroom
            bobSees.sendRtcp(nack, RtcpFeedback.writeNack(nack, 0, 1, bobVideo, new int[]{wanted}, 1));
            long end = System.currentTimeMillis() + 5_000;
            while (b.core().counters().retransmissions.sum() == retransBefore
                    && b.core().counters().nackMisses.sum() == missesBefore && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            lastTry = "wanted=" + wanted + " misses=" + (b.core().counters().nackMisses.sum() - missesBefore);
        }
        assertTrue(b.core().counters().retransmissions.sum() > retransBefore, "no retransmission on B (" + lastTry
                + ") ssrc=" + bobVideo + " counters=" + b.server.countersJson());

        // data channels across nodes, both ways; alice's message crosses once for bob and carol on B
        alice.peer().openChannel("reliable", true, -1);
        bob.peer().openChannel("reliable", true, -1);
        carol.peer().openChannel("reliable", true, -1);
        Thread.sleep(300);
        long dataBefore = ca.dataSent.sum();
        assertTrue(alice.peer().sendData("reliable", false, "from-a".getBytes(StandardCharsets.UTF_8)));
        until(() -> bob.peer().data.stream().anyMatch(m -> "from-a".equals(new String((byte[]) m[2], StandardCharsets.UTF_8))), 10_000);
        until(() -> carol.peer().data.stream().anyMatch(m -> "from-a".equals(new String((byte[]) m[2], StandardCharsets.UTF_8))), 10_000);
        assertEquals(1, ca.dataSent.sum() - dataBefore, "a data message crosses to node B once, not once per recipient");
        assertTrue(bob.peer().sendData("reliable", false, "from-b".getBytes(StandardCharsets.UTF_8)));
        until(() -> alice.peer().data.stream().anyMatch(m -> "from-b".equals(new String((byte[]) m[2], StandardCharsets.UTF_8))), 10_000);
        // a burst crosses in order, each message delivered once, mostly from its relay copy (the bus copy backs it)
        long relayFirstBefore = cb.dataRelayFirst.sum();
        int bobData = bob.peer().data.size();
        for (int i = 0; i < 60; i++) {
            assertTrue(alice.peer().sendData("reliable", false, ("n" + i).getBytes(StandardCharsets.UTF_8)));
        }
        until(() -> bob.peer().data.size() >= bobData + 60, 10_000);
        Thread.sleep(300);
        List<String> burst = new java.util.ArrayList<>();
        for (Object[] d : bob.peer().data.subList(bobData, bob.peer().data.size())) {
            burst.add(new String((byte[]) d[2], StandardCharsets.UTF_8));
        }
        List<String> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            sent.add("n" + i);
        }
        assertEquals(sent, burst, "in order, none twice; counters=" + b.server.countersJson());
        assertTrue(cb.dataRelayFirst.sum() > relayFirstBefore, "no data message came by the relay: " + b.server.countersJson());
        assertEquals(0, cb.dataLost.sum());

        // carol (B) blocks alice (A): carol's subscription gets nothing more; bob's continues
        carol.user().message(carol.user().publisher, "{\"kind\":\"block\",\"whom\":\"alice\"}");
        Thread.sleep(500);
        int carolBefore = carolSees.rtp.size();
        int bobBefore = bobSees.rtp.size();
        sendMedia(alice, 100, next, bobSees.rtp::size); // new sequence numbers (the NACK batches used 200..)
        until(() -> bobSees.rtp.size() >= bobBefore + 200, 20_000);
        Thread.sleep(300);
        assertEquals(carolBefore, carolSees.rtp.size(), "a block across nodes holds for media");

        // paced latency: 300 video packets, one every 4 ms (a 250 packet/s stream), cross-node (bob) vs same-node (dave)
        carol.user().message(carol.user().publisher, "{\"kind\":\"unblock\",\"whom\":\"alice\"}");
        int bobMark = bobSees.rtp.size();
        int daveMark = daveSees.rtp.size();
        for (int i = 0; i < 300; i++) {
            if (i % 10 == 0) {
                // every packet must arrive (below): a receiver more than 40 behind holds the sender, as sendMedia does
                Poll.window(() -> Math.min(bobSees.rtp.size() - bobMark, daveSees.rtp.size() - daveMark), i, 40, 10_000);
            }
            byte[] v = ClientPeer.rtpPacket(alice.videoPt(), 1000 + i, 3000L * (1000 + i), 0x71DE0L, 1188);
            long now = System.nanoTime();
            for (int k = 0; k < 8; k++) {
                v[12 + k] = (byte) (now >>> (56 - 8 * k));
            }
            alice.peer().sendRtp(v, 1200);
            Thread.sleep(4);
        }
        until(() -> bobSees.rtp.size() >= bobMark + 300 && daveSees.rtp.size() >= daveMark + 300, 20_000);
        List<Long> remotePaced = latenciesMicros(bobSees, bobMark, alice.videoPt());
        List<Long> localPaced = latenciesMicros(daveSees, daveMark, alice.videoPt());
        System.out.println("cluster paced one-way latency us: cross-node p50=" + pct(remotePaced, 0.5) + " p99="
                + pct(remotePaced, 0.99) + " same-node p50=" + pct(localPaced, 0.5) + " p99=" + pct(localPaced, 0.99));

        for (ClientPeer p : List.of(bobSees, carolSees, daveSees)) {
            p.close();
        }
        for (ForwardingIT.Publisher p : List.of(alice, bob, carol, dave)) {
            p.peer().close();
            p.user().close();
        }
    }
}
