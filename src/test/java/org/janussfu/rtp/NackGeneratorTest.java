package org.janussfu.rtp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Generic NACK gap tracker (RFC 4585 §6.2.1, RFC 3550 §A.1 wrap): gaps, reorder, duplicates, retries, limits. */
class NackGeneratorTest {
    static final long MS = 1_000_000L;
    final int[] out = new int[64];

    int[] poll(NackGenerator g, long now) {
        int n = g.poll(now, out);
        return Arrays.copyOf(out, n);
    }

    /** Feeds seq numbers from..to (inclusive, 16-bit, wrapping) at {@code now}, skipping {@code lost}. */
    static void feed(NackGenerator g, int from, int to, long now, int... lost) {
        for (int s = from; ; s = (s + 1) & 0xffff) {
            final int seq = s;
            if (Arrays.stream(lost).noneMatch(l -> l == seq)) {
                assertEquals(NackGenerator.FORWARD, g.onPacket(s, now), "seq " + s);
            }
            if (s == to) {
                return;
            }
        }
    }

    @Test
    void aGapIsAskedForAfterTheReorderWaitNotBefore() {
        NackGenerator g = new NackGenerator();
        feed(g, 100, 110, 0, 104, 105);
        assertEquals(2, g.outstanding());
        assertEquals(0, poll(g, 5 * MS).length, "within the reorder wait");
        assertEquals(NackGenerator.REORDER_WAIT_NANOS, g.nextDueNanos());
        assertArrayEquals(new int[]{104, 105}, poll(g, 10 * MS));
        assertEquals(2, g.requested());
        assertEquals(0, poll(g, 11 * MS).length, "not again before the spacing");
    }

    @Test
    void aReorderedPacketIsNeverAskedFor() {
        NackGenerator g = new NackGenerator();
        feed(g, 1, 10, 0, 5);
        assertEquals(NackGenerator.FORWARD, g.onPacket(5, 3 * MS));
        assertEquals(0, g.outstanding());
        assertEquals(0, poll(g, 50 * MS).length);
        assertEquals(0, g.requested());
        assertEquals(0, g.filledLate());
    }

    @Test
    void sequenceWrapIsNoGapAndGapsAcrossWrapAreFound() {
        NackGenerator g = new NackGenerator();
        feed(g, 65530, 5, 0, 65534, 0, 1);
        assertEquals(3, g.outstanding());
        assertArrayEquals(new int[]{65534, 0, 1}, poll(g, 20 * MS));
        NackGenerator clean = new NackGenerator();
        feed(clean, 65500, 100, 0);
        assertEquals(0, clean.outstanding(), "a plain wrap loses nothing");
    }

    @Test
    void duplicatesAreReportedOriginalAndRetransmitted() {
        NackGenerator g = new NackGenerator();
        feed(g, 1, 10, 0, 7);
        assertEquals(NackGenerator.DUPLICATE, g.onPacket(10, MS), "the highest again");
        assertEquals(NackGenerator.DUPLICATE, g.onPacket(3, MS), "an older one again");
        poll(g, 20 * MS);
        assertTrue(g.onRetransmission(7, 25 * MS), "RTX fills the gap");
        assertFalse(g.onRetransmission(7, 26 * MS), "a second RTX copy");
        assertEquals(NackGenerator.DUPLICATE, g.onPacket(7, 27 * MS), "the late original after its RTX");
        assertFalse(g.onRetransmission(4, 28 * MS), "RTX of a packet never missing (a probe)");
        assertFalse(g.onRetransmission(11, 28 * MS), "RTX of a packet from the future");
        assertEquals(3, g.duplicates());
        assertEquals(1, g.recovered());
    }

    @Test
    void retriesAreSpacedByRttAndGivenUpAfterMaxRetries() {
        NackGenerator g = new NackGenerator();
        feed(g, 1, 3, 0, 2);
        long spacing = g.spacingNanos();
        assertEquals(NackGenerator.DEFAULT_RTT_NANOS * 3 / 2, spacing, "no RTT known yet");
        long t = 10 * MS;
        for (int i = 0; i < NackGenerator.MAX_RETRIES; i++) {
            assertArrayEquals(new int[]{2}, poll(g, t), "try " + (i + 1));
            assertEquals(0, poll(g, t + spacing - 1).length);
            t += spacing;
        }
        assertEquals(NackGenerator.MAX_RETRIES, g.requested());
        assertEquals(0, poll(g, t).length, "given up after the last try's spacing");
        assertEquals(1, g.gaveUp());
        assertEquals(0, g.outstanding());
        assertEquals(Long.MAX_VALUE, g.nextDueNanos());
        assertFalse(g.onRetransmission(2, t + MS), "an answer after giving up is not forwarded");
    }

    @Test
    void aMissingPacketIsGivenUpAtMaxAge() {
        NackGenerator g = new NackGenerator();
        g.rttSample(300 * MS); // a slow link: spacing 900 ms, two tries fit in the max age
        long spacing = g.spacingNanos();
        assertEquals(900 * MS, spacing, "SRTT + 4 RTTVAR after one sample (RFC 6298 §2.2)");
        feed(g, 1, 3, 0, 2);
        assertEquals(1, poll(g, 10 * MS).length);
        assertEquals(1, poll(g, 10 * MS + spacing).length);
        assertEquals(0, poll(g, 10 * MS + 2 * spacing).length);
        assertEquals(1, g.gaveUp());
        assertEquals(2, g.requested());
    }

    @Test
    void rttComesFromTheAnswerToASingleRequest() {
        NackGenerator g = new NackGenerator();
        feed(g, 1, 5, 0, 2, 4);
        poll(g, 10 * MS);
        assertTrue(g.onRetransmission(2, 14 * MS));
        assertEquals(4 * MS, g.rttNanos(), "first sample taken as is");
        assertEquals(NackGenerator.MIN_SPACING_NANOS, g.spacingNanos(), "a fast link: the minimum spacing");
        poll(g, 10 * MS + NackGenerator.MIN_SPACING_NANOS); // seq 4 asked a second time
        assertTrue(g.onRetransmission(4, 200 * MS));
        assertEquals(4 * MS, g.rttNanos(), "an answer after two requests is ambiguous: not sampled (Karn)");
        g.rttSample(12 * MS);
        assertEquals(5 * MS, g.rttNanos(), "smoothed by 1/8");
        for (int i = 0; i < 50; i++) {
            g.rttSample(i % 2 == 0 ? 2 * MS : 60 * MS); // a jittery path: the variance keeps requests apart
        }
        assertTrue(g.spacingNanos() > 2 * g.rttNanos(), "spacing " + g.spacingNanos() + " rtt " + g.rttNanos());
    }

    @Test
    void aHugeJumpIsAResyncNotANackStorm() {
        NackGenerator g = new NackGenerator();
        feed(g, 1, 10, 0, 5);
        assertEquals(NackGenerator.FORWARD, g.onPacket(10 + NackGenerator.MAX_OUTSTANDING + 2, MS));
        assertEquals(0, g.outstanding());
        assertEquals(1, g.resyncs());
        assertEquals(1, g.gaveUp(), "what was missing before the jump");
        assertTrue(g.takeKeyframeWanted());
        assertFalse(g.takeKeyframeWanted(), "taken once");
        assertEquals(0, poll(g, 100 * MS).length);
        feed(g, 10 + NackGenerator.MAX_OUTSTANDING + 3, 10 + NackGenerator.MAX_OUTSTANDING + 6, 2 * MS);
        assertEquals(0, g.outstanding(), "continues from the new sequence");
    }

    @Test
    void aJumpJustUnderTheCapIsTrackedAndTheCapGivesUpTheOldest() {
        NackGenerator g = new NackGenerator();
        g.onPacket(0, 0);
        g.onPacket(NackGenerator.MAX_OUTSTANDING + 1, 0);
        assertEquals(NackGenerator.MAX_OUTSTANDING, g.outstanding());
        assertFalse(g.takeKeyframeWanted());
        g.onPacket(NackGenerator.MAX_OUTSTANDING + 4, MS); // two more missing: the two oldest go
        assertEquals(NackGenerator.MAX_OUTSTANDING, g.outstanding());
        assertEquals(2, g.gaveUp());
        assertTrue(g.takeKeyframeWanted());
        List<Integer> asked = new ArrayList<>();
        for (int n; (n = g.poll(20 * MS, out)) > 0; ) {
            for (int i = 0; i < n; i++) {
                asked.add(out[i]);
            }
        }
        assertEquals(NackGenerator.MAX_OUTSTANDING, asked.size(), "batches until all due are asked");
        assertEquals(3, asked.get(0), "1 and 2 were given up");
    }

    @Test
    void aStreamRestartingFarBehindIsConfirmedByItsSecondPacket() {
        NackGenerator g = new NackGenerator();
        feed(g, 30000, 30010, 0);
        assertEquals(NackGenerator.FORWARD, g.onPacket(100, MS));
        assertEquals(0, g.resyncs(), "one stray packet is not a restart");
        assertEquals(NackGenerator.FORWARD, g.onPacket(101, MS));
        assertEquals(1, g.resyncs());
        feed(g, 102, 110, 2 * MS, 105);
        assertEquals(1, g.outstanding(), "gaps of the new sequence are tracked");
    }

    @Test
    void packetsLeavingTheWindowUnansweredAreGivenUp() {
        NackGenerator g = new NackGenerator();
        feed(g, 0, 10, 0, 5);
        feed(g, 11, 4 + NackGenerator.WINDOW, MS);
        assertEquals(1, g.outstanding(), "5 still inside");
        g.onPacket(5 + NackGenerator.WINDOW, MS);
        assertEquals(0, g.outstanding());
        assertEquals(1, g.gaveUp());
        assertEquals(NackGenerator.FORWARD, g.onPacket(5, 2 * MS), "too old to know: forwarded");
    }

    @Test
    void resetGivesUpWhatIsMissingAndStartsAfresh() {
        NackGenerator g = new NackGenerator();
        feed(g, 1, 10, 0, 3, 4);
        g.reset();
        assertEquals(2, g.gaveUp());
        assertFalse(g.started());
        assertFalse(g.onRetransmission(3, MS));
        assertEquals(NackGenerator.FORWARD, g.onPacket(500, MS));
        assertEquals(0, g.outstanding());
    }

    @Test
    void aGeneratorThatNeverSawAPacketAnswersEverythingAsEmpty() {
        NackGenerator g = new NackGenerator(); // a subscriber's leg: its window is never allocated
        assertFalse(g.onRetransmission(7, MS));
        assertEquals(0, g.poll(MS, new int[8]));
        g.reset();
        assertEquals(0, g.outstanding());
        assertEquals(Long.MAX_VALUE, g.nextDueNanos());
        assertEquals(NackGenerator.FORWARD, g.onPacket(9, 2 * MS));
        assertEquals(NackGenerator.DUPLICATE, g.onPacket(9, 2 * MS));
    }

    @Test
    void randomStreamsKeepTheBounds() {
        java.util.Random r = new java.util.Random(15);
        for (int run = 0; run < 20; run++) {
            NackGenerator g = new NackGenerator();
            int seq = r.nextInt(1 << 16);
            long now = 0;
            for (int i = 0; i < 20_000; i++) {
                now += r.nextInt(3) * MS;
                int k = r.nextInt(100);
                int s = k < 80 ? (seq = (seq + 1) & 0xffff) : k < 90 ? (seq = (seq + 1 + r.nextInt(40)) & 0xffff)
                        : k < 95 ? (seq - r.nextInt(600)) & 0xffff : k < 97 ? r.nextInt(1 << 16) : -1;
                if (s >= 0) {
                    g.onPacket(s, now);
                } else {
                    g.onRetransmission((seq - r.nextInt(300)) & 0xffff, now);
                }
                int n = g.poll(now, out);
                assertTrue(n <= out.length);
                assertTrue(g.outstanding() >= 0 && g.outstanding() <= NackGenerator.MAX_OUTSTANDING,
                        "outstanding " + g.outstanding());
            }
            assertTrue(g.requested() > 0 && g.gaveUp() >= 0 && g.recovered() >= 0);
        }
    }
}
