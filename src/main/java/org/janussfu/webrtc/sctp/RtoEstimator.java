package org.janussfu.webrtc.sctp;

/**
 * Retransmission timeout per RFC 9260 §6.3.1: SRTT and RTTVAR from RTT samples (α = 1/8, β = 1/4), RTO = SRTT +
 * 4·RTTVAR clamped to [RTO.min, RTO.max], doubled on each expiry (§6.3.3 E2). Samples come only from chunks sent
 * once (Karn's rule, §6.3.1 C5) and from HEARTBEAT-ACKs; the caller enforces that. Owned by one association; its
 * context only.
 */
final class RtoEstimator {

    private final long min;
    private final long max;
    private long rto;
    private double srtt = -1;
    private double rttvar;

    RtoEstimator(long initial, long min, long max) {
        this.rto = initial;
        this.min = min;
        this.max = max;
    }

    long rto() {
        return rto;
    }

    void sample(long rttMillis) {
        double r = Math.max(0, rttMillis);
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - r);
            srtt = 0.875 * srtt + 0.125 * r;
        }
        // Clock granularity G is 1 ms here (§6.3.1 C3: max(G, 4*RTTVAR)).
        long next = (long) Math.ceil(srtt + Math.max(1, 4 * rttvar));
        rto = Math.min(max, Math.max(min, next));
    }

    /** §6.3.3 E2: RTO = RTO * 2, capped at RTO.max. */
    void backoff() {
        rto = Math.min(max, rto * 2);
    }
}
