package org.janussfu.rtp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RFC 4588 §4 retransmission packets: header rewritten, OSN prepended, CSRC/extension kept, padding removed; and back
 * (unwrap); and the Generic NACK (RFC 4585 §6.2.1) that asks for them.
 */
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

    @Test
    void unwrapRestoresTheOriginalThatWriteWrapped() {
        byte[] orig = new byte[12 + 8 + 6];
        orig[0] = (byte) 0x90;                // X=1
        orig[1] = (byte) (0x80 | 96);
        orig[2] = (byte) 0xff;
        orig[3] = (byte) 0xfe;                // seq 65534
        orig[6] = 3;
        RtpHeader.setSsrc(orig, 0, 0x71DE0L);
        orig[12] = (byte) 0xBE;
        orig[13] = (byte) 0xDE;
        orig[15] = 1;
        for (int i = 0; i < 6; i++) {
            orig[20 + i] = (byte) (0x40 + i);
        }
        byte[] rtx = new byte[64];
        int n = RtxPacket.write(orig, 0, orig.length, rtx, 0, 97, 0x71DE1L, 12);
        assertEquals(65534, RtxPacket.originalSequence(rtx, 0, n));
        int m = RtxPacket.unwrap(rtx, 0, n, 96, 0x71DE0L);
        assertEquals(orig.length, m);
        assertArrayEquals(orig, java.util.Arrays.copyOf(rtx, m), "byte for byte the original again");
    }

    @Test
    void paddingOnlyAndMalformedRtxHaveNoOsn() {
        byte[] pad = new byte[12 + 4];
        pad[0] = (byte) 0xa0;                 // V=2, P=1
        pad[1] = 97;
        pad[15] = 4;                          // four bytes of padding: no payload at all
        assertEquals(-1, RtxPacket.originalSequence(pad, 0, pad.length));
        assertEquals(-1, RtxPacket.unwrap(pad, 0, pad.length, 96, 1));
        byte[] one = new byte[13];
        one[0] = (byte) 0x80;
        assertEquals(-1, RtxPacket.originalSequence(one, 0, one.length), "one byte cannot hold an OSN");
        assertEquals(-1, RtxPacket.originalSequence(new byte[8], 0, 8));
        byte[] padded = new byte[12 + 2 + 3 + 3];
        padded[0] = (byte) 0xa0;
        padded[12] = 0x01;
        padded[13] = 0x02;
        padded[19] = 3;                       // OSN, 3 payload bytes, 3 of padding
        assertEquals(0x0102, RtxPacket.originalSequence(padded, 0, padded.length));
        assertEquals(padded.length - 2, RtxPacket.unwrap(padded, 0, padded.length, 96, 5));
        assertEquals(3, padded[padded.length - 3], "padding count still last");
    }

    @Test
    void genericNackPacksPidAndBlpAcrossWrapAndParsesBack() {
        int[] seqs = {65533, 65535, 0, 4, 20, 21, 40};
        byte[] b = new byte[RtcpFeedback.nackLength(seqs.length)];
        int n = RtcpFeedback.writeNack(b, 0, 0xAAAAL, 0x71DE0L, seqs, seqs.length);
        // 65533 + {65535, 0, 4 (bit 6)} | 20 + {21} | 40
        assertEquals(RtcpFeedback.nackLength(3), n);
        assertEquals(205, b[1] & 0xff);
        assertEquals(1, b[0] & 0x1f);
        assertEquals(n / 4 - 1, ((b[2] & 0xff) << 8) | (b[3] & 0xff));
        java.util.List<Integer> parsed = new java.util.ArrayList<>();
        RtcpReports.forEachNack(b, 0, n, (ssrc, seq) -> {
            assertEquals(0x71DE0L, ssrc);
            parsed.add(seq);
        });
        assertEquals(java.util.List.of(65533, 65535, 0, 4, 20, 21, 40), parsed);
    }
}
