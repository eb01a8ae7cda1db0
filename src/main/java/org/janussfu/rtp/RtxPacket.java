package org.janussfu.rtp;

/**
 * Builds an RTP retransmission packet (RFC 4588 §4): the original header (with its CSRCs and header extension) but
 * the RTX payload type, the RTX SSRC and the RTX stream's own sequence number, and a payload that starts with the
 * original sequence number (OSN) followed by the original payload. Stateless, allocation-free, any thread.
 */
public final class RtxPacket {
    private RtxPacket() {
    }

    /** Length of the fixed header plus CSRCs and extension of an RTP packet (RFC 3550 §5.1, §5.3.1), or -1. */
    public static int headerLength(byte[] b, int off, int len) {
        if (len < RtpHeader.MIN_LENGTH) {
            return -1;
        }
        int n = RtpHeader.MIN_LENGTH + 4 * (b[off] & 0x0f);
        if ((b[off] & 0x10) != 0) {
            if (n + 4 > len) {
                return -1;
            }
            int words = ((b[off + n + 2] & 0xff) << 8) | (b[off + n + 3] & 0xff);
            n += 4 + 4 * words;
        }
        return n <= len ? n : -1;
    }

    /**
     * Writes into {@code dst} the RTX form of the (plaintext) packet {@code src}; returns its length, or -1 when the
     * source is malformed or {@code dst} has no room (including SRTP tailroom the caller needs).
     */
    public static int write(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int rtxPayloadType,
                            long rtxSsrc, int rtxSeq) {
        int h = headerLength(src, srcOff, srcLen);
        if (h < 0 || dstOff + srcLen + 2 > dst.length) {
            return -1;
        }
        System.arraycopy(src, srcOff, dst, dstOff, h);
        dst[dstOff] &= (byte) 0xdf;                                                   // no padding in the RTX packet
        dst[dstOff + 1] = (byte) ((src[srcOff + 1] & 0x80) | (rtxPayloadType & 0x7f)); // keep the marker bit
        dst[dstOff + 2] = (byte) (rtxSeq >>> 8);
        dst[dstOff + 3] = (byte) rtxSeq;
        RtpHeader.setSsrc(dst, dstOff, rtxSsrc);
        dst[dstOff + h] = src[srcOff + 2];                                             // OSN
        dst[dstOff + h + 1] = src[srcOff + 3];
        int payload = srcLen - h;
        if ((src[srcOff] & 0x20) != 0 && payload > 0) {
            payload -= src[srcOff + srcLen - 1] & 0xff;                                // drop the original padding
            payload = Math.max(0, payload);
        }
        System.arraycopy(src, srcOff + h, dst, dstOff + h + 2, payload);
        return h + 2 + payload;
    }
}
