package org.janussfu.webrtc.srtp;

/**
 * The sender's packet index for one SSRC (RFC 3711 §3.3.1): the 48-bit index {@code i = 2^16 * ROC + SEQ} is
 * estimated from the 16-bit sequence number against the highest index sent so far, as RFC 3711 Appendix A
 * describes for the receiver, so a packet sent late (reordered forwarding, or a retransmission protected again)
 * gets the ROC of its own sequence cycle rather than the current one. It also keeps a 64-packet window of the
 * indices already used (RFC 3711 §3.3.2, applied at the sender as libsrtp and jitsi-srtp do): with AES-GCM an index
 * used twice means an IV used twice (RFC 7714 §8.1), which for different plaintexts gives away the GHASH key, so a
 * repeated or too-old index is refused instead of protected. Outcomes match jitsi-srtp's sending context
 * ({@code SrtpCryptoContext.guessIndex / checkReplay / update}) packet for packet.
 *
 * <p>Use: {@link #estimate} then, only when the packet was really protected, {@link #commit}. One instance per
 * outbound SSRC, created on the stream's first packet and owned by {@link SrtpGcmProtector}; single thread, no
 * allocation.
 */
final class SrtpSendIndex {
    /** {@link #estimate} result: the index is older than the window or lies before the stream's first packet. */
    static final long TOO_OLD = -1;
    /** {@link #estimate} result: this index was already used. */
    static final long REPEATED = -2;
    /** {@link #estimate} result: the 48-bit index space is exhausted (RFC 3711 §3.3.1: re-key before 2^48). */
    static final long EXHAUSTED = -3;

    /** Indices remembered below the highest one (RFC 3711 §3.3.2 suggests at least 64). */
    static final int WINDOW = 64;

    private static final long MAX_INDEX = (1L << 48) - 1;

    private boolean started;
    /** The highest index sent: ROC in bits 16..47, s_l in bits 0..15. */
    private long highest;
    /** Bit k set: index {@code highest - k} was sent. */
    private long window;

    /**
     * The index for a packet with this sequence number, or one of the negative results. Pure: nothing changes
     * until {@link #commit}.
     */
    long estimate(int seq) {
        seq &= 0xffff;
        if (!started) {
            return seq; // the first packet sets s_l and keeps ROC = 0 (RFC 3711 §3.3.1)
        }
        long roc = highest >>> 16;
        int sl = (int) (highest & 0xffff);
        long v;
        // RFC 3711 Appendix A: the ROC guess v for SEQ given s_l.
        if (sl < 32768) {
            v = seq - sl > 32768 ? roc - 1 : roc;
        } else {
            v = sl - 32768 > seq ? roc + 1 : roc;
        }
        if (v < 0) {
            return TOO_OLD;
        }
        long index = v << 16 | seq;
        if (index > MAX_INDEX) {
            return EXHAUSTED;
        }
        long behind = highest - index;
        if (behind < 0) {
            return index;
        }
        if (behind >= WINDOW) {
            return TOO_OLD;
        }
        return (window >>> behind & 1) != 0 ? REPEATED : index;
    }

    /** Records that {@code index} (from {@link #estimate}) was used. */
    void commit(long index) {
        if (!started) {
            started = true;
            highest = index;
            window = 1;
            return;
        }
        long ahead = index - highest;
        if (ahead > 0) {
            window = ahead >= WINDOW ? 1 : window << ahead | 1;
            highest = index;
        } else {
            window |= 1L << -ahead;
        }
    }

    /** The current rollover counter (the ROC of the highest index sent). */
    int roc() {
        return (int) (highest >>> 16);
    }
}
