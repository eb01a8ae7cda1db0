package org.janussfu.rtp;

/**
 * Walks a (decrypted) compound RTCP packet (RFC 3550 §6.1) and reports which keyframe requests it carries:
 * Picture Loss Indication (payload-specific feedback PT 206, FMT 1; RFC 4585 §6.3.1) and Full Intra Request
 * (PT 206, FMT 4; RFC 5104 §4.3.1). Stateless, allocation-free and exception-free, for the per-packet path of
 * any thread: a malformed packet simply ends the walk.
 */
public final class RtcpScan {
    /** Bit set in the result of {@link #keyframeRequests} when a PLI was found. */
    public static final int PLI = 1;
    /** Bit set in the result of {@link #keyframeRequests} when a FIR was found. */
    public static final int FIR = 2;
    private static final int PSFB = 206;

    private RtcpScan() {
    }

    /** Returns a combination of {@link #PLI} and {@link #FIR} found in {@code buf[off, off+len)}. */
    public static int keyframeRequests(byte[] buf, int off, int len) {
        int found = 0;
        int end = off + len;
        int p = off;
        while (p + 4 <= end) {
            int b0 = buf[p] & 0xff;
            if ((b0 >>> 6) != 2) {
                break; // not RTCP version 2
            }
            int fmt = b0 & 0x1f;
            int pt = buf[p + 1] & 0xff;
            int words = ((buf[p + 2] & 0xff) << 8) | (buf[p + 3] & 0xff);
            int size = (words + 1) * 4;
            if (p + size > end) {
                break; // length runs past the packet
            }
            if (pt == PSFB) {
                if (fmt == 1) {
                    found |= PLI;
                } else if (fmt == 4) {
                    found |= FIR;
                }
            }
            p += size;
        }
        return found;
    }
}
