package org.janussfu.webrtc;

import org.janussfu.webrtc.dtls.DtlsRole;
import org.janussfu.webrtc.ice.IceTransport;
import org.janussfu.webrtc.srtp.SrtpProfile;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link PeerConnection} remembers about its own establishment for the Admin API's {@code handle_info}
 * (Janus 1.1.2's {@code webrtc.ice} and {@code webrtc.dtls} blocks): when ICE started and connected and on which
 * pair, the peer's candidates as given (bounded), when the DTLS handshake started and finished, how it ended, the
 * negotiated SRTP profile and cipher suite. Written by the connection on its owner context (the handle's session
 * context), where {@code handle_info} reads it too; plain fields, no locks. Times are {@code System.nanoTime()}
 * microseconds, as Janus' monotonic times.
 */
public final class ConnectionDetails {
    /** Remote candidates remembered at most (the core bounds what a client may trickle anyway). */
    static final int MAX_REMOTE_CANDIDATES = 64;

    private final IceTransport ice;
    private final SrtpLeg media;
    private final java.util.concurrent.atomic.LongAdder unknownDropped;
    long iceStartedMicros;
    long iceConnectedMicros;
    String selectedPair;
    boolean iceFailed;
    final List<String> remoteCandidates = new ArrayList<>();
    long dtlsStartedMicros;
    long dtlsConnectedMicros;
    boolean dtlsFailed;
    SrtpProfile profile;
    String cipherSuite;
    String closeReason;
    DtlsRole dtlsRole;
    org.janussfu.sdp.Fingerprint remoteFingerprint;
    long dataIn;
    long dataInBytes;
    long dataOut;
    long dataOutBytes;

    ConnectionDetails(IceTransport ice, SrtpLeg media, java.util.concurrent.atomic.LongAdder unknownDropped) {
        this.ice = ice;
        this.media = media;
        this.unknownDropped = unknownDropped;
    }

    static long nowMicros() {
        return System.nanoTime() / 1000;
    }

    void remoteCandidate(String c) {
        if (remoteCandidates.size() < MAX_REMOTE_CANDIDATES) {
            remoteCandidates.add(c);
        }
    }

    /** Monotonic µs when ICE checks started, 0 before. */
    public long iceStartedMicros() {
        return iceStartedMicros;
    }

    /** Monotonic µs when a pair was selected (the latest, after a restart), 0 before. */
    public long iceConnectedMicros() {
        return iceConnectedMicros;
    }

    /** The selected pair as {@code local (type) <-> remote (type)}, or null before ICE connected. */
    public String selectedPair() {
        return selectedPair;
    }

    public boolean iceFailed() {
        return iceFailed;
    }

    /** The peer's candidates (SDP and trickled) in arrival order, at most {@value #MAX_REMOTE_CANDIDATES}. */
    public List<String> remoteCandidates() {
        return List.copyOf(remoteCandidates);
    }

    public long dtlsStartedMicros() {
        return dtlsStartedMicros;
    }

    public long dtlsConnectedMicros() {
        return dtlsConnectedMicros;
    }

    /** Whether the handshake failed (timeout, alert, bad fingerprint), or the association ended with an alert. */
    public boolean dtlsFailed() {
        return dtlsFailed;
    }

    /** The negotiated SRTP protection profile (RFC 5764 §4.1.2), or null before DTLS is up. */
    public SrtpProfile profile() {
        return profile;
    }

    /** The DTLS cipher suite name, or null before DTLS is up. */
    public String cipherSuite() {
        return cipherSuite;
    }

    /** Why the connection closed ({@code ICE failed}, {@code DTLS alert}, ...), or null while it is open. */
    public String closeReason() {
        return closeReason;
    }

    /** Our candidates as written in our SDP (RFC 8839 §5.1). */
    public List<String> localCandidates() {
        return ice.localCandidates();
    }

    /** Whether our ICE agent is controlling (RFC 8445 §6.1.1: we sent the offer). */
    public boolean iceControlling() {
        return ice.isControlling();
    }

    /** Our final DTLS role (RFC 8842 §5), or null before the peer's description fixed it. */
    public DtlsRole dtlsRole() {
        return dtlsRole;
    }

    /** The peer's certificate fingerprint from its SDP ({@code a=fingerprint}, RFC 8122 §5), or null. */
    public org.janussfu.sdp.Fingerprint remoteFingerprint() {
        return remoteFingerprint;
    }

    /** SRTP/SRTCP packets dropped: failed authentication or replay (RFC 3711 §3.3), or before the keys. */
    public long srtpDropped() {
        return media.srtpDropped.sum() + media.notUpDropped.sum() + media.copyFailed.sum();
    }

    /** Datagrams that were neither DTLS nor SRTP (RFC 7983 §7), dropped. */
    public long unknownDropped() {
        return unknownDropped.sum();
    }

    /** RTP and RTCP packets decrypted and sent on this connection (all media). */
    public long rtpIn() {
        return media.rtpIn.sum();
    }

    public long rtpOut() {
        return media.rtpOut.sum();
    }

    public long rtcpIn() {
        return media.rtcpIn.sum();
    }

    public long rtcpOut() {
        return media.rtcpOut.sum();
    }

    /** Data-channel messages and bytes received and sent (the data m-line's stats). */
    public long dataIn() {
        return dataIn;
    }

    public long dataInBytes() {
        return dataInBytes;
    }

    public long dataOut() {
        return dataOut;
    }

    public long dataOutBytes() {
        return dataOutBytes;
    }
}
