package org.janussfu.webrtc.dtls;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.janussfu.webrtc.srtp.SrtpKeys;
import org.janussfu.webrtc.srtp.SrtpProfile;

/**
 * What the Bouncy Castle peer objects ({@link DtlsServerPeer}, {@link DtlsClientPeer}) learn during and after a
 * handshake, for {@link DtlsTransport} to read: the negotiated SRTP profile, exported keys and
 * cipher suite, why we rejected the peer (if we did), and the alerts the peer sent (RFC 5246 §7.2). Written on
 * whichever thread Bouncy Castle runs (the DTLS worker), read by the transport on its worker and on the owner's
 * thread; hence volatile fields, no locks. One instance per {@link DtlsTransport}.
 */
final class DtlsPeerState {
    volatile SrtpProfile profile;
    /** Set in notifyHandshakeComplete, the only moment Bouncy Castle allows the RFC 5764 §4.2 export. */
    volatile SrtpKeys keys;
    volatile String cipherSuite;
    /** Whether the extended master secret (RFC 7627) was negotiated. */
    volatile boolean extendedMasterSecret;
    /** Our own reason for aborting the handshake (fingerprint mismatch, no SRTP profile in common, ...). */
    volatile String localFailure;
    volatile boolean closeNotifyReceived;
    /** Description of a fatal alert received from the peer, or -1. */
    volatile short fatalAlertReceived = -1;

    void alertReceived(short level, short description) {
        if (level == AlertLevel.fatal) {
            fatalAlertReceived = description;
        } else if (description == AlertDescription.close_notify) {
            closeNotifyReceived = true;
        }
    }

    /** Records the first local failure reason only. */
    void failLocally(String reason) {
        if (localFailure == null) {
            localFailure = reason;
        }
    }

    /** Human-readable name of the received fatal alert, e.g. {@code bad_certificate}. */
    String fatalAlertName() {
        return AlertDescription.getName(fatalAlertReceived);
    }
}
