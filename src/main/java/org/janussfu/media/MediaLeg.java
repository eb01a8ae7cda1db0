package org.janussfu.media;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import org.janussfu.rtp.HandoffQueue;
import org.janussfu.rtp.InboundStream;
import org.janussfu.rtp.OutboundStream;
import org.janussfu.rtp.Packet;
import org.janussfu.rtp.PooledPacket;
import org.janussfu.rtp.RtpHeader;
import org.janussfu.sdp.MediaDescription;
import org.janussfu.sdp.MediaKind;
import org.janussfu.sdp.SessionDescription;

/**
 * The media leg of one Janus handle: the packet state and pipeline of what it receives and sends over its connection
 * (a {@link MediaTransport}) — inbound and outbound streams, the video NACK ring, {@link LegRtcp} (SR/RR, NACK
 * answers with RTX, the keyframe-request throttle), {@link PublisherNacks}, the media checks run by the context's
 * {@link MediaTicker} — and {@link #onRtp}, {@link #onRtcp}, {@link #relay} and keyframe requests. Owned by the
 * handle's media side ({@code core.HandleMedia}, one leg per handle, kept across its connections), with two owners
 * as decision 0013 says: the session context writes the negotiated tables ({@link #learnPayloadTypes},
 * {@link #learnAnswer}, {@link #setRtxPayloadType}) and the current connection ({@link #connect}); the connection's
 * <em>media context</em> (the engine's media loop for server connections) owns everything else and runs
 * {@link #attach}, {@link #detach}, the packet callbacks (called by the connection's listener) and the checks. A
 * relayed packet produced on the media thread (the normal case: the publisher's packet was read and decrypted there)
 * is forwarded at once; one from another thread goes through this leg's {@link HandoffQueue}. What the leg finds for
 * Janus (media events, slowlink, packets for the plugin) goes to its {@link Listener} on the media context. Per
 * packet it reuses one {@link Packet} view and one RTCP scratch array; nothing is allocated, locked, logged or
 * thrown. {@link #stats} reads media counters from the session (racy, for tests and metrics only).
 */
public final class MediaLeg {
    /** Video packets kept per subscriber for NACKs: about a second of 1 Mbit/s video. */
    public static final int NACK_RING = 128;
    /** Relayed packets one subscriber may have waiting: a few hundred ms of a busy room. */
    public static final int FORWARD_QUEUE = 512;
    /** {@link #payloadKinds()} values. */
    public static final byte AUDIO = 1;
    public static final byte VIDEO = 2;

    /**
     * What the leg tells its handle, all on the media context: packets for the plugin (views valid only during the
     * call; per packet, so an implementation must not allocate, lock, log or throw) and the rare media events.
     */
    public interface Listener {
        /** A received RTP packet (after loss repair) for the plugin. */
        void incomingRtp(Packet packet);

        /** A received compound RTCP packet for the plugin (after the leg answered what is its own). */
        void incomingRtcp(Packet packet);

        /** A stream started ({@code receiving}) or went silent for the no-media timer: Janus' {@code media}. */
        void mediaEvent(String type, boolean receiving);

        /** The publisher's uplink lost {@code lost} packets in the last second (at least the threshold). */
        void slowlink(String media, long lost);
    }

    private final LegServices services;
    private final MediaCounters counters;
    private final Listener listener;
    /** Written on the session before the connection exists (and on renegotiation); read per packet, bytes only. */
    private final byte[] payloadKinds = new byte[128];
    /** The current connection: the session context writes it, relaying threads read it (to find the media context). */
    private volatile MediaTransport transport;
    /** The RTX payload type the subscriber accepted (RFC 4588), or -1: then NACKs are answered on the media SSRC. */
    volatile int rtxPayloadType = -1;
    // ---- media context only (see the class comment) ----
    /** The connection the media side works with (attached on the media context after SRTP is up). */
    private MediaTransport mediaTransport;
    /** Relayed packets forwarded on the thread that produced them (no hand-off). */
    private long forwardedInline;
    private final Packet view = new Packet(new byte[0], 0, 0, false);
    private long lastAudioNanos;
    private long lastVideoNanos;
    private boolean receivingAudio;
    private boolean receivingVideo;
    /** The media context's ticker while this leg's checks run on it (media context), else null. */
    private MediaTicker ticker;
    private long checkPeriodNanos;
    private long nextCheckNanos;
    private final InboundStream audioIn = new InboundStream(48000);
    private final InboundStream videoIn = new InboundStream(90000);
    private long lastSlowlinkCheck;
    /** Streams this leg sends (as a subscriber): our SSRCs, continuity, NACK ring for video. */
    private final OutboundStream audioOut;
    private final OutboundStream videoOut;
    /** Relayed packets from other threads waiting for the media context; bounded, drops counted. Made once. */
    private volatile HandoffQueue<PooledPacket> forward;
    /** Reports, NACK answers and keyframe requests of this leg. */
    private final LegRtcp rtcp;
    /** NACKs towards the peer when it publishes video, and the RTX that answers them. */
    private final PublisherNacks publisherNacks;
    private final Handler<Void> pliTask = v -> keyframeNow(false);
    private final Handler<Void> firTask = v -> keyframeNow(true);

    /**
     * @param audioSsrc our audio SSRC (as the handle's SDPs announce it)
     * @param videoSsrc our video SSRC, also the reporter SSRC of our RTCP
     * @param rtxSsrc   our RTX SSRC (RFC 4588)
     */
    public MediaLeg(LegServices services, Listener listener, long audioSsrc, long videoSsrc, long rtxSsrc) {
        this.services = services;
        this.counters = services.counters();
        this.listener = listener;
        this.audioOut = new OutboundStream(audioSsrc, 48000, 0);
        this.videoOut = new OutboundStream(videoSsrc, 90000, NACK_RING);
        this.rtcp = new LegRtcp(this, services, audioIn, videoIn, audioOut, videoOut, videoSsrc, rtxSsrc);
        this.publisherNacks = new PublisherNacks(services, rtcp, videoSsrc);
    }

    // ---- session context ---------------------------------------------------------------------------------------

    /** The payload type to medium table ({@link #AUDIO}, {@link #VIDEO}, 0); the array itself, read per packet. */
    public byte[] payloadKinds() {
        return payloadKinds;
    }

    /** Remembers which payload types of the peer's offer are audio and which video (for media events). */
    public void learnPayloadTypes(SessionDescription sd) {
        for (MediaDescription m : sd.media()) {
            byte kind = m.kind() == MediaKind.AUDIO ? AUDIO : m.kind() == MediaKind.VIDEO ? VIDEO : 0;
            if (kind == 0 || m.isRejected()) {
                continue;
            }
            for (String f : m.formats()) {
                try {
                    int pt = Integer.parseInt(f);
                    if (pt >= 0 && pt < 128) {
                        payloadKinds[pt] = kind;
                    }
                } catch (NumberFormatException e) {
                    // not an RTP format
                }
            }
        }
    }

    /** What our answer to a publisher accepted of its video (NACK, RTX): see {@link PublisherNacks#learn}. */
    public void learnAnswer(SessionDescription answer) {
        publisherNacks.learn(answer);
    }

    /** The RTX payload type the subscriber accepted, or -1 (then NACKs are answered on the media SSRC). */
    public void setRtxPayloadType(int pt) {
        rtxPayloadType = pt;
    }

    public int rtxPayloadType() {
        return rtxPayloadType;
    }

    /** The connection this leg is relayed to from now on (null: none); it is attached later on its media context. */
    public void connect(MediaTransport t) {
        transport = t;
    }

    // ---- media context: attach and detach ----------------------------------------------------------------------

    /**
     * Media context of {@code t}, as soon as SRTP is up: the leg starts working with the connection — its RTCP, its
     * timer, the forward queue — so the first relayed packets are not lost.
     */
    public void attach(MediaTransport t) {
        Context context = t.mediaContext();
        if (forward == null) {
            forward = new HandoffQueue<>(FORWARD_QUEUE, context, this::forward);
        }
        mediaTransport = t;
        rtcp.attach(t);
        publisherNacks.attach(t);
        lastSlowlinkCheck = System.nanoTime();
        if (ticker == null) {
            long noMedia = services.settings().noMediaMillis();
            long period = noMedia == 0 ? 500 : Math.max(100, Math.min(500, noMedia / 2));
            checkPeriodNanos = period * 1_000_000L;
            nextCheckNanos = lastSlowlinkCheck + checkPeriodNanos;
            ticker = MediaTicker.of(services.vertx(), context); // we run on that (the media) context
            ticker.add(this);
            counters.mediaTimers.increment();
        }
    }

    /** Media context: no connection, no timer; the NACK ring is emptied when {@code clearRing} (the handle goes). */
    public void detach(boolean clearRing) {
        mediaTransport = null;
        rtcp.attach(null);
        publisherNacks.attach(null);
        receivingAudio = false;
        receivingVideo = false;
        if (ticker != null) {
            ticker.remove(this);
            ticker = null;
            counters.mediaTimers.decrement();
        }
        if (clearRing) {
            videoOut.clear();
        }
    }

    // ---- media context: receiving ------------------------------------------------------------------------------

    /** A decrypted RTP packet of the peer, valid only during the call. */
    public void onRtp(byte[] buf, int off, int len) {
        if (!RtpHeader.isRtp(buf, off, len)) {
            return;
        }
        counters.rtpReceived.increment();
        counters.rtpBytesReceived.add(len);
        boolean video = payloadKinds[RtpHeader.payloadType(buf, off)] == VIDEO;
        long now = System.nanoTime();
        if (video && (len = publisherNacks.receive(buf, off, len, now)) < 0) {
            return; // a duplicate, or RTX that repairs nothing
        }
        (video ? videoIn : audioIn).onPacket(RtpHeader.ssrc(buf, off), RtpHeader.sequence(buf, off),
                RtpHeader.timestamp(buf, off), now);
        if (video) {
            lastVideoNanos = now;
            if (!receivingVideo) {
                receivingVideo = true;
                listener.mediaEvent("video", true);
            }
        } else {
            lastAudioNanos = now;
            if (!receivingAudio) {
                receivingAudio = true;
                listener.mediaEvent("audio", true);
            }
        }
        listener.incomingRtp(view.wrap(buf, off, len, video));
    }

    /** A decrypted compound RTCP packet of the peer, valid only during the call. */
    public void onRtcp(byte[] buf, int off, int len) {
        counters.rtcpReceived.increment();
        counters.rtcpBytesReceived.add(len);
        rtcp.onRtcp(buf, off, len);
        listener.incomingRtcp(view.wrap(buf, off, len, false));
    }

    /** From the {@link MediaTicker}: runs the checks once this leg's period has passed. */
    void tick(long now) {
        if (now - nextCheckNanos >= 0) {
            nextCheckNanos = now + checkPeriodNanos;
            checkSilence();
        }
    }

    /** Janus' no-media timer: a stream silent for the configured time is reported as not receiving. */
    private void checkSilence() {
        long limit = services.settings().noMediaMillis() * 1_000_000L;
        long now = System.nanoTime();
        if (limit == 0) {
            limit = Long.MAX_VALUE; // the timer is off (set_no_media_timer 0)
        }
        if (receivingAudio && now - lastAudioNanos > limit) {
            receivingAudio = false;
            listener.mediaEvent("audio", false);
        }
        if (receivingVideo && now - lastVideoNanos > limit) {
            receivingVideo = false;
            listener.mediaEvent("video", false);
        }
        rtcp.reportIfDue(now);
        if (now - lastSlowlinkCheck >= 1_000_000_000L) {
            lastSlowlinkCheck = now;
            slowlink("audio", audioIn.takeLostInWindow());
            slowlink("video", videoIn.takeLostInWindow());
        }
    }

    /** Janus' {@code slowlink} for the publisher's uplink, when enabled and the loss of the last second reaches it. */
    private void slowlink(String media, long lost) {
        int threshold = services.slowlinkThreshold();
        if (threshold > 0 && lost >= threshold) {
            listener.slowlink(media, lost);
        }
    }

    // ---- sending -----------------------------------------------------------------------------------------------

    /**
     * A relayed packet for this leg (any thread; the packet stays the caller's): copied once (each leg has its own
     * SRTP context), then forwarded at once on the media thread (run to completion), else queued to the media
     * context; dropped and counted when the media side is not attached or the queue is full.
     */
    public void relay(Packet packet) {
        MediaTransport c = transport;
        boolean inline = c != null && c.onMediaThread();
        HandoffQueue<PooledPacket> q = forward;
        if (c == null || (inline ? mediaTransport == null : q == null)) {
            counters.mediaDroppedNoPeerConnection.increment();
            return;
        }
        PooledPacket p = services.pool().acquire();
        if (!p.copyFrom(packet.buffer(), packet.offset(), packet.length(), packet.isVideo())) {
            p.release();
            counters.mediaDroppedNoPeerConnection.increment();
        } else if (inline) {
            forwardedInline++;
            forward(p);
        } else if (!q.offer(p)) {
            p.release();
            counters.forwardQueueDropped.increment();
        }
    }

    /**
     * Media context: sends a relayed RTP packet as this leg's own stream: our SSRC, continuous sequence and
     * timestamp, SRTP, then the video packet stays in the NACK ring (audio goes back to the pool).
     */
    private void forward(PooledPacket p) {
        MediaTransport pc = mediaTransport;
        if (pc == null) {
            p.release();
            counters.mediaDroppedNoPeerConnection.increment();
            return;
        }
        OutboundStream out = p.isVideo() ? videoOut : audioOut;
        int seq = out.rewrite(p.buffer(), p.offset(), p.length(), System.nanoTime());
        if (p.isVideo() && rtxPayloadType >= 0) {
            // RTX needs the plaintext later: protect and send a copy, keep the original in the ring.
            PooledPacket wire = services.pool().acquire();
            wire.copyFrom(p.buffer(), p.offset(), p.length(), true);
            int n = pc.sendRtp(wire.buffer(), wire.offset(), wire.length());
            wire.release();
            if (n >= 0) {
                counters.rtpForwarded.increment();
                counters.rtpBytesForwarded.add(n);
            }
            out.remember(p, seq);
            return;
        }
        int n = pc.sendRtp(p.buffer(), p.offset(), p.length());
        if (n < 0) {
            p.release();
            return;
        }
        counters.rtpForwarded.increment();
        counters.rtpBytesForwarded.add(n);
        if (p.isVideo()) {
            p.setLength(n);
            out.remember(p, seq);
        } else {
            p.release();
        }
    }

    /**
     * Asks the peer (a publisher) for a keyframe (PLI, or FIR), rate-limited: see {@link LegRtcp}. Any thread: runs
     * at once on the media thread (a subscriber's PLI read there), else hops to the media context.
     */
    public void requestKeyframe(boolean fir) {
        MediaTransport c = transport;
        if (c == null) {
            counters.mediaDroppedNoPeerConnection.increment();
        } else if (c.onMediaThread()) {
            keyframeNow(fir);
        } else {
            c.mediaContext().runOnContext(fir ? firTask : pliTask);
        }
    }

    /** Media context. */
    private void keyframeNow(boolean fir) {
        rtcp.requestKeyframe(fir);
    }

    // ---- any thread: gauges and stats --------------------------------------------------------------------------

    /** Relayed packets waiting in this leg's forward queue now (approximate; any thread, for a gauge). */
    public int forwardQueueDepth() {
        HandoffQueue<PooledPacket> q = forward;
        return q == null ? 0 : q.depth();
    }

    /** Per-stream counters of this leg into {@code o} (racy reads from the session, for tests and metrics). */
    public void stats(ObjectNode o) {
        for (var e : new Object[][]{{"audio_in", audioIn}, {"video_in", videoIn}}) {
            InboundStream s = (InboundStream) e[1];
            ObjectNode n = o.putObject((String) e[0]);
            n.put("ssrc", s.ssrc());
            n.put("received", s.received());
            n.put("lost", s.started() ? s.cumulativeLost() : 0);
            n.put("jitter", s.jitter());
            if (s == videoIn) {
                publisherNacks.stats(n);
            }
        }
        for (var e : new Object[][]{{"audio_out", audioOut}, {"video_out", videoOut}}) {
            OutboundStream s = (OutboundStream) e[1];
            ObjectNode n = o.putObject((String) e[0]);
            n.put("ssrc", s.ssrc());
            n.put("packets", s.packets());
            n.put("octets", s.octets());
            n.put("retransmitted", s.retransmitted());
            n.put("nack_misses", s.nackMisses());
        }
        HandoffQueue<PooledPacket> q = forward;
        o.put("forward_queue_dropped", q == null ? 0 : q.dropped());
        o.put("forward_inline", forwardedInline);
        o.put("forward_queued", q == null ? 0 : q.handedOff());
    }
}
