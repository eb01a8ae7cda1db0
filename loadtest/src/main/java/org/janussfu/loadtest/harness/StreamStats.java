package org.janussfu.loadtest.harness;

import java.util.BitSet;

/**
 * What one receiver saw of one (sender, kind) stream inside the measurement window: unique packets, duplicates,
 * reordered arrivals (a sequence number below the highest seen), the lowest and highest sequence numbers, and the
 * RFC 3550 §6.4.1 interarrival jitter (J += (|D| − J)/16, where D is the change in one-way transit; sender and
 * receiver share a clock, so transit is measured directly). Thread: the receiving participant's context only.
 */
final class StreamStats {
    final int sender;
    final int kind;
    long unique;
    long duplicates;
    long reordered;
    long lowest = Long.MAX_VALUE;
    long highest = -1;
    private long lastTransit = -1;
    double jitterNanos;
    private final BitSet seen = new BitSet();

    StreamStats(int sender, int kind) {
        this.sender = sender;
        this.kind = kind;
    }

    /** Records one measured arrival; returns false for a duplicate. */
    boolean arrive(long seq, long transitNanos) {
        int idx = (int) Math.min(Integer.MAX_VALUE - 1, seq);
        if (seen.get(idx)) {
            duplicates++;
            return false;
        }
        seen.set(idx);
        unique++;
        if (seq < highest) {
            reordered++;
        }
        highest = Math.max(highest, seq);
        lowest = Math.min(lowest, seq);
        if (lastTransit >= 0) {
            jitterNanos += (Math.abs(transitNanos - lastTransit) - jitterNanos) / 16.0;
        }
        lastTransit = transitNanos;
        return true;
    }

    /** Packets missing between the lowest and highest measured sequence numbers seen. */
    long gapLoss() {
        return highest < 0 ? 0 : Math.max(0, highest - lowest + 1 - unique);
    }
}
