package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.rtp.InboundStream;
import org.janussfu.rtp.Packet;
import org.janussfu.rtp.RtcpFeedback;
import org.janussfu.rtp.RtpHeader;
import org.janussfu.sdp.MediaDescription;
import org.janussfu.sdp.MediaKind;
import org.janussfu.sdp.SessionDescription;
import org.janussfu.sdp.SetupRole;
import org.janussfu.webrtc.PeerConnection;
import org.janussfu.webrtc.SrtpProfile;
import org.janussfu.webrtc.SrtpTransformer;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The media side of one Janus handle: its {@link PeerConnection}, the identity it uses in the SDPs the core writes
 * (session id and version, its own sending SSRCs), what the peer's offer said about payload types, and the Janus
 * media events ({@code webrtcup}, {@code media}, {@code hangup}). Owned by the handle's session context: the
 * PeerConnection calls back there, and gateway relays hop there. Per packet it reuses one {@link Packet} view and
 * one RTCP scratch array; nothing is logged or thrown.
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
    PeerConnection pc;
    private volatile boolean up;
    private final byte[] payloadKinds = new byte[128];
    private final Packet view = new Packet(new byte[0], 0, 0, false);
    private final byte[] rtcpScratch = new byte[64];
    private long peerAudioSsrc;
    private long peerVideoSsrc;
    private int firSequence;
    private long lastAudioNanos;
    private long lastVideoNanos;
    private boolean receivingAudio;
    private boolean receivingVideo;
    private long mediaTimer = -1;
    private final InboundStream audioIn = new InboundStream(48000);
    private final InboundStream videoIn = new InboundStream(90000);
    private long lastSlowlinkCheck;

    HandleMedia(JanusCore core, Handle handle) {
        this.core = core;
        this.handle = handle;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        this.audioSsrc = r.nextLong(1, 1L << 32);
        this.videoSsrc = r.nextLong(1, 1L << 32);
        this.rtxSsrc = r.nextLong(1, 1L << 32);
        this.sdpSessionId = r.nextLong(1, Long.MAX_VALUE);
    }

    /** The connection, created on first use (an offer from the peer or one we send). */
    PeerConnection peerConnection() {
        if (pc == null || pc.isClosed()) {
            pc = core.media().create(handle.session.context, this);
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

    // ---- PeerConnection.Listener (session context) -------------------------------------------------------------

    @Override
    public void onConnected(SrtpProfile profile, String cipherSuite) {
        up = true;
        core.sendEvent(handle.session, Replies.handleEvent("webrtcup", handle.session.id, handle.id));
        long period = Math.max(100, core.mediaConfig().noMediaTimeout().toMillis() / 2);
        mediaTimer = core.vertx().setPeriodic(period, t -> checkSilence());
        core.counters.mediaTimers.increment();
        lastSlowlinkCheck = System.nanoTime();
        handle.plugin.setupMedia(handle);
    }

    @Override
    public void onClosed(String reason) {
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
        boolean video = payloadKinds[RtpHeader.payloadType(buf, off)] == VIDEO;
        long now = System.nanoTime();
        (video ? videoIn : audioIn).onPacket(RtpHeader.ssrc(buf, off), RtpHeader.sequence(buf, off),
                RtpHeader.timestamp(buf, off), now);
        if (video) {
            lastVideoNanos = now;
            peerVideoSsrc = RtpHeader.ssrc(buf, off);
            if (!receivingVideo) {
                receivingVideo = true;
                mediaEvent("video", true);
            }
        } else {
            lastAudioNanos = now;
            peerAudioSsrc = RtpHeader.ssrc(buf, off);
            if (!receivingAudio) {
                receivingAudio = true;
                mediaEvent("audio", true);
            }
        }
        handle.plugin.incomingRtp(handle, view.wrap(buf, off, len, video));
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
        core.counters.rtcpReceived.increment();
        handle.plugin.incomingRtcp(handle, view.wrap(buf, off, len, false));
    }

    private void mediaEvent(String type, boolean receiving) {
        ObjectNode ev = Replies.handleEvent("media", handle.session.id, handle.id);
        ev.put("type", type);
        ev.put("receiving", receiving);
        core.sendEvent(handle.session, ev);
    }

    /** Janus' no-media timer: a stream silent for the configured time is reported as not receiving. */
    private void checkSilence() {
        long limit = core.mediaConfig().noMediaTimeout().toNanos();
        long now = System.nanoTime();
        if (receivingAudio && now - lastAudioNanos > limit) {
            receivingAudio = false;
            mediaEvent("audio", false);
        }
        if (receivingVideo && now - lastVideoNanos > limit) {
            receivingVideo = false;
            mediaEvent("video", false);
        }
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
            core.sendEvent(handle.session, ev);
        }
    }

    // ---- sending (session context) -----------------------------------------------------------------------------

    /** Sends a relayed RTP packet as this handle's own stream: our SSRC for its kind (as Janus core does). */
    void sendRtp(byte[] buf, int len, boolean video) {
        if (!up) {
            core.counters.mediaDroppedNoPeerConnection.increment();
            return;
        }
        RtpHeader.setSsrc(buf, 0, video ? videoSsrc : audioSsrc);
        pc.sendRtp(buf, 0, len);
    }

    /** Asks the peer (a publisher) for a keyframe of its video: PLI, or FIR with its own sequence number. */
    void requestKeyframe(boolean fir) {
        if (!up || peerVideoSsrc == 0) {
            core.counters.mediaDroppedNoPeerConnection.increment();
            return;
        }
        int n = fir ? RtcpFeedback.writeFir(rtcpScratch, 0, videoSsrc, peerVideoSsrc, firSequence++)
                : RtcpFeedback.writePli(rtcpScratch, 0, videoSsrc, peerVideoSsrc);
        pc.sendRtcp(rtcpScratch, 0, n);
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
        stop();
        if (pc != null) {
            pc.close();
            pc = null;
        }
    }

    private void stop() {
        up = false;
        receivingAudio = false;
        receivingVideo = false;
        if (mediaTimer >= 0) {
            core.vertx().cancelTimer(mediaTimer);
            core.counters.mediaTimers.decrement();
            mediaTimer = -1;
        }
        LOG.finer(() -> "media stopped " + handle);
    }

    /** Tailroom a relayed copy needs for SRTP (see {@link SrtpTransformer#MIN_TAILROOM}). */
    static int copyCapacity(int len) {
        return len + SrtpTransformer.MIN_TAILROOM;
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
