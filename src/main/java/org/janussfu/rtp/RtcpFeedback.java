package org.janussfu.rtp;

/**
 * Writes the feedback an SFU sends to a publisher: Picture Loss Indication (RFC 4585 §6.3.1: PSFB PT 206, FMT 1,
 * 12 bytes), Full Intra Request (RFC 5104 §4.3.1: PSFB, FMT 4, 20 bytes with one FCI entry) and Generic NACK
 * (RFC 4585 §6.2.1: RTPFB PT 205, FMT 1, one PID+BLP entry per 17 sequence numbers). Writes into a caller-owned
 * array (which needs SRTCP tailroom after the packet); stateless, allocation-free, any thread.
 */
public final class RtcpFeedback {
    public static final int PLI_LENGTH = 12;
    public static final int FIR_LENGTH = 20;

    private RtcpFeedback() {
    }

    /** Writes a PLI from {@code senderSsrc} about {@code mediaSsrc}; returns its length. */
    public static int writePli(byte[] buf, int off, long senderSsrc, long mediaSsrc) {
        buf[off] = (byte) 0x81;        // V=2, P=0, FMT=1
        buf[off + 1] = (byte) 206;     // PSFB
        buf[off + 2] = 0;
        buf[off + 3] = 2;              // length in 32-bit words minus one
        putInt(buf, off + 4, senderSsrc);
        putInt(buf, off + 8, mediaSsrc);
        return PLI_LENGTH;
    }

    /** Writes a FIR from {@code senderSsrc} asking {@code mediaSsrc} for a keyframe; returns its length. */
    public static int writeFir(byte[] buf, int off, long senderSsrc, long mediaSsrc, int sequence) {
        buf[off] = (byte) 0x84;        // V=2, P=0, FMT=4
        buf[off + 1] = (byte) 206;
        buf[off + 2] = 0;
        buf[off + 3] = 4;
        putInt(buf, off + 4, senderSsrc);
        putInt(buf, off + 8, 0);       // media source SSRC: unused for FIR (RFC 5104 §4.3.1.2)
        putInt(buf, off + 12, mediaSsrc);
        buf[off + 16] = (byte) sequence;
        buf[off + 17] = 0;
        buf[off + 18] = 0;
        buf[off + 19] = 0;
        return FIR_LENGTH;
    }

    /** Bytes a Generic NACK with {@code fciEntries} PID+BLP entries takes. */
    public static int nackLength(int fciEntries) {
        return 12 + 4 * fciEntries;
    }

    /**
     * Writes a Generic NACK from {@code senderSsrc} about {@code mediaSsrc} asking for {@code seqs[0..n)} (16-bit
     * sequence numbers in ascending order, across wrap): each entry's PID is the first number not yet covered and
     * its BLP bit i the number PID+i+1. Returns its length, at most {@link #nackLength}(n); the array must hold that.
     */
    public static int writeNack(byte[] buf, int off, long senderSsrc, long mediaSsrc, int[] seqs, int n) {
        buf[off] = (byte) 0x81;        // V=2, P=0, FMT=1
        buf[off + 1] = (byte) 205;     // RTPFB
        putInt(buf, off + 4, senderSsrc);
        putInt(buf, off + 8, mediaSsrc);
        int p = off + 12;
        int pid = -1;
        int blp = 0;
        for (int i = 0; i < n; i++) {
            int seq = seqs[i] & 0xffff;
            int d = pid < 0 ? 0 : (seq - pid) & 0xffff;
            if (pid >= 0 && d >= 1 && d <= 16) {
                blp |= 1 << (d - 1);
                continue;
            }
            if (pid >= 0) {
                p = putFci(buf, p, pid, blp);
            }
            pid = seq;
            blp = 0;
        }
        if (pid >= 0) {
            p = putFci(buf, p, pid, blp);
        }
        int words = (p - off) / 4 - 1;
        buf[off + 2] = (byte) (words >>> 8);
        buf[off + 3] = (byte) words;
        return p - off;
    }

    private static int putFci(byte[] b, int p, int pid, int blp) {
        b[p] = (byte) (pid >>> 8);
        b[p + 1] = (byte) pid;
        b[p + 2] = (byte) (blp >>> 8);
        b[p + 3] = (byte) blp;
        return p + 4;
    }

    static void putInt(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
