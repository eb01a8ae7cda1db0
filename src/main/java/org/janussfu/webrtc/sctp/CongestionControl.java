package org.janussfu.webrtc.sctp;

/**
 * Congestion window of the single WebRTC path (RFC 9260 §7.2): slow start and congestion avoidance with
 * partial_bytes_acked (§7.2.1, §7.2.2), halving on fast retransmit with one reduction per fast-recovery episode
 * (§7.2.3, §7.2.4), collapse to one MTU on a T3-rtx expiry (§7.2.3). Sizes count user-data bytes. Owned by the
 * association's {@link DataSender}; its context only.
 */
final class CongestionControl {

    private final int mtu;
    private long cwnd;
    private long ssthresh;
    private long partialBytesAcked;
    private boolean fastRecovery;
    private long fastRecoveryExit;

    CongestionControl(int mtu, long peerRwnd) {
        this.mtu = mtu;
        // §7.2.1: initial cwnd = min(4*MTU, max(2*MTU, 4380)); initial ssthresh may be arbitrarily high: use a_rwnd.
        this.cwnd = Math.min(4L * mtu, Math.max(2L * mtu, 4380));
        this.ssthresh = Math.max(peerRwnd, 4L * mtu);
    }

    long cwnd() {
        return cwnd;
    }

    /**
     * A SACK acknowledged {@code bytesAcked} new bytes; {@code flightBefore} is the flight size before it and
     * {@code cumAck} its (unwrapped) cumulative TSN ack.
     */
    void onAck(long bytesAcked, long flightBefore, boolean cumAdvanced, long cumAck, long flightAfter) {
        if (fastRecovery && cumAck >= fastRecoveryExit) {
            fastRecovery = false;
        }
        if (bytesAcked <= 0) {
            return;
        }
        boolean fullyUsed = flightBefore + mtu >= cwnd;
        if (cwnd <= ssthresh) {
            // §7.2.1: grow by at most one MTU per SACK, only when the cum ack advanced, the window was in use and we
            // are not in fast recovery.
            if (cumAdvanced && fullyUsed && !fastRecovery) {
                cwnd += Math.min(bytesAcked, mtu);
            }
        } else {
            // §7.2.2: one MTU per window of acknowledged bytes.
            partialBytesAcked += bytesAcked;
            if (partialBytesAcked >= cwnd && fullyUsed) {
                partialBytesAcked -= cwnd;
                cwnd += mtu;
            }
        }
        if (flightAfter == 0) {
            partialBytesAcked = 0;
        }
    }

    /** §7.2.4 rule 1: enter fast recovery unless already in it; {@code highestOutstanding} is the exit point. */
    void onFastRetransmit(long highestOutstanding) {
        if (!fastRecovery) {
            ssthresh = Math.max(cwnd / 2, 4L * mtu);
            cwnd = ssthresh;
            partialBytesAcked = 0;
            fastRecovery = true;
            fastRecoveryExit = highestOutstanding;
        }
    }

    /** §7.2.3 on T3-rtx expiry. */
    void onTimeout() {
        ssthresh = Math.max(cwnd / 2, 4L * mtu);
        cwnd = mtu;
        partialBytesAcked = 0;
        fastRecovery = false;
    }
}
