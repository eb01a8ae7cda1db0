package org.janussfu.rtp;

/**
 * Reception statistics of one incoming RTP stream (one SSRC), as RFC 3550 §6.4.1 and Appendix A.1/A.3/A.8 define
 * them for receiver reports: extended highest sequence number, packets expected and received, cumulative and
 * per-interval loss, and interarrival jitter. Also counts packets lost in the current one-second window for Janus'
 * {@code slowlink} event. Single owner (the connection's context); allocation-free.
 */
public final class InboundStream {
    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;
    private static final int SEQ_MOD = 1 << 16;

    private long ssrc;
    private boolean started;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long lostInWindow;
    private double jitter;
    private long lastTransit;
    private boolean haveTransit;
    private final int clockRate;

    public InboundStream(int clockRate) {
        this.clockRate = clockRate;
    }

    /** Records one packet (RFC 3550 A.1 sequence validation, simplified: no probation) at local time {@code nowNanos}. */
    public void onPacket(long packetSsrc, int seq, long rtpTimestamp, long nowNanos) {
        if (!started || packetSsrc != ssrc) {
            ssrc = packetSsrc;
            started = true;
            maxSeq = seq;
            baseSeq = seq;
            cycles = 0;
            received = 1;
            expectedPrior = 0;
            receivedPrior = 0;
            haveTransit = false;
            updateJitter(rtpTimestamp, nowNanos);
            return;
        }
        int delta = (seq - maxSeq) & 0xffff;
        if (delta == 0) {
            return; // duplicate
        }
        if (delta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += SEQ_MOD;
            }
            lostInWindow += delta - 1;
            maxSeq = seq;
        } else if (delta <= SEQ_MOD - MAX_MISORDER) {
            // A very large jump: treat as a restart of the sequence (RFC 3550 A.1 would wait for confirmation).
            maxSeq = seq;
            baseSeq = seq;
            cycles = 0;
            received = 0;
            expectedPrior = 0;
            receivedPrior = 0;
        } else {
            // late or reordered: a packet counted as lost arrived after all
            if (lostInWindow > 0) {
                lostInWindow--;
            }
        }
        received++;
        updateJitter(rtpTimestamp, nowNanos);
    }

    /** RFC 3550 A.8: J += (|D| - J) / 16, in timestamp units. */
    private void updateJitter(long rtpTimestamp, long nowNanos) {
        long arrival = nowNanos / 1000 * clockRate / 1_000_000;
        long transit = arrival - rtpTimestamp;
        if (haveTransit) {
            long d = Math.abs(transit - lastTransit);
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        haveTransit = true;
    }

    public long ssrc() {
        return ssrc;
    }

    public boolean started() {
        return started;
    }

    public long extendedHighestSequence() {
        return cycles + maxSeq;
    }

    public long expected() {
        return extendedHighestSequence() - baseSeq + 1;
    }

    public long received() {
        return received;
    }

    /** Cumulative packets lost (RFC 3550 A.3), clamped to the 24-bit signed range of a report block. */
    public long cumulativeLost() {
        long lost = expected() - received;
        return Math.max(-0x800000, Math.min(0x7fffff, lost));
    }

    /** The loss fraction since the previous call (RFC 3550 A.3), as the 8-bit fixed-point value of a report block. */
    public int fractionLostSinceLastReport() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) ((lostInterval << 8) / expectedInterval);
    }

    /** Interarrival jitter in timestamp units. */
    public long jitter() {
        return (long) jitter;
    }

    /** Packets lost since the last call (the slowlink window), and starts a new window. */
    public long takeLostInWindow() {
        long n = lostInWindow;
        lostInWindow = 0;
        return n;
    }
}
