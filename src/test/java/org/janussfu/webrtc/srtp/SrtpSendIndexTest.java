package org.janussfu.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 3711 Appendix A index estimation at the sender, and the refusal of repeated or too old indices. */
class SrtpSendIndexTest {

    private static long send(SrtpSendIndex s, int seq) {
        long index = s.estimate(seq);
        if (index >= 0) {
            s.commit(index);
        }
        return index;
    }

    @Test
    void firstPacketStartsTheStreamWithRocZero() {
        SrtpSendIndex s = new SrtpSendIndex();
        assertEquals(40000, send(s, 40000));
        assertEquals(0, s.roc());
    }

    @Test
    void wrapIncrementsTheRocAndALatePacketKeepsTheOldOne() {
        SrtpSendIndex s = new SrtpSendIndex();
        send(s, 65533);
        send(s, 65535); // 65534 is late
        assertEquals(1L << 16, send(s, 0));
        assertEquals((1L << 16) + 1, send(s, 1));
        assertEquals(1, s.roc());
        assertEquals(65534, send(s, 65534), "a packet from before the wrap keeps ROC 0");
        assertEquals(1, s.roc());
        assertEquals((1L << 16) + 2, send(s, 2));
    }

    @Test
    void repeatedIndexIsRefusedAndNothingChanges() {
        SrtpSendIndex s = new SrtpSendIndex();
        for (int seq = 100; seq < 110; seq++) {
            send(s, seq);
        }
        assertEquals(SrtpSendIndex.REPEATED, s.estimate(105));
        assertEquals(SrtpSendIndex.REPEATED, s.estimate(109));
        assertEquals(110, send(s, 110));
    }

    @Test
    void indicesOutsideTheWindowAreTooOld() {
        SrtpSendIndex s = new SrtpSendIndex();
        send(s, 1000);
        send(s, 1000 + SrtpSendIndex.WINDOW);
        assertEquals(SrtpSendIndex.TOO_OLD, s.estimate(1000));
        assertEquals(1001, send(s, 1001), "just inside the window and never sent");
    }

    @Test
    void aJumpOfMoreThanTheWindowResetsIt() {
        SrtpSendIndex s = new SrtpSendIndex();
        send(s, 10);
        send(s, 10 + 1000);
        assertEquals(1009, send(s, 1009));
        assertEquals(SrtpSendIndex.TOO_OLD, s.estimate(10));
        assertEquals(SrtpSendIndex.REPEATED, s.estimate(1009));
    }

    @Test
    void aSequenceBeforeTheFirstCycleIsTooOld() {
        SrtpSendIndex s = new SrtpSendIndex();
        send(s, 5);
        // 65000 is "behind" 5 across a wrap, which would need ROC -1
        assertEquals(SrtpSendIndex.TOO_OLD, s.estimate(65000));
    }
}
