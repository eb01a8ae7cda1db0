package org.janussfu.rtp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loss, wrap-around, reordering and jitter bookkeeping of an incoming RTP stream (RFC 3550 A.1, A.3, A.8). */
class InboundStreamTest {
    @Test
    void countsLossAcrossWrapAround() {
        InboundStream s = new InboundStream(48000);
        long t = 0;
        for (int i = 0; i < 100; i++) {
            int seq = (65500 + i) & 0xffff;
            if (i % 10 == 5) {
                continue; // lose every tenth
            }
            s.onPacket(7, seq, 960L * i, t += 20_000_000L);
        }
        assertEquals(65500 + 99, s.extendedHighestSequence());
        assertEquals(100, s.expected());
        assertEquals(90, s.received());
        assertEquals(10, s.cumulativeLost());
        assertEquals(10, s.takeLostInWindow());
        assertEquals(0, s.takeLostInWindow());
        assertEquals(25, s.fractionLostSinceLastReport(), "10% of 256");
    }

    @Test
    void reorderedPacketIsNotLostAndDuplicatesIgnored() {
        InboundStream s = new InboundStream(90000);
        s.onPacket(1, 10, 0, 0);
        s.onPacket(1, 12, 0, 0);
        s.onPacket(1, 11, 0, 0);
        s.onPacket(1, 12, 0, 0);
        assertEquals(0, s.takeLostInWindow());
        assertEquals(0, s.cumulativeLost());
    }

    @Test
    void jitterGrowsWithIrregularArrival() {
        InboundStream s = new InboundStream(48000);
        long t = 0;
        for (int i = 0; i < 200; i++) {
            t += (i % 2 == 0 ? 10 : 30) * 1_000_000L;
            s.onPacket(3, i, 960L * i, t);
        }
        assertTrue(s.jitter() > 300, "jitter " + s.jitter());
    }
}
