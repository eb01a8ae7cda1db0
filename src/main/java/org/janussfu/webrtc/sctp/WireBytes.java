package org.janussfu.webrtc.sctp;

/**
 * Big-endian field access and serial-number arithmetic for the SCTP codecs (RFC 9260 §3: all integer fields are in
 * network byte order; TSNs are 32-bit and SSNs 16-bit serial numbers, RFC 9260 §1.6 / RFC 1982). Stateless static
 * helpers, usable from any thread; callers check bounds before reading.
 */
final class WireBytes {

    private WireBytes() {
    }

    static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    static int i32(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static long u32(byte[] b, int off) {
        return i32(b, off) & 0xFFFFFFFFL;
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void put32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** Rounds a chunk or parameter length up to the 4-byte boundary (RFC 9260 §3.2, §3.2.1). */
    static int pad4(int len) {
        return (len + 3) & ~3;
    }

    /**
     * Unwraps a 32-bit TSN into the 64-bit space around {@code reference} (itself unwrapped): the result is the value
     * congruent to {@code tsn} mod 2^32 nearest to the reference (serial arithmetic, RFC 9260 §1.6).
     */
    static long unwrapTsn(long reference, int tsn) {
        return reference + (int) (tsn - (int) reference);
    }

    /** True when SSN {@code a} precedes SSN {@code b} in 16-bit serial arithmetic. */
    static boolean ssnBefore(int a, int b) {
        return (short) (a - b) < 0;
    }
}
