package org.janussfu.rtp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 4588 §4 retransmission packets: header rewritten, OSN prepended, CSRC/extension kept, padding removed. */
class RtxPacketTest {
    @Test
    void buildsRtxWithOsnAndKeepsExtension() {
        byte[] src = new byte[12 + 8 + 5];
        src[0] = (byte) 0x90;                 // V=2, X=1
        src[1] = (byte) (0x80 | 96);          // marker, PT 96
        src[2] = 0x12;
        src[3] = 0x34;                        // seq 0x1234
        src[7] = 9;                           // timestamp 9
        RtpHeader.setSsrc(src, 0, 0xAAAA);
        src[12] = (byte) 0xBE;
        src[13] = (byte) 0xDE;
        src[15] = 1;                          // one extension word
        src[16] = 0x10;
        for (int i = 0; i < 5; i++) {
            src[20 + i] = (byte) (i + 1);
        }
        byte[] dst = new byte[64];
        int n = RtxPacket.write(src, 0, src.length, dst, 0, 97, 0xBBBB, 7);
        assertEquals(src.length + 2, n);
        assertEquals(97, RtpHeader.payloadType(dst, 0));
        assertEquals(0x80, dst[1] & 0x80, "marker kept");
        assertEquals(7, RtpHeader.sequence(dst, 0));
        assertEquals(9, RtpHeader.timestamp(dst, 0));
        assertEquals(0xBBBB, RtpHeader.ssrc(dst, 0));
        assertEquals(20, RtxPacket.headerLength(dst, 0, n));
        assertEquals(0x12, dst[20]);
        assertEquals(0x34, dst[21]);
        assertEquals(1, dst[22]);
        assertEquals(5, dst[26]);
    }

    @Test
    void malformedIsRefused() {
        byte[] dst = new byte[64];
        assertEquals(-1, RtxPacket.write(new byte[5], 0, 5, dst, 0, 97, 1, 1));
        byte[] badExt = new byte[16];
        badExt[0] = (byte) 0x90;
        badExt[14] = 0x7f;                    // extension longer than the packet
        assertEquals(-1, RtxPacket.write(badExt, 0, 16, dst, 0, 97, 1, 1));
    }
}
