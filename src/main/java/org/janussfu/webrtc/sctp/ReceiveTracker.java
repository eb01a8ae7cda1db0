package org.janussfu.webrtc.sctp;

import java.util.Iterator;
import java.util.TreeSet;

/**
 * TSN bookkeeping of the receiving side (RFC 9260 §6.2): the cumulative TSN ack point, the TSNs received above it
 * (reported as gap ack blocks), and the duplicates to report in the next SACK. TSNs are unwrapped to 64 bits
 * around the cumulative point; only TSNs within {@link #MAX_AHEAD} of it are tracked, because gap offsets are
 * 16-bit. FORWARD-TSN moves the point forward (RFC 3758 §3.6). Owned by the association's {@link DataReceiver};
 * its context only.
 */
final class ReceiveTracker {

    /** Farthest TSN above the cumulative ack point that can be reported in a gap block. */
    static final int MAX_AHEAD = 65535;
    private static final int MAX_GAP_BLOCKS = 64;
    private static final int MAX_DUPLICATES = 32;

    private long cumAck;
    private final TreeSet<Long> above = new TreeSet<>();
    private final int[] duplicates = new int[MAX_DUPLICATES];
    private int duplicateCount;

    ReceiveTracker(int peerInitialTsn) {
        this.cumAck = (peerInitialTsn & 0xFFFFFFFFL) - 1;
    }

    long cumAck() {
        return cumAck;
    }

    long unwrap(int tsn) {
        return WireBytes.unwrapTsn(cumAck, tsn);
    }

    boolean isDuplicate(long tsn) {
        return tsn <= cumAck || above.contains(tsn);
    }

    boolean inWindow(long tsn) {
        return tsn - cumAck <= MAX_AHEAD;
    }

    boolean hasGaps() {
        return !above.isEmpty();
    }

    void recordDuplicate(int tsn) {
        if (duplicateCount < MAX_DUPLICATES) {
            duplicates[duplicateCount++] = tsn;
        }
    }

    /** Marks a new TSN received; returns true when the cumulative ack point advanced. */
    boolean mark(long tsn) {
        if (tsn == cumAck + 1) {
            cumAck = tsn;
            advance();
            return true;
        }
        above.add(tsn);
        return false;
    }

    private void advance() {
        while (!above.isEmpty() && above.first() == cumAck + 1) {
            cumAck = above.pollFirst();
        }
    }

    /** RFC 3758 §3.6: treat every TSN up to {@code newCum} as received. Returns false if it is not ahead. */
    boolean forwardTo(long newCum) {
        if (newCum <= cumAck) {
            return false;
        }
        cumAck = newCum;
        above.headSet(newCum, true).clear();
        advance();
        return true;
    }

    /** Builds the SACK for the current state (§3.3.4) and forgets the reported duplicates. */
    SackChunk sack(long aRwnd) {
        int blocks = 0;
        int[] starts = new int[Math.min(MAX_GAP_BLOCKS, above.size())];
        int[] ends = new int[starts.length];
        long runStart = -1;
        long runEnd = -1;
        Iterator<Long> it = above.iterator();
        while (it.hasNext() && blocks < starts.length) {
            long t = it.next();
            if (runStart >= 0 && t == runEnd + 1) {
                runEnd = t;
                continue;
            }
            if (runStart >= 0) {
                starts[blocks] = (int) (runStart - cumAck);
                ends[blocks++] = (int) (runEnd - cumAck);
            }
            runStart = t;
            runEnd = t;
        }
        if (runStart >= 0 && blocks < starts.length) {
            starts[blocks] = (int) (runStart - cumAck);
            ends[blocks++] = (int) (runEnd - cumAck);
        }
        int[] dups = new int[duplicateCount];
        System.arraycopy(duplicates, 0, dups, 0, duplicateCount);
        duplicateCount = 0;
        if (blocks < starts.length) {
            int[] s = new int[blocks];
            int[] e = new int[blocks];
            System.arraycopy(starts, 0, s, 0, blocks);
            System.arraycopy(ends, 0, e, 0, blocks);
            starts = s;
            ends = e;
        }
        return new SackChunk((int) cumAck, Math.max(0, Math.min(aRwnd, 0xFFFFFFFFL)), starts, ends, dups);
    }
}
