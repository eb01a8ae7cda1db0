package org.janussfu.rtp;

/**
 * Builds and unwraps RTP retransmission packets (RFC 4588 §4): the original header (with its CSRCs and header
 * extension) but the RTX payload type, the RTX SSRC and the RTX stream's own sequence number, and a payload that
 * starts with the original sequence number (OSN) followed by the original payload. Stateless, allocation-free,
 * exception-free, any thread.
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

    /**
     * The OSN of an RTX packet, or -1 when it has none: malformed, or padding only (RFC 4588 §4: what a sender
     * sends on the RTX stream to probe bandwidth carries no OSN).
     */
    public static int originalSequence(byte[] b, int off, int len) {
        int h = headerLength(b, off, len);
        if (h < 0) {
            return -1;
        }
        int payload = len - h;
        if ((b[off] & 0x20) != 0 && payload > 0) {
            payload -= b[off + len - 1] & 0xff;
        }
        if (payload < 2) {
            return -1;
        }
        return ((b[off + h] & 0xff) << 8) | (b[off + h + 1] & 0xff);
    }

    /**
     * Turns an RTX packet back into the original in place (RFC 4588 §4): sequence number = OSN, payload type
     * {@code payloadType} (the marker bit kept), SSRC {@code ssrc}, the OSN removed (the payload moves two bytes
     * back; padding, if any, stays at the end). Returns the new length, or -1 (then nothing changed) if the packet
     * has no OSN.
     */
    public static int unwrap(byte[] b, int off, int len, int payloadType, long ssrc) {
        int osn = originalSequence(b, off, len);
        if (osn < 0) {
            return -1;
        }
        int h = headerLength(b, off, len);
        System.arraycopy(b, off + h + 2, b, off + h, len - h - 2);
        b[off + 1] = (byte) ((b[off + 1] & 0x80) | (payloadType & 0x7f));
        b[off + 2] = (byte) (osn >>> 8);
        b[off + 3] = (byte) osn;
        RtpHeader.setSsrc(b, off, ssrc);
        return len - 2;
    }
}
