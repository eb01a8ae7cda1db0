package org.janussfu.rtp;

/**
 * Static accessors for the fixed RTP header (RFC 3550 §5.1) over {@code (byte[], offset)}: payload type, marker,
 * sequence number, timestamp and SSRC. No validation beyond what each accessor needs; callers check the length
 * ({@link #MIN_LENGTH}) first. Stateless, allocation-free, any thread.
 */
public final class RtpHeader {
    public static final int MIN_LENGTH = 12;

    private RtpHeader() {
    }

    public static int payloadType(byte[] b, int off) {
        return b[off + 1] & 0x7f;
    }

    public static int sequence(byte[] b, int off) {
        return ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    public static long timestamp(byte[] b, int off) {
        return ((long) (b[off + 4] & 0xff) << 24) | ((b[off + 5] & 0xff) << 16) | ((b[off + 6] & 0xff) << 8)
                | (b[off + 7] & 0xff);
    }

    public static long ssrc(byte[] b, int off) {
        return ((long) (b[off + 8] & 0xff) << 24) | ((b[off + 9] & 0xff) << 16) | ((b[off + 10] & 0xff) << 8)
                | (b[off + 11] & 0xff);
    }

    public static void setSsrc(byte[] b, int off, long ssrc) {
        RtcpFeedback.putInt(b, off + 8, ssrc);
    }

    /**
     * Writes a fixed RTP header (V=2, no padding, extension or CSRC, marker clear) and returns its length, 12. For
     * generators of synthetic media (tests, the load harness).
     */
    public static int write(byte[] b, int off, int payloadType, int seq, long timestamp, long ssrc) {
        b[off] = (byte) 0x80;
        b[off + 1] = (byte) (payloadType & 0x7f);
        b[off + 2] = (byte) (seq >>> 8);
        b[off + 3] = (byte) seq;
        RtcpFeedback.putInt(b, off + 4, timestamp);
        RtcpFeedback.putInt(b, off + 8, ssrc);
        return MIN_LENGTH;
    }

    /** Whether the region is plausibly RTP: long enough and version 2. */
    public static boolean isRtp(byte[] b, int off, int len) {
        return len >= MIN_LENGTH && (b[off] & 0xc0) == 0x80;
    }
}
