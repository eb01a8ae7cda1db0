package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.media.LegServices;
import org.janussfu.media.MediaLeg;
import org.janussfu.rtp.Packet;
import org.janussfu.sdp.SessionDescription;
import org.janussfu.sdp.SetupRole;
import org.janussfu.webrtc.PeerConnection;
import org.janussfu.webrtc.srtp.SrtpProfile;

import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * The media side of one Janus handle: its {@link PeerConnection}, the identity it uses in the SDPs the core writes
 * (session id and version, its own sending SSRCs), the Janus media events ({@code webrtcup}, {@code media},
 * {@code slowlink}, {@code hangup}) and the connection's lifecycle; the packets themselves are its {@link MediaLeg}'s
 * (streams, NACK ring, RTCP, keyframe throttle, forwarding), to which the connection's packet callbacks are passed
 * on. Owned by its {@link Handle}; two owners (decision 0013): the handle's session context owns the connection's
 * lifecycle and the SDP-facing fields, and tells the leg which connection it has; the connection's <em>media
 * context</em> (the engine's media loop for server connections) runs {@link #onMediaReady}, {@link #onRtp},
 * {@link #onRtcp} and the leg's {@link MediaLeg.Listener} callbacks. Events found on the media side hop to the
 * session. Per packet it only delegates (no allocation, lock, log or exception); {@link #stats} reads media
 * counters from the session (racy, for tests and metrics only).
 */
final class HandleMedia implements PeerConnection.Listener, MediaLeg.Listener {
    private static final Logger LOG = Logger.getLogger(HandleMedia.class.getName());

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
    /** Session context writes it (through {@link #setPc}); other threads read it. */
    volatile PeerConnection pc;
    private volatile boolean up;
    /** The packet pipeline of this handle (see {@link MediaLeg}: its own threading). */
    final MediaLeg leg;

    HandleMedia(JanusCore core, Handle handle) {
        this.core = core;
        this.handle = handle;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        this.audioSsrc = r.nextLong(1, 1L << 32);
        this.videoSsrc = r.nextLong(1, 1L << 32);
        this.rtxSsrc = r.nextLong(1, 1L << 32);
        this.sdpSessionId = r.nextLong(1, Long.MAX_VALUE);
        LegServices services = new LegServices(core.counters, core.mediaSettings(), core.media().pool(),
                core.vertx(), core.slowlinkThreshold());
        this.leg = new MediaLeg(services, this, audioSsrc, videoSsrc, rtxSsrc);
    }

    /** Session context: the connection, here and in the leg (which relays to it). */
    private void setPc(PeerConnection c) {
        pc = c;
        leg.connect(c);
    }

    /** The connection, created on first use (an offer from the peer or one we send). */
    PeerConnection peerConnection() {
        if (pc == null || pc.isClosed()) {
            setPc(core.media().create(handle.session.context, this));
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
        leg.learnPayloadTypes(sd);
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
        leg.attach(c);
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
        leg.onRtp(buf, off, len);
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
        leg.onRtcp(buf, off, len);
    }

    // ---- MediaLeg.Listener: media context ----------------------------------------------------------------------

    @Override
    public void incomingRtp(Packet packet) {
        handle.plugin.incomingRtp(handle, packet);
    }

    @Override
    public void incomingRtcp(Packet packet) {
        handle.plugin.incomingRtcp(handle, packet);
    }

    /** A {@code media} event, written on the session (rare: on changes only). */
    @Override
    public void mediaEvent(String type, boolean receiving) {
        ObjectNode ev = Replies.handleEvent("media", handle.session.id, handle.id);
        ev.put("type", type);
        ev.put("receiving", receiving);
        int seconds = core.mediaSettings().noMediaSeconds();
        if (!receiving && seconds > 1) {
            ev.put("seconds", seconds); // as Janus: only for timers longer than a second
        }
        handle.session.run(() -> core.sendEvent(handle.session, ev));
    }

    /** Janus' {@code slowlink} for the publisher's uplink (the leg checked the threshold), written on the session. */
    @Override
    public void slowlink(String media, long lost) {
        ObjectNode ev = Replies.handleEvent("slowlink", handle.session.id, handle.id);
        ev.put("media", media);
        ev.put("uplink", true);
        ev.put("lost", lost);
        handle.session.run(() -> core.sendEvent(handle.session, ev));
    }

    // ---- relaying (any thread), delegated to the leg -----------------------------------------------------------

    /** A relayed packet for this handle: see {@link MediaLeg#relay}. */
    void relay(Packet packet) {
        leg.relay(packet);
    }

    /** Asks the peer (a publisher) for a keyframe, rate-limited: see {@link MediaLeg#requestKeyframe}. */
    void requestKeyframe(boolean fir) {
        leg.requestKeyframe(fir);
    }

    /** The {@code hangup} request: closes the connection if there is one (with its event); the handle stays. */
    void hangup(String reason) {
        if (pc != null && !pc.isClosed()) {
            pc.close();
            onClosed(reason);
        }
        setPc(null);
    }

    /** The handle is going away: close silently. */
    void close() {
        handle.stopCapture("detached");
        stop(true);
        if (pc != null) {
            pc.close();
            setPc(null);
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
            leg.detach(clearRing);
        } else {
            c.mediaContext().runOnContext(v -> leg.detach(clearRing));
        }
        LOG.finer(() -> "media stopped " + handle);
    }

    /** Relayed packets waiting in this handle's forward queue now (approximate; any thread, for a gauge). */
    int forwardQueueDepth() {
        return leg.forwardQueueDepth();
    }

    /** Per-stream counters of this handle (session context), for tests and metrics. */
    ObjectNode stats() {
        ObjectNode o = Replies.JSON.objectNode();
        o.put("up", up);
        leg.stats(o);
        return o;
    }
}
