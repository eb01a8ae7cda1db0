package org.janussfu.media;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.janussfu.rtp.Packet;
import org.janussfu.rtp.PacketPool;
import org.janussfu.rtp.RtcpFeedback;
import org.janussfu.rtp.RtpHeader;
import org.janussfu.rtp.RtxPacket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MediaLeg} through a fake {@link MediaTransport} (no ICE, DTLS or SRTP: "protecting" leaves the bytes as
 * they are), on a real Vert.x context standing for the media loop: a publisher's RTP reaches the plugin and, relayed,
 * goes out on a subscriber leg as the subscriber's own stream; a NACK is answered from the ring (RTX with the OSN when
 * negotiated, the kept packet again otherwise); keyframe requests to a publisher are throttled; nothing is sent
 * before the leg is attached or after it is detached.
 */
class MediaLegTest {
    static final int VIDEO_PT = 96;
    static final int AUDIO_PT = 111;
    static final int RTX_PT = 97;
    static final long SUB_AUDIO = 0xA1, SUB_VIDEO = 0xB2, SUB_RTX = 0xC3;
    static final long PUB_VIDEO = 0x2B2B2B2BL;

    static Vertx vertx;
    static Context context;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Records what the leg sends; "protection" keeps the bytes (the returned length is the packet's). */
    static final class FakeTransport implements MediaTransport {
        final List<byte[]> rtp = new ArrayList<>();
        final List<byte[]> resent = new ArrayList<>();
        final List<byte[]> rtcp = new ArrayList<>();

        @Override
        public int sendRtp(byte[] buf, int off, int len) {
            rtp.add(Arrays.copyOfRange(buf, off, off + len));
            return len;
        }

        @Override
        public boolean resend(byte[] buf, int off, int len) {
            resent.add(Arrays.copyOfRange(buf, off, off + len));
            return true;
        }

        @Override
        public boolean sendRtcp(byte[] buf, int off, int len) {
            rtcp.add(Arrays.copyOfRange(buf, off, off + len));
            return true;
        }

        @Override
        public Context mediaContext() {
            return context;
        }

        @Override
        public boolean onMediaThread() {
            return Vertx.currentContext() == context;
        }

        /** The RTCP packets sent with this payload type and FMT/count. */
        long rtcpOf(int pt, int fmt) {
            return rtcp.stream().filter(b -> (b[1] & 0xff) == pt && (b[0] & 0x1f) == fmt).count();
        }
    }

    /** Collects what a leg hands to its handle. */
    static final class Recorder implements MediaLeg.Listener {
        final List<byte[]> rtp = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        MediaLeg relayTo;

        @Override
        public void incomingRtp(Packet p) {
            rtp.add(Arrays.copyOfRange(p.buffer(), p.offset(), p.offset() + p.length()));
            if (relayTo != null) {
                relayTo.relay(p); // what the SFU plugin does through Gateway.relayRtp
            }
        }

        @Override
        public void incomingRtcp(Packet p) {
        }

        @Override
        public void mediaEvent(String type, boolean receiving) {
            events.add(type + "=" + receiving);
        }

        @Override
        public void slowlink(String media, long lost) {
            events.add("slowlink " + media);
        }
    }

    final MediaCounters counters = new MediaCounters();
    final LegSettings settings = new LegSettings() {
        @Override
        public long noMediaMillis() {
            return 0;
        }

        @Override
        public long nackQueueNanos() {
            return 1_000_000_000L; // a second of retransmissions
        }
    };
    final PacketPool pool = new PacketPool(256);

    LegServices services() {
        return new LegServices(counters, settings, pool, vertx, 0);
    }

    static byte[] rtp(int pt, int seq, long ts, long ssrc, int len) {
        byte[] b = new byte[len];
        RtpHeader.write(b, 0, pt, seq, ts, ssrc);
        for (int i = 12; i < len; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /** Runs {@code r} on the media context and waits; its assertion errors fail the test. */
    static void onContext(Runnable r) throws Exception {
        FutureTask<Void> task = new FutureTask<>(r, null);
        context.runOnContext(v -> task.run());
        try {
            task.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err; // an assertion on the context
            }
            throw e;
        }
    }

    @Test
    void publisherRtpIsForwardedOnTheSubscribersLegAsItsOwnStream() throws Exception {
        Recorder pubEvents = new Recorder();
        MediaLeg sub = new MediaLeg(services(), new Recorder(), SUB_AUDIO, SUB_VIDEO, SUB_RTX);
        MediaLeg pub = new MediaLeg(services(), pubEvents, 0x11, 0x12, 0x13);
        pubEvents.relayTo = sub;
        pub.payloadKinds()[VIDEO_PT] = MediaLeg.VIDEO;
        pub.payloadKinds()[AUDIO_PT] = MediaLeg.AUDIO;
        FakeTransport pubT = new FakeTransport();
        FakeTransport subT = new FakeTransport();
        byte[] video = rtp(VIDEO_PT, 1000, 90_000, PUB_VIDEO, 200);
        byte[] audio = rtp(AUDIO_PT, 7, 48_000, 0x3C3C3C3CL, 80);
        onContext(() -> {
            pub.connect(pubT);
            pub.attach(pubT);
            // not attached yet: relayed packets are dropped and counted, nothing is sent
            sub.connect(subT);
            pub.onRtp(video, 0, video.length);
            assertEquals(0, subT.rtp.size());
            assertEquals(1, counters.mediaDroppedNoPeerConnection.sum());
            sub.attach(subT);
            pub.onRtp(video, 0, video.length);
            pub.onRtp(audio, 0, audio.length);
        });
        assertEquals(3, pubEvents.rtp.size(), "every packet reaches the plugin");
        assertTrue(pubEvents.events.contains("video=true") && pubEvents.events.contains("audio=true"),
                pubEvents.events.toString());
        assertEquals(2, subT.rtp.size());
        byte[] v = subT.rtp.get(0);
        assertEquals(SUB_VIDEO, RtpHeader.ssrc(v, 0), "the subscriber's own video SSRC");
        assertEquals(VIDEO_PT, RtpHeader.payloadType(v, 0));
        assertArrayEquals(Arrays.copyOfRange(video, 12, video.length), Arrays.copyOfRange(v, 12, v.length),
                "payload unchanged");
        assertEquals(SUB_AUDIO, RtpHeader.ssrc(subT.rtp.get(1), 0), "the subscriber's own audio SSRC");
        assertEquals(3, counters.rtpReceived.sum());
        assertEquals(2, counters.rtpForwarded.sum());
        var stats = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        sub.stats(stats);
        assertEquals(2, stats.path("forward_inline").asLong(), "forwarded on the media thread, no hand-off");
        assertEquals(0, stats.path("forward_queued").asLong());
        assertEquals(1, stats.path("video_out").path("packets").asLong());
        onContext(() -> {
            sub.detach(true);
            pub.detach(true);
        });
        assertEquals(0, counters.mediaTimers.sum(), "the media checks stop with the legs");
    }

    @Test
    void nackIsAnsweredWithRtxFromTheRing() throws Exception {
        MediaLeg sub = new MediaLeg(services(), new Recorder(), SUB_AUDIO, SUB_VIDEO, SUB_RTX);
        sub.setRtxPayloadType(RTX_PT);
        FakeTransport t = new FakeTransport();
        byte[] nack = new byte[64];
        onContext(() -> {
            sub.connect(t);
            sub.attach(t);
            for (int i = 0; i < 3; i++) {
                sub.relay(new Packet(rtp(VIDEO_PT, 500 + i, 3000L * i, PUB_VIDEO, 300), 0, 300, true));
            }
        });
        assertEquals(3, t.rtp.size());
        int lostSeq = RtpHeader.sequence(t.rtp.get(1), 0);
        int n = RtcpFeedback.writeNack(nack, 0, 0x9999, SUB_VIDEO, new int[]{lostSeq}, 1);
        onContext(() -> sub.onRtcp(nack, 0, n));
        assertEquals(4, t.rtp.size(), "one retransmission");
        byte[] rtx = t.rtp.get(3);
        assertEquals(SUB_RTX, RtpHeader.ssrc(rtx, 0));
        assertEquals(RTX_PT, RtpHeader.payloadType(rtx, 0));
        assertEquals(lostSeq, RtxPacket.originalSequence(rtx, 0, rtx.length), "the OSN names the lost packet");
        byte[] original = t.rtp.get(1);
        assertArrayEquals(Arrays.copyOfRange(original, 12, original.length),
                Arrays.copyOfRange(rtx, 14, rtx.length), "the original payload after the OSN");
        assertEquals(1, counters.retransmissions.sum());
        assertEquals(0, t.resent.size());
        // a NACK for a packet never sent is a miss, answered with nothing
        int m = RtcpFeedback.writeNack(nack, 0, 0x9999, SUB_VIDEO, new int[]{(lostSeq + 1000) & 0xffff}, 1);
        onContext(() -> sub.onRtcp(nack, 0, m));
        assertEquals(4, t.rtp.size());
        assertEquals(1, counters.nackMisses.sum());
        onContext(() -> sub.detach(true));
    }

    @Test
    void withoutRtxTheKeptPacketIsResentAsItWas() throws Exception {
        MediaLeg sub = new MediaLeg(services(), new Recorder(), SUB_AUDIO, SUB_VIDEO, SUB_RTX);
        FakeTransport t = new FakeTransport();
        byte[] nack = new byte[64];
        onContext(() -> {
            sub.connect(t);
            sub.attach(t);
            sub.relay(new Packet(rtp(VIDEO_PT, 42, 0, PUB_VIDEO, 300), 0, 300, true));
        });
        int seq = RtpHeader.sequence(t.rtp.get(0), 0);
        int n = RtcpFeedback.writeNack(nack, 0, 0x9999, SUB_VIDEO, new int[]{seq}, 1);
        onContext(() -> sub.onRtcp(nack, 0, n));
        assertEquals(1, t.resent.size());
        assertArrayEquals(t.rtp.get(0), t.resent.get(0), "the same (protected) bytes again");
        onContext(() -> sub.detach(true));
    }

    @Test
    void keyframeRequestsToAPublisherAreThrottled() throws Exception {
        MediaLeg pub = new MediaLeg(services(), new Recorder(), 0x11, 0x12, 0x13);
        pub.payloadKinds()[VIDEO_PT] = MediaLeg.VIDEO;
        FakeTransport t = new FakeTransport();
        byte[] video = rtp(VIDEO_PT, 1, 0, PUB_VIDEO, 100);
        onContext(() -> {
            pub.connect(t);
            pub.attach(t);
            pub.requestKeyframe(false); // no video from the publisher yet: nothing to ask about
            assertEquals(0, t.rtcpOf(206, 1));
            pub.onRtp(video, 0, video.length);
            pub.requestKeyframe(false);
            pub.requestKeyframe(false);
            pub.requestKeyframe(true);
        });
        assertEquals(1, t.rtcpOf(206, 1), "one PLI");
        assertEquals(0, t.rtcpOf(206, 4), "the FIR within the interval was throttled too");
        byte[] pli = t.rtcp.stream().filter(b -> (b[1] & 0xff) == 206).findFirst().orElseThrow();
        assertEquals(PUB_VIDEO, u32(pli, 8), "about the publisher's video SSRC");
        assertEquals(1, counters.keyframeRequestsSent.sum());
        assertEquals(2, counters.keyframeRequestsThrottled.sum());
        // from another thread: hops to the media context, still throttled
        pub.requestKeyframe(false);
        onContext(() -> { });
        assertEquals(3, counters.keyframeRequestsThrottled.sum());
        Thread.sleep(LegRtcp.KEYFRAME_REQUEST_INTERVAL_NANOS / 1_000_000 + 50);
        onContext(() -> pub.requestKeyframe(true));
        assertEquals(1, t.rtcpOf(206, 4), "after the interval a FIR goes out");
        onContext(() -> pub.detach(true));
        assertNotEquals(0, counters.keyframeRequestsSent.sum());
    }

    @Test
    void detachedLegSendsNothing() throws Exception {
        MediaLeg sub = new MediaLeg(services(), new Recorder(), SUB_AUDIO, SUB_VIDEO, SUB_RTX);
        FakeTransport t = new FakeTransport();
        onContext(() -> {
            sub.connect(t);
            sub.attach(t);
            sub.detach(true);
            sub.relay(new Packet(rtp(AUDIO_PT, 1, 0, 0x77, 60), 0, 60, false));
            sub.requestKeyframe(false);
        });
        assertTrue(t.rtp.isEmpty());
        assertFalse(t.rtcpOf(206, 1) > 0);
        assertEquals(2, counters.mediaDroppedNoPeerConnection.sum());
    }

    static long u32(byte[] b, int o) {
        return ((long) (b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }
}
