package org.janussfu.cluster;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The media relay's datagram format ({@link RelayFrame}): what is written reads back field for field, oversized
 * packets are refused, and anything that is not a frame of this version carrying RTP fails the cheap checks before a
 * target or token is looked at. JUnit thread.
 */
class RelayFrameTest {

    static byte[] rtp(int len) {
        byte[] p = new byte[len];
        p[0] = (byte) 0x80;
        p[1] = 96;
        for (int i = 2; i < len; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    static byte[] frame(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void aFrameReadsBackFieldForField() {
        ByteBuffer b = ByteBuffer.allocateDirect(RelayFrame.HEADER + RelayFrame.MAX_RTP);
        byte[] p = rtp(1200);
        assertTrue(RelayFrame.write(b, true, -7, -42L, 0x1122334455667788L, p, 0, p.length));
        byte[] f = frame(b);
        assertEquals(RelayFrame.HEADER + 1200, f.length);
        assertTrue(RelayFrame.wellFormed(f, f.length));
        assertTrue(RelayFrame.video(f));
        assertEquals(-7, RelayFrame.sequence(f));
        assertEquals(-42L, RelayFrame.target(f));
        assertEquals(0x1122334455667788L, RelayFrame.token(f));
        for (int i = 0; i < p.length; i++) {
            assertEquals(p[i], f[RelayFrame.HEADER + i]);
        }
        // the buffer is reused: a second, smaller audio frame overwrites the first completely
        byte[] a = rtp(40);
        assertTrue(RelayFrame.write(b, false, 0, 3, 9, a, 0, a.length));
        byte[] g = frame(b);
        assertEquals(RelayFrame.HEADER + 40, g.length);
        assertFalse(RelayFrame.video(g));
        assertEquals(3, RelayFrame.target(g));
    }

    @Test
    void tooLargeIsRefusedAndNothingIsWritten() {
        ByteBuffer b = ByteBuffer.allocate(RelayFrame.HEADER + RelayFrame.MAX_RTP);
        byte[] p = rtp(RelayFrame.MAX_RTP + 1);
        assertFalse(RelayFrame.write(b, false, 1, 1, 1, p, 0, p.length));
        assertEquals(0, b.position());
        ByteBuffer small = ByteBuffer.allocate(100);
        assertFalse(RelayFrame.write(small, false, 1, 1, 1, rtp(90), 0, 90), "does not fit the buffer");
    }

    @Test
    void whatIsNotAFrameFailsTheCheapChecks() {
        ByteBuffer b = ByteBuffer.allocate(RelayFrame.HEADER + RelayFrame.MAX_RTP);
        byte[] p = rtp(100);
        RelayFrame.write(b, false, 1, 1, 1, p, 0, p.length);
        byte[] good = frame(b);
        assertTrue(RelayFrame.wellFormed(good, good.length));
        assertFalse(RelayFrame.wellFormed(good, RelayFrame.HEADER + 11), "shorter than an RTP header");
        assertFalse(RelayFrame.wellFormed(good, RelayFrame.HEADER + RelayFrame.MAX_RTP + 1), "longer than any frame");
        for (int at : new int[]{0, 1, 2}) { // magic, version
            byte[] bad = good.clone();
            bad[at] ^= 0x40;
            assertFalse(RelayFrame.wellFormed(bad, bad.length), "byte " + at);
        }
        byte[] notRtp = good.clone();
        notRtp[RelayFrame.HEADER] = 0x40; // RTP version 1
        assertFalse(RelayFrame.wellFormed(notRtp, notRtp.length));
        // random datagrams: about 1 in 2^26 passes the magic, version and RTP checks; 100,000 of them, none
        Random r = new Random(7);
        byte[] junk = new byte[300];
        int passed = 0;
        for (int i = 0; i < 100_000; i++) {
            r.nextBytes(junk);
            if (RelayFrame.wellFormed(junk, 36 + r.nextInt(264))) {
                passed++;
            }
        }
        assertEquals(0, passed);
    }

    @Test
    void aDataFrameReadsBackAndTruncatedBodiesAreRefused() {
        ByteBuffer b = ByteBuffer.allocateDirect(RelayFrame.HEADER + RelayFrame.MAX_RTP);
        byte[] payload = "{\"dataType\":\"u\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MediaFrame m = MediaFrame.data(0, 0, new long[] {7, -9}, "reliable", "naf", true, payload).inStream(3, -5);
        assertTrue(RelayFrame.writeData(b, 3, 0x55L, m));
        byte[] f = frame(b);
        assertTrue(RelayFrame.isData(f, f.length));
        assertFalse(RelayFrame.wellFormed(f, f.length), "a data frame is never taken for RTP");
        assertEquals(3, RelayFrame.target(f));
        assertEquals(0x55L, RelayFrame.token(f));
        MediaFrame back = RelayFrame.readData(f, f.length);
        assertEquals(-5, back.seq);
        assertEquals(3, back.target);
        assertEquals("reliable", back.label);
        assertEquals("naf", back.protocol);
        assertTrue(back.flag);
        assertEquals(2, back.targets.length);
        assertEquals(-9, back.targets[1]);
        assertEquals(new String(payload, java.nio.charset.StandardCharsets.UTF_8),
                new String(back.bytes, java.nio.charset.StandardCharsets.UTF_8));
        // every truncation either reads as a shorter payload or is refused, never throws
        int refused = 0;
        for (int len = RelayFrame.HEADER + 6; len < f.length; len++) {
            if (RelayFrame.readData(f, len) == null) {
                refused++;
            }
        }
        assertTrue(refused > 20, "cut inside the label, protocol or targets: " + refused);
        byte[] hugeCount = f.clone();
        int countAt = RelayFrame.HEADER + 2 + 8 + 2 + 3;
        hugeCount[countAt] = (byte) 0xff;
        hugeCount[countAt + 1] = (byte) 0xff;
        assertEquals(null, RelayFrame.readData(hugeCount, hugeCount.length));
        // too large for one frame: not written (the event bus carries it alone)
        MediaFrame big = MediaFrame.data(0, 0, new long[] {1}, "l", "", false, new byte[RelayFrame.MAX_RTP]);
        assertFalse(RelayFrame.writeData(b, 1, 1, big));
        // random bodies behind a data header: refused or read, never an exception
        Random r = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[RelayFrame.HEADER + 6 + r.nextInt(200)];
            r.nextBytes(junk);
            junk[0] = 'J';
            junk[1] = 'R';
            junk[2] = RelayFrame.VERSION;
            junk[3] = 2;
            assertTrue(RelayFrame.isData(junk, junk.length));
            RelayFrame.readData(junk, junk.length);
        }
    }
}
