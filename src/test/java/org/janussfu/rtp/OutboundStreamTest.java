package org.janussfu.rtp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber's outbound stream: our SSRC on every packet, sequence numbers and timestamps continuous when the
 * publisher's source changes (renegotiation, restart: new SSRC, sequence and timestamp base), and the NACK ring.
 */
class OutboundStreamTest {
    static byte[] rtp(long ssrc, int seq, long ts) {
        byte[] b = new byte[12 + 20];
        b[0] = (byte) 0x80;
        b[1] = 96;
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        b[4] = (byte) (ts >>> 24);
        b[5] = (byte) (ts >>> 16);
        b[6] = (byte) (ts >>> 8);
        b[7] = (byte) ts;
        RtpHeader.setSsrc(b, 0, ssrc);
        return b;
    }

    @Test
    void continuityAcrossASourceChange() {
        OutboundStream out = new OutboundStream(0xCAFE, 90000, 16);
        long t = 0;
        int lastSeq = -1;
        long lastTs = -1;
        for (int i = 0; i < 10; i++) {
            byte[] p = rtp(0x1111, 65530 + i, 4_000_000_000L + 3000L * i);
            int seq = out.rewrite(p, 0, p.length, t += 33_000_000L);
            assertEquals(0xCAFE, RtpHeader.ssrc(p, 0));
            if (lastSeq >= 0) {
                assertEquals((lastSeq + 1) & 0xffff, seq, "wraps around continuously");
            }
            lastSeq = seq;
            lastTs = RtpHeader.timestamp(p, 0);
        }
        // The publisher renegotiated: a new SSRC with unrelated sequence and timestamp bases.
        byte[] p = rtp(0x2222, 17, 123);
        int seq = out.rewrite(p, 0, p.length, t + 100_000_000L);
        assertEquals((lastSeq + 1) & 0xffff, seq, "no jump in our sequence");
        long ts = RtpHeader.timestamp(p, 0);
        long advance = (ts - lastTs) & 0xffffffffL;
        assertTrue(advance >= 9000 - 100 && advance <= 9000 + 100, "timestamp advanced by the elapsed 100 ms: " + advance);
        byte[] next = rtp(0x2222, 18, 123 + 3000);
        assertEquals((seq + 1) & 0xffff, out.rewrite(next, 0, next.length, t + 133_000_000L));
        assertEquals((ts + 3000) & 0xffffffffL, RtpHeader.timestamp(next, 0));
        assertEquals(12, out.packets());
    }

    @Test
    void nackRingKeepsTheLastPacketsAndReleasesEvicted() {
        PacketPool pool = new PacketPool(64);
        OutboundStream out = new OutboundStream(1, 90000, 4);
        PooledPacket[] sent = new PooledPacket[6];
        for (int s = 0; s < 6; s++) {
            sent[s] = pool.acquire();
            out.remember(sent[s], 100 + s);
        }
        assertNull(out.find(100), "evicted");
        assertSame(sent[5], out.find(105));
        assertSame(sent[2], out.find(102));
        assertEquals(1, out.nackMisses());
        assertEquals(2, out.retransmitted());
        assertEquals(5, pool.allocated(), "the packet evicted by the 5th was reused for the 6th");
        out.clear();
        assertNull(out.find(105));
        for (int i = 0; i < 5; i++) {
            pool.acquire();   // one evicted + four cleared packets are back in the pool
        }
        assertEquals(5, pool.allocated(), "evicted and cleared packets are reused without allocating");
    }
}
