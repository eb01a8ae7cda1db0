package org.janussfu.webrtc.srtp;

import java.util.Random;

/**
 * A plain RTP packet for SRTP tests (RFC 3550 §5.1): given SSRC and sequence number, a CSRC list, optionally an
 * RFC 8285 header extension in the one-byte ({@code 0xBEDE}) or two-byte ({@code 0x100}) form, optionally RTP
 * padding (P bit, count in the last byte), and seeded random timestamp and payload. Immutable; builds fresh arrays.
 */
public record RtpSample(int ssrc, int seq, int csrcs, int extension, int padding, int length, long seed) {
    public static final int EXT_NONE = 0;
    public static final int EXT_ONE_BYTE = 1;
    public static final int EXT_TWO_BYTE = 2;

    public RtpSample {
        if (12 + 4 * csrcs + (extension == EXT_NONE ? 0 : 12) + padding > length || csrcs > 15) {
            throw new IllegalArgumentException("does not fit: " + csrcs + " CSRCs, padding " + padding + ", " + length);
        }
    }

    /** The packet at {@code off} in a new array with exactly {@code tail} spare bytes after it. */
    public byte[] place(int off, int tail) {
        byte[] b = new byte[off + length + tail];
        Random r = new Random(seed);
        byte[] p = new byte[length];
        r.nextBytes(p);
        p[0] = (byte) (0x80 | (padding > 0 ? 0x20 : 0) | (extension != EXT_NONE ? 0x10 : 0) | csrcs);
        p[1] = (byte) ((p[1] & 0x80) | (length > 500 ? 96 : 111));
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[8] = (byte) (ssrc >>> 24);
        p[9] = (byte) (ssrc >>> 16);
        p[10] = (byte) (ssrc >>> 8);
        p[11] = (byte) ssrc;
        int h = 12 + 4 * csrcs;
        if (extension == EXT_ONE_BYTE) {
            // 0xBEDE, 2 words: id 1 (1 byte), id 3 (3 bytes), 2 bytes of zero padding
            byte[] ext = {(byte) 0xbe, (byte) 0xde, 0, 2, 0x10, p[h + 5], 0x32, p[h + 7], p[h + 8], p[h + 9], 0, 0};
            System.arraycopy(ext, 0, p, h, ext.length);
        } else if (extension == EXT_TWO_BYTE) {
            // 0x100 + appbits 0, 2 words: id 5 with 2 bytes, id 6 with 0 bytes, 2 bytes of zero padding
            byte[] ext = {0x10, 0x00, 0, 2, 5, 2, p[h + 6], p[h + 7], 6, 0, 0, 0};
            System.arraycopy(ext, 0, p, h, ext.length);
        }
        if (padding > 0) {
            for (int i = length - padding; i < length - 1; i++) {
                p[i] = 0;
            }
            p[length - 1] = (byte) padding;
        }
        System.arraycopy(p, 0, b, off, length);
        return b;
    }

    /**
     * A scripted stream for SRTP protect tests: three SSRCs, a sequence wrap, late packets, CSRCs, both header
     * extension forms, padding, audio and video sizes, and a header-only packet.
     */
    static java.util.List<RtpSample> script() {
        int a = 0x11223344;
        int b = 0xcafebabe;
        int c = 0x00000001;
        java.util.List<RtpSample> s = new java.util.ArrayList<>();
        int[] aSeqs = {65530, 65531, 65532, 65533, 65535, 0, 1, 2, 65534, 3, 4};
        int[] bSeqs = {0, 1, 2, 5, 3, 6, 7, 4};
        int[] cSeqs = {32766, 32767, 32768, 32769, 32771, 32770};
        for (int i = 0; i < 11; i++) {
            s.add(new RtpSample(a, aSeqs[i], i % 3, i % 2 == 0 ? RtpSample.EXT_ONE_BYTE : 0, i % 4 == 1 ? 3 : 0,
                    i % 2 == 0 ? 100 : 1200, i));
            if (i < bSeqs.length) {
                s.add(new RtpSample(b, bSeqs[i], 0, 0, 0, i % 2 == 0 ? 1200 : 100, 100 + i));
            }
            if (i < cSeqs.length) {
                s.add(new RtpSample(c, cSeqs[i], 15, RtpSample.EXT_TWO_BYTE, i == 2 ? 1 : 0, 200 + 40 * i, 200 + i));
            }
        }
        s.add(new RtpSample(a, 5, 0, 0, 0, 12, 999)); // header only: empty payload
        return s;
    }
}
