package org.janussfu.sdp;

/**
 * The {@code a=setup} roles (RFC 4145 §4, applied to DTLS by RFC 8842 §5): who starts the DTLS handshake. An
 * offerer must say {@code actpass}; an answerer picks {@code active} or {@code passive}. Immutable; any thread.
 */
public enum SetupRole {
    ACTIVE("active"), PASSIVE("passive"), ACTPASS("actpass"), HOLDCONN("holdconn");

    private final String token;

    SetupRole(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    public static SetupRole parse(String value) throws SdpException {
        if (value != null) {
            String v = value.strip();
            for (SetupRole r : values()) {
                if (r.token.equalsIgnoreCase(v)) {
                    return r;
                }
            }
        }
        throw new SdpException("bad a=setup value: '" + SdpTokens.shorten(value) + "'");
    }
}
