package org.janussfu.webrtc.dtls;

/**
 * Which side of the DTLS handshake this endpoint plays (RFC 6347). The owner of the peer connection derives it
 * from the SDP {@code a=setup} attributes (RFC 8842 §5, RFC 4145): the endpoint whose setup is {@code active}
 * is the DTLS client, {@code passive} is the DTLS server; an answerer replying to {@code actpass} chooses.
 * Browsers usually answer {@code active}, so the SFU as offerer of {@code actpass} typically ends up SERVER.
 * The role also decides which half of the RFC 5764 §4.2 keying material is ours. Immutable; any thread.
 */
public enum DtlsRole {
    /** Sends the ClientHello; local SRTP keys are the client_write_* half of the export. */
    CLIENT,
    /** Answers the ClientHello; local SRTP keys are the server_write_* half of the export. */
    SERVER;

    /**
     * Our role from our own final {@code a=setup} value (RFC 8842 §5): {@code active} → CLIENT,
     * {@code passive} → SERVER. {@code actpass} is not a final value and is refused.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static DtlsRole fromLocalSetup(String setup) {
        if ("active".equalsIgnoreCase(setup)) {
            return CLIENT;
        }
        if ("passive".equalsIgnoreCase(setup)) {
            return SERVER;
        }
        throw new IllegalArgumentException("not a final a=setup value: " + setup);
    }
}
