package org.janussfu.sdp;

/**
 * Media direction attributes (RFC 8866 §6.7.1–6.7.4) and the offer/answer rule of RFC 3264 §6.1 for an answerer
 * that never sends on the m-line (the SFU's publisher leg). Immutable; any thread.
 */
public enum Direction {
    SENDRECV("sendrecv"), SENDONLY("sendonly"), RECVONLY("recvonly"), INACTIVE("inactive");

    private final String token;

    Direction(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    /** The direction for this attribute name, or null if it is not one. */
    public static Direction of(String attributeName) {
        for (Direction d : values()) {
            if (d.token.equalsIgnoreCase(attributeName)) {
                return d;
            }
        }
        return null;
    }

    /**
     * The answer direction for a receive-only answerer: an offer that sends (sendrecv, sendonly) is answered
     * recvonly; an offer that does not send (recvonly, inactive) is answered inactive (RFC 3264 §6.1).
     */
    public Direction answerAsReceiver() {
        return (this == SENDRECV || this == SENDONLY) ? RECVONLY : INACTIVE;
    }
}
