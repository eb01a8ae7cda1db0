package org.janussfu.webrtc.datachannel;

/**
 * The channel type byte of a DATA_CHANNEL_OPEN message (RFC 8832 §5.1): ordered or unordered delivery combined with
 * full reliability, partial reliability by a retransmission limit, or partial reliability by a lifetime (RFC 8831
 * §6.1, realised through RFC 3758 PR-SCTP). The high bit 0x80 means unordered. Immutable; any thread.
 */
public enum DcepChannelType {
    RELIABLE(0x00),
    RELIABLE_UNORDERED(0x80),
    PARTIAL_RELIABLE_REXMIT(0x01),
    PARTIAL_RELIABLE_REXMIT_UNORDERED(0x81),
    PARTIAL_RELIABLE_TIMED(0x02),
    PARTIAL_RELIABLE_TIMED_UNORDERED(0x82);

    private static final int UNORDERED_BIT = 0x80;

    private final int code;

    DcepChannelType(int code) {
        this.code = code;
    }

    /** The byte on the wire. */
    public int code() {
        return code;
    }

    public boolean unordered() {
        return (code & UNORDERED_BIT) != 0;
    }

    /** The reliability parameter is a number of retransmissions. */
    public boolean limitsRetransmits() {
        return (code & 0x7f) == 0x01;
    }

    /** The reliability parameter is a lifetime in milliseconds. */
    public boolean limitsLifetime() {
        return (code & 0x7f) == 0x02;
    }

    /** The type for a wire byte, or null when the byte is not one RFC 8832 §5.1 defines. */
    public static DcepChannelType fromCode(int code) {
        for (DcepChannelType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /**
     * The type for a channel's settings; {@code maxRetransmits} and {@code maxLifetimeMillis} are -1 when unset, and
     * at most one of them may be set (RFC 8831 §6.1).
     */
    public static DcepChannelType of(boolean ordered, int maxRetransmits, int maxLifetimeMillis) {
        if (maxRetransmits >= 0 && maxLifetimeMillis >= 0) {
            throw new IllegalArgumentException("maxRetransmits and maxLifetime are mutually exclusive");
        }
        if (maxRetransmits >= 0) {
            return ordered ? PARTIAL_RELIABLE_REXMIT : PARTIAL_RELIABLE_REXMIT_UNORDERED;
        }
        if (maxLifetimeMillis >= 0) {
            return ordered ? PARTIAL_RELIABLE_TIMED : PARTIAL_RELIABLE_TIMED_UNORDERED;
        }
        return ordered ? RELIABLE : RELIABLE_UNORDERED;
    }
}
