package org.janussfu.rtp;

/**
 * The receiver side of Generic NACK (RFC 4585 §6.2.1) for one incoming RTP stream: it follows the sequence numbers
 * it is shown (extended across wrap as in RFC 3550 §A.1), remembers which of the last {@link #WINDOW} are missing,
 * and hands out, via {@link #poll}, the ones due for a request — first after {@link #REORDER_WAIT_NANOS} (a packet
 * merely reordered is not asked for), then again every {@link #spacingNanos} (a retransmission timeout from the
 * RTT measured from answers to single requests — Karn's rule — as RFC 6298 computes one, or 1.5 ×
 * {@link #DEFAULT_RTT_NANOS} before the first) — until it arrives (as the original or as
 * an RFC 4588 retransmission, {@link #onRetransmission}), or is given up after {@link #MAX_RETRIES} requests,
 * {@link #MAX_AGE_NANOS}, or when it leaves the window. At most {@link #MAX_OUTSTANDING} are missing at a time: the
 * oldest are given up beyond that, and a jump with more missing than that is a resync (no NACK storm); both ask for
 * a keyframe ({@link #takeKeyframeWanted}), as mediasoup's NackGenerator does. Packets already received are reported
 * as {@link #DUPLICATE}. Single owner (the publisher leg's media context); fixed arrays, allocated at the first
 * packet (a subscriber's leg never receives one: 9 KB a leg saved), no allocation after; the caller passes the clock
 * ({@code System.nanoTime()}), which makes it testable.
 */
public final class NackGenerator {
    /** Sequence numbers remembered behind the highest one (a power of two). */
    public static final int WINDOW = 512;
    public static final int MAX_OUTSTANDING = 256;
    public static final int MAX_RETRIES = 10;
    public static final long MAX_AGE_NANOS = 1_000_000_000L;
    public static final long REORDER_WAIT_NANOS = 10_000_000L;
    public static final long MIN_SPACING_NANOS = 20_000_000L;
    public static final long DEFAULT_RTT_NANOS = 50_000_000L;
    /** RTT samples above this are ignored (an answer that late is not an answer to our request). */
    static final long MAX_RTT_SAMPLE_NANOS = 1_000_000_000L;
    /** Verdicts of {@link #onPacket}. */
    public static final int FORWARD = 0;
    public static final int DUPLICATE = 1;

    private static final int MASK = WINDOW - 1;
    private static final byte EMPTY = 0;
    private static final byte MISSING = 1;
    private static final byte RECEIVED = 2;
    private static final byte GAVE_UP = 3;

    /** The window, per slot; null until the first packet ({@link #start}), read only once {@link #started}. */
    private byte[] state;
    private byte[] tries;
    private long[] missingSince;
    private long[] askedAt;
    private boolean started;
    /** Extended highest sequence number, and the first one of this run (nothing below it is known). */
    private long highest;
    private long base;
    /** No outstanding sequence number is below this one. */
    private long scanFrom;
    private int outstanding;
    private long nextDue = Long.MAX_VALUE;
    /** RFC 3550 §A.1 probation: a far-behind packet followed by its successor restarts the sequence. */
    private int badSeq = -1;
    private long rtt = -1;
    private long rttVar;
    private boolean keyframeWanted;
    private long requested;
    private long recovered;
    private long filledLate;
    private long gaveUp;
    private long duplicates;
    private long resyncs;

    /** Records an original packet (not a retransmission) at {@code now}; {@link #DUPLICATE} if already received. */
    public int onPacket(int seq, long now) {
        seq &= 0xffff;
        if (!started) {
            start(seq);
            return FORWARD;
        }
        int ahead = (seq - (int) (highest & 0xffff)) & 0xffff;
        if (ahead == 0) {
            duplicates++;
            return DUPLICATE;
        }
        if (ahead < 0x8000) {
            badSeq = -1;
            if (ahead - 1 > MAX_OUTSTANDING) {
                resync(seq);
            } else {
                advance(ahead, now);
            }
            return FORWARD;
        }
        int behind = 0x10000 - ahead;
        long ext = highest - behind;
        if (behind >= WINDOW) {
            if (seq == badSeq) {
                resync(seq); // two in a row far behind: the sender restarted its sequence
            } else {
                badSeq = (seq + 1) & 0xffff;
            }
            return FORWARD;
        }
        if (ext < base) {
            return FORWARD; // from before we started: unknown
        }
        int s = slot(ext);
        switch (state[s]) {
            case RECEIVED -> {
                duplicates++;
                return DUPLICATE;
            }
            case MISSING -> {
                settle(s, RECEIVED);
                if (tries[s] > 0) {
                    filledLate++;
                }
            }
            default -> state[s] = RECEIVED;
        }
        return FORWARD;
    }

    /**
     * An RFC 4588 retransmission of {@code osn}: true if it fills a gap (forward it as the original), false if that
     * packet was received already, given up, never missing or unknown (drop it: a duplicate or a probe).
     */
    public boolean onRetransmission(int osn, long now) {
        if (!started) {
            return false;
        }
        int behind = ((int) (highest & 0xffff) - (osn & 0xffff)) & 0xffff;
        long ext = highest - behind;
        if (behind >= WINDOW || ext < base) {
            return false;
        }
        int s = slot(ext);
        if (state[s] != MISSING) {
            return false;
        }
        if (tries[s] == 1) {
            rttSample(now - askedAt[s]);
        }
        settle(s, RECEIVED);
        recovered++;
        return true;
    }

    /**
     * Writes into {@code out} the sequence numbers due for a NACK at {@code now}, oldest first, at most
     * {@code out.length}, and counts them as asked; gives up those out of retries or too old. Returns how many; call
     * again while it fills {@code out} (the rest stay due).
     */
    public int poll(long now, int[] out) {
        if (outstanding == 0) {
            nextDue = Long.MAX_VALUE;
            return 0;
        }
        long spacing = spacingNanos();
        long next = Long.MAX_VALUE;
        int n = 0;
        skipSettled();
        for (long e = scanFrom; e <= highest && outstanding > 0; e++) {
            int s = slot(e);
            if (state[s] != MISSING) {
                continue;
            }
            long due = tries[s] == 0 ? missingSince[s] + REORDER_WAIT_NANOS : askedAt[s] + spacing;
            if (now - due < 0) {
                next = Math.min(next, due);
            } else if (tries[s] >= MAX_RETRIES || now - missingSince[s] >= MAX_AGE_NANOS) {
                settle(s, GAVE_UP);
                gaveUp++;
            } else if (n < out.length) {
                out[n++] = (int) (e & 0xffff);
                tries[s]++;
                askedAt[s] = now;
                requested++;
                next = Math.min(next, now + spacing);
            } else {
                next = now; // still due: the caller polls again
            }
        }
        nextDue = outstanding == 0 ? Long.MAX_VALUE : next;
        return n;
    }

    /** Forgets the stream (its SSRC changed, or the leg went away): what is missing is given up. */
    public void reset() {
        gaveUp += outstanding;
        clear();
        started = false;
    }

    private void start(int seq) {
        if (state == null) {
            state = new byte[WINDOW];
            tries = new byte[WINDOW];
            missingSince = new long[WINDOW];
            askedAt = new long[WINDOW];
        }
        clear();
        started = true;
        highest = seq;
        base = seq;
        scanFrom = seq + 1;
        state[slot(seq)] = RECEIVED;
    }

    private void resync(int seq) {
        gaveUp += outstanding;
        resyncs++;
        keyframeWanted = true;
        start(seq);
    }

    private void clear() {
        if (state != null) {
            java.util.Arrays.fill(state, EMPTY);
        }
        outstanding = 0;
        nextDue = Long.MAX_VALUE;
        badSeq = -1;
    }

    /** The highest sequence number moves {@code ahead} (1..MAX_OUTSTANDING+1) forward; the ones skipped are missing. */
    private void advance(int ahead, long now) {
        int adding = ahead - 1;
        if (outstanding + adding > MAX_OUTSTANDING) {
            giveUpOldest(outstanding + adding - MAX_OUTSTANDING);
            keyframeWanted = true;
        }
        long to = highest + ahead;
        for (long e = highest + 1; e <= to; e++) {
            int s = slot(e);
            if (state[s] == MISSING) {
                outstanding--;  // the slot's previous occupant leaves the window unanswered
                gaveUp++;
            }
            if (e < to) {
                state[s] = MISSING;
                tries[s] = 0;
                missingSince[s] = now;
                outstanding++;
            } else {
                state[s] = RECEIVED;
            }
        }
        highest = to;
        scanFrom = Math.max(scanFrom, highest - WINDOW + 1);
        if (adding > 0) {
            nextDue = Math.min(nextDue, now + REORDER_WAIT_NANOS);
        }
    }

    private void giveUpOldest(int count) {
        skipSettled();
        for (long e = scanFrom; e <= highest && count > 0; e++) {
            int s = slot(e);
            if (state[s] == MISSING) {
                settle(s, GAVE_UP);
                gaveUp++;
                count--;
            }
        }
    }

    private void skipSettled() {
        while (scanFrom <= highest && state[slot(scanFrom)] != MISSING) {
            scanFrom++;
        }
    }

    private void settle(int s, byte to) {
        state[s] = to;
        outstanding--;
    }

    private static int slot(long ext) {
        return (int) (ext & MASK);
    }

    /** One round-trip measurement (request → answer), smoothed as RFC 6298 §2 does (α = 1/8, β = 1/4). */
    public void rttSample(long nanos) {
        if (nanos <= 0 || nanos > MAX_RTT_SAMPLE_NANOS) {
            return;
        }
        if (rtt < 0) {
            rtt = nanos;
            rttVar = nanos / 2;
        } else {
            rttVar += (Math.abs(rtt - nanos) - rttVar) / 4;
            rtt += (nanos - rtt) / 8;
        }
    }

    /** The smoothed RTT in nanoseconds, or -1 before the first sample. */
    public long rttNanos() {
        return rtt;
    }

    /**
     * Time between two requests for one sequence number, at least {@link #MIN_SPACING_NANOS}: RFC 6298's
     * SRTT + 4 RTTVAR (at least 1.5 SRTT), so that an answer merely slow is not asked for again; 1.5 ×
     * {@link #DEFAULT_RTT_NANOS} while no RTT is known.
     */
    public long spacingNanos() {
        if (rtt < 0) {
            return Math.max(MIN_SPACING_NANOS, DEFAULT_RTT_NANOS + DEFAULT_RTT_NANOS / 2);
        }
        return Math.max(MIN_SPACING_NANOS, rtt + Math.max(rtt / 2, 4 * rttVar));
    }

    /** Whether a resync or an overflow since the last call means the receiver should ask for a keyframe. */
    public boolean takeKeyframeWanted() {
        boolean k = keyframeWanted;
        keyframeWanted = false;
        return k;
    }

    public boolean started() {
        return started;
    }

    /** When {@link #poll} has something to do (Long.MAX_VALUE: nothing outstanding). */
    public long nextDueNanos() {
        return nextDue;
    }

    public int outstanding() {
        return outstanding;
    }

    /** Sequence numbers asked for (each retry counts). */
    public long requested() {
        return requested;
    }

    /** Gaps filled by a retransmission ({@link #onRetransmission}). */
    public long recovered() {
        return recovered;
    }

    /** Gaps that were asked for and then filled by an original-looking packet (late, or RFC 4585 resend). */
    public long filledLate() {
        return filledLate;
    }

    public long gaveUp() {
        return gaveUp;
    }

    public long duplicates() {
        return duplicates;
    }

    public long resyncs() {
        return resyncs;
    }
}
