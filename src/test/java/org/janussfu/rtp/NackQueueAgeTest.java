package org.janussfu.rtp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The NACK queue's age limit on a subscriber's ring ({@link OutboundStream#find(int, long, long)}, Janus'
 * {@code max_nack_queue}): a kept packet younger than the limit is retransmitted, an older one is a miss, and a
 * zero limit retransmits nothing; the ring's packet count still bounds what is kept.
 */
class NackQueueAgeTest {
    @Test
    void packetsOlderThanTheQueueAreMisses() {
        PacketPool pool = new PacketPool(64);
        OutboundStream out = new OutboundStream(1234, 90000, 8);
        long t0 = 1_000_000_000L;
        for (int i = 0; i < 4; i++) {
            byte[] rtp = new byte[32];
            RtpHeader.write(rtp, 0, 96, 100 + i, 3000L * i, 0x55);
            PooledPacket p = pool.acquire();
            p.copyFrom(rtp, 0, 12, true);
            int seq = out.rewrite(p.buffer(), p.offset(), p.length(), t0 + i * 100_000_000L); // every 100 ms
            out.remember(p, seq);
        }
        long now = t0 + 350_000_000L; // packets are 350, 250, 150, 50 ms old
        long ms200 = 200_000_000L;
        assertNull(out.find(100, now, ms200));
        assertNull(out.find(101, now, ms200));
        assertNotNull(out.find(102, now, ms200));
        assertNotNull(out.find(103, now, ms200));
        assertNull(out.find(103, now, 0), "a zero queue retransmits nothing");
        assertNotNull(out.find(100, now, 1_000_000_000L));
        assertEquals(3, out.nackMisses());
        assertEquals(3, out.retransmitted());
        out.clear();
    }
}
