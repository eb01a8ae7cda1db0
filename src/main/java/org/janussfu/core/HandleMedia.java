package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.rtp.HandoffQueue;
import org.janussfu.rtp.InboundStream;
import org.janussfu.rtp.OutboundStream;
import org.janussfu.rtp.PooledPacket;
import org.janussfu.rtp.Packet;
import org.janussfu.rtp.RtpHeader;
import org.janussfu.sdp.MediaDescription;
import org.janussfu.sdp.MediaKind;
import org.janussfu.sdp.SessionDescription;
import org.janussfu.sdp.SetupRole;
import org.janussfu.webrtc.PeerConnection;
import org.janussfu.webrtc.SrtpProfile;

import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * The media side of one Janus handle: its {@link PeerConnection}, the identity it uses in the SDPs the core writes
 * (session id and version, its own sending SSRCs), what the peer's offer said about payload types, and the Janus
 * media events ({@code webrtcup}, {@code media}, {@code hangup}). Two owners (decision 0013): the handle's session
 * context owns the connection's lifecycle and the SDP-facing fields; the connection's <em>media context</em> (the
 * engine's media loop for server connections) owns the packet state — inbound and outbound streams, the NACK ring,
 * {@link LegRtcp}, {@link PublisherNacks}, the media timer — and runs {@link #onRtp}, {@link #onRtcp},
 * {@link #forward} and keyframe requests. A relayed packet produced on the media thread (the normal case: the publisher's packet was read and
 * decrypted there) is forwarded at once; one from another thread goes through this handle's {@link HandoffQueue}.
 * Events found on the media side hop to the session. Per packet it reuses one {@link Packet} view and one RTCP
 * scratch array; nothing is logged or thrown. {@link #stats} reads media counters from the session (racy, for
 * tests and metrics only).
 */
final class HandleMedia implements PeerConnection.Listener {
    private static final Logger LOG = Logger.getLogger(HandleMedia.class.getName());
    private static final byte AUDIO = 1;
    private static final byte VIDEO = 2;

    private final JanusCore core;
    private final Handle handle;
    final long audioSsrc;
    final long videoSsrc;
    final long rtxSsrc;
    final long sdpSessionId;
    long sdpVersion;
    /** The DTLS role we wrote in our latest description (ACTPASS in offers). */
    SetupRole localSetup;
    /** Our role for answering the peer's latest offer. */
    SetupRole answerSetup = SetupRole.ACTIVE;
    /** Session context writes it; the media side and relaying threads read it (to find the media context). */
    volatile PeerConnection pc;
    private volatile boolean up;
    /** Written on the session before the connection exists (and on renegotiation); read per packet, bytes only. */
    final byte[] payloadKinds = new byte[128];
    // ---- media context only (see the class comment) ----
    /** The connection the media side works with (attached on the media context after webrtcup). */
    private PeerConnection mediaPc;
    /** Relayed packets forwarded on the thread that produced them (no hand-off). */
    private long forwardedInline;
    private final Packet view = new Packet(new byte[0], 0, 0, false);
    private long lastAudioNanos;
    private long lastVideoNanos;
    private boolean receivingAudio;
    private boolean receivingVideo;
    /** The media context's ticker while this handle's checks run on it (media context), else null. */
    private MediaTicker ticker;
    private long checkPeriodNanos;
    private long nextCheckNanos;
    private final InboundStream audioIn = new InboundStream(48000);
    private final InboundStream videoIn = new InboundStream(90000);
    private long lastSlowlinkCheck;
    /** Streams this handle sends (as a subscriber): our SSRCs, continuity, NACK ring for video. */
    final OutboundStream audioOut;
    final OutboundStream videoOut;
    /** Relayed packets from other threads waiting for the media context; bounded, drops counted. Made once. */
    private volatile HandoffQueue<PooledPacket> forward;
    /** Reports, NACK answers and keyframe requests of this leg. */
    final LegRtcp rtcp;
    /** NACKs towards the peer when it publishes video, and the RTX that answers them. */
    final PublisherNacks publisherNacks;
    /** The RTX payload type the subscriber accepted (RFC 4588), or -1: then NACKs are answered on the media SSRC. */
    volatile int rtxPayloadType = -1;
    private final io.vertx.core.Handler<Void> pliTask = v -> keyframeNow(false);
    private final io.vertx.core.Handler<Void> firTask = v -> keyframeNow(true);

    HandleMedia(JanusCore core, Handle handle) {
        this.core = core;
        this.handle = handle;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        this.audioSsrc = r.nextLong(1, 1L << 32);
        this.videoSsrc = r.nextLong(1, 1L << 32);
        this.rtxSsrc = r.nextLong(1, 1L << 32);
        this.sdpSessionId = r.nextLong(1, Long.MAX_VALUE);
        this.audioOut = new OutboundStream(audioSsrc, 48000, 0);
        this.videoOut = new OutboundStream(videoSsrc, 90000, NACK_RING);
        this.rtcp = new LegRtcp(this, core, audioIn, videoIn, audioOut, videoOut);
        this.publisherNacks = new PublisherNacks(core, rtcp, videoSsrc);
    }

    /** Video packets kept per subscriber for NACKs: about a second of 1 Mbit/s video. */
    static final int NACK_RING = 128;
    /** Relayed packets one subscriber may have waiting: a few hundred ms of a busy room. */
    static final int FORWARD_QUEUE = 512;


    /** The connection, created on first use (an offer from the peer or one we send). */
    PeerConnection peerConnection() {
        if (pc == null || pc.isClosed()) {
            pc = core.media().create(handle.session.context, this);
            pc.setTap(handle.tap);
            for (var c : handle.remoteCandidates) {
                pc.addRemoteCandidate(c.path("candidate").asText());
            }
            handle.remoteCandidates.clear();
            if (handle.remoteCandidatesComplete) {
                pc.endOfRemoteCandidates();
            }
        }
        return pc;
    }

    boolean isUp() {
        return up;
    }

    /** Remembers which payload types of the peer's offer are audio and which video (for media events). */
    void learnPayloadTypes(SessionDescription sd) {
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

    // ---- PeerConnection.Listener: lifecycle on the session context, packets on the media context ---------------

    @Override
    public void onConnected(SrtpProfile profile, String cipherSuite) {
        up = true;
        core.sendEvent(handle.session, Replies.handleEvent("webrtcup", handle.session.id, handle.id));
        handle.plugin.setupMedia(handle);
    }

    /**
     * Media context, as soon as SRTP is up (before {@code webrtcup}): the media side starts working with the
     * connection — its RTCP, its timer, the forward queue — so the first relayed packets are not lost.
     */
    @Override
    public void onMediaReady() {
        PeerConnection c = pc;
        if (c == null || c.isClosed()) {
            return; // closed or replaced before this ran
        }
        if (forward == null) {
            forward = new HandoffQueue<>(FORWARD_QUEUE, c.mediaContext(), this::forward);
        }
        mediaPc = c;
        rtcp.attach(c);
        publisherNacks.attach(c);
        lastSlowlinkCheck = System.nanoTime();
        if (ticker == null) {
            long noMedia = core.mediaSettings().noMediaMillis();
            long period = noMedia == 0 ? 500 : Math.max(100, Math.min(500, noMedia / 2));
            checkPeriodNanos = period * 1_000_000L;
            nextCheckNanos = lastSlowlinkCheck + checkPeriodNanos;
            ticker = MediaTicker.of(core.vertx(), c.mediaContext()); // we run on that (the media) context
            ticker.add(this);
            core.counters.mediaTimers.increment();
        }
    }

    @Override
    public void onClosed(String reason) {
        handle.stopCapture("hangup");
        stop();
        ObjectNode ev = Replies.handleEvent("hangup", handle.session.id, handle.id);
        ev.put("reason", reason);
        core.sendEvent(handle.session, ev);
        handle.plugin.hangupMedia(handle);
    }

    @Override
    public void onRtp(byte[] buf, int off, int len) {
        if (!RtpHeader.isRtp(buf, off, len)) {
            return;
        }
        core.counters.rtpReceived.increment();
        core.counters.rtpBytesReceived.add(len);
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
                mediaEvent("video", true);
            }
        } else {
            lastAudioNanos = now;
            if (!receivingAudio) {
                receivingAudio = true;
                mediaEvent("audio", true);
            }
        }
        handle.plugin.incomingRtp(handle, view.wrap(buf, off, len, video));
    }

    /** A data-channel message from the peer: to the plugin, label and text/binary flag unchanged (§4.1). */
    @Override
    public void onDataMessage(String label, String protocol, boolean binary, byte[] data, int off, int len) {
        core.counters.dataReceived.increment();
        byte[] payload = off == 0 && len == data.length ? data : java.util.Arrays.copyOfRange(data, off, off + len);
        handle.plugin.incomingData(handle, new DataMessage(label, protocol, binary, payload));
    }

    /** Sends a relayed data-channel message on our channel with the same label (session context). */
    void sendData(DataMessage m) {
        if (!up || !pc.sendData(m.label(), m.protocol(), m.binary(), m.payload(), 0, m.payload().length)) {
            core.counters.dataDropped.increment();
        } else {
            core.counters.dataSent.increment();
        }
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        core.counters.rtcpReceived.increment();
        core.counters.rtcpBytesReceived.add(len);
        rtcp.onRtcp(buf, off, len);
        handle.plugin.incomingRtcp(handle, view.wrap(buf, off, len, false));
    }

    /** Media context: a {@code media} event, written on the session (rare: on changes only). */
    private void mediaEvent(String type, boolean receiving) {
        ObjectNode ev = Replies.handleEvent("media", handle.session.id, handle.id);
        ev.put("type", type);
        ev.put("receiving", receiving);
        int seconds = core.mediaSettings().noMediaSeconds();
        if (!receiving && seconds > 1) {
            ev.put("seconds", seconds); // as Janus: only for timers longer than a second
        }
        handle.session.run(() -> core.sendEvent(handle.session, ev));
    }

    /** Media context, from the {@link MediaTicker}: runs the checks once this handle's period has passed. */
    void tick(long now) {
        if (now - nextCheckNanos >= 0) {
            nextCheckNanos = now + checkPeriodNanos;
            checkSilence();
        }
    }

    /** Janus' no-media timer: a stream silent for the configured time is reported as not receiving. */
    private void checkSilence() {
        long limit = core.mediaSettings().noMediaMillis() * 1_000_000L;
        long now = System.nanoTime();
        if (limit == 0) {
            limit = Long.MAX_VALUE; // the timer is off (set_no_media_timer 0)
        }
        if (receivingAudio && now - lastAudioNanos > limit) {
            receivingAudio = false;
            mediaEvent("audio", false);
        }
        if (receivingVideo && now - lastVideoNanos > limit) {
            receivingVideo = false;
            mediaEvent("video", false);
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
        int threshold = core.mediaConfig().slowlinkThreshold();
        if (threshold > 0 && lost >= threshold) {
            ObjectNode ev = Replies.handleEvent("slowlink", handle.session.id, handle.id);
            ev.put("media", media);
            ev.put("uplink", true);
            ev.put("lost", lost);
            handle.session.run(() -> core.sendEvent(handle.session, ev));
        }
    }

    // ---- sending (media context) -------------------------------------------------------------------------------

    /**
     * A relayed packet for this handle (any thread; the packet stays the caller's): copied once (each leg has its
     * own SRTP context), then forwarded at once on the media thread (run to completion), else queued to the media
     * context; dropped and counted when the media side is not attached or the queue is full.
     */
    void relay(org.janussfu.rtp.Packet packet) {
        PeerConnection c = pc;
        boolean inline = c != null && c.onMediaThread();
        HandoffQueue<PooledPacket> q = forward;
        if (c == null || (inline ? mediaPc == null : q == null)) {
            core.counters.mediaDroppedNoPeerConnection.increment();
            return;
        }
        PooledPacket p = core.media().pool().acquire();
        if (!p.copyFrom(packet.buffer(), packet.offset(), packet.length(), packet.isVideo())) {
            p.release();
            core.counters.mediaDroppedNoPeerConnection.increment();
        } else if (inline) {
            forwardedInline++;
            forward(p);
        } else if (!q.offer(p)) {
            p.release();
            core.counters.forwardQueueDropped.increment();
        }
    }

    /**
     * Sends a relayed RTP packet as this handle's own stream (session context): our SSRC, continuous sequence and
     * timestamp, SRTP, then the video packet stays in the NACK ring (audio goes back to the pool).
     */
    private void forward(PooledPacket p) {
        PeerConnection pc = mediaPc;
        if (pc == null) {
            p.release();
            core.counters.mediaDroppedNoPeerConnection.increment();
            return;
        }
        OutboundStream out = p.isVideo() ? videoOut : audioOut;
        int seq = out.rewrite(p.buffer(), p.offset(), p.length(), System.nanoTime());
        if (p.isVideo() && rtxPayloadType >= 0) {
            // RTX needs the plaintext later: protect and send a copy, keep the original in the ring.
            PooledPacket wire = core.media().pool().acquire();
            wire.copyFrom(p.buffer(), p.offset(), p.length(), true);
            int n = pc.sendRtp(wire.buffer(), wire.offset(), wire.length());
            wire.release();
            if (n >= 0) {
                core.counters.rtpForwarded.increment();
                core.counters.rtpBytesForwarded.add(n);
            }
            out.remember(p, seq);
            return;
        }
        int n = pc.sendRtp(p.buffer(), p.offset(), p.length());
        if (n < 0) {
            p.release();
            return;
        }
        core.counters.rtpForwarded.increment();
        core.counters.rtpBytesForwarded.add(n);
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
    void requestKeyframe(boolean fir) {
        PeerConnection c = pc;
        if (c == null) {
            core.counters.mediaDroppedNoPeerConnection.increment();
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

    /** The {@code hangup} request: closes the connection if there is one (with its event); the handle stays. */
    void hangup(String reason) {
        if (pc != null && !pc.isClosed()) {
            pc.close();
            onClosed(reason);
        }
        pc = null;
    }

    /** The handle is going away: close silently. */
    void close() {
        handle.stopCapture("detached");
        stop(true);
        if (pc != null) {
            pc.close();
            pc = null;
        }
    }

    /** Session context: media stops; the media side lets go of the connection on its own context. */
    private void stop() {
        stop(false);
    }

    private void stop(boolean clearRing) {
        up = false;
        PeerConnection c = pc;
        if (c == null || c.mediaContext() == handle.session.context && handle.session.onOwner()) {
            detachMedia(clearRing);
        } else {
            c.mediaContext().runOnContext(v -> detachMedia(clearRing));
        }
        LOG.finer(() -> "media stopped " + handle);
    }

    /** Media context: no connection, no timer; the NACK ring is emptied when the handle goes. */
    private void detachMedia(boolean clearRing) {
        mediaPc = null;
        rtcp.attach(null);
        publisherNacks.attach(null);
        receivingAudio = false;
        receivingVideo = false;
        if (ticker != null) {
            ticker.remove(this);
            ticker = null;
            core.counters.mediaTimers.decrement();
        }
        if (clearRing) {
            videoOut.clear();
        }
    }

    /** Relayed packets waiting in this handle's forward queue now (approximate; any thread, for a gauge). */
    int forwardQueueDepth() {
        HandoffQueue<PooledPacket> q = forward;
        return q == null ? 0 : q.depth();
    }

    /** Per-stream counters of this handle (session context), for tests and metrics. */
    ObjectNode stats() {
        ObjectNode o = Replies.JSON.objectNode();
        o.put("up", up);
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
        o.put("forward_queue_dropped", forward == null ? 0 : forward.dropped());
        o.put("forward_inline", forwardedInline);
        o.put("forward_queued", forward == null ? 0 : forward.handedOff());
        return o;
    }
}
