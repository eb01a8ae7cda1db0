package org.janussfu.rtp;

/**
 * Writes the keyframe requests an SFU sends to a publisher: Picture Loss Indication (RFC 4585 §6.3.1: PSFB PT 206,
 * FMT 1, 12 bytes) and Full Intra Request (RFC 5104 §4.3.1: PSFB, FMT 4, 20 bytes with one FCI entry). Writes into
 * a caller-owned array (which needs SRTCP tailroom after the packet); stateless, allocation-free, any thread.
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

    static void putInt(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
