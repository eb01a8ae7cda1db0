package org.janussfu.webrtc.sctp;

import java.util.ArrayList;
import java.util.List;

/**
 * The INIT and INIT-ACK chunks (RFC 9260 §3.3.2, §3.3.3) with the parameters a WebRTC association needs: the state
 * cookie (INIT-ACK only), Supported Extensions (RFC 5061 §4.2.7) and Forward-TSN-Supported (RFC 3758 §3.1).
 * Parameters we do not know are handled by the upper two bits of their type (RFC 9260 §3.2.1): stop or skip, and
 * report or not; those to report are collected in {@link #unrecognized} and echoed in our INIT-ACK as Unrecognized
 * Parameter parameters. Address parameters are accepted and ignored (the transport is DTLS, RFC 8261 §4).
 * Immutable; owner's context.
 */
record InitChunk(boolean ack, int initiateTag, long aRwnd, int outboundStreams, int inboundStreams, int initialTsn,
                 byte[] cookie, boolean forwardTsnSupported, int[] supportedExtensions, List<byte[]> unrecognized)
        implements Chunk {

    static final int PARAM_IPV4 = 5;
    static final int PARAM_IPV6 = 6;
    static final int PARAM_STATE_COOKIE = 7;
    static final int PARAM_UNRECOGNIZED = 8;
    static final int PARAM_COOKIE_PRESERVATIVE = 9;
    static final int PARAM_HOSTNAME = 11;
    static final int PARAM_ADDRESS_TYPES = 12;
    /** RFC 5061 §4.2.7. */
    static final int PARAM_SUPPORTED_EXTENSIONS = 0x8008;
    /** RFC 3758 §3.1. */
    static final int PARAM_FORWARD_TSN_SUPPORTED = 0xC000;

    @Override
    public int type() {
        return ack ? INIT_ACK : INIT;
    }

    @Override
    public int flags() {
        return 0;
    }

    boolean peerSupports(int chunkType) {
        for (int t : supportedExtensions) {
            if (t == chunkType) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int valueLength() {
        int n = 16;
        if (ack && cookie != null) {
            n += WireBytes.pad4(4 + cookie.length);
        }
        if (supportedExtensions.length > 0) {
            n += WireBytes.pad4(4 + supportedExtensions.length);
        }
        if (forwardTsnSupported) {
            n += 4;
        }
        if (ack) {
            for (byte[] p : unrecognized) {
                n += WireBytes.pad4(4 + p.length);
            }
        }
        return n;
    }

    @Override
    public void writeValue(byte[] b, int off) {
        WireBytes.put32(b, off, initiateTag);
        WireBytes.put32(b, off + 4, aRwnd);
        WireBytes.put16(b, off + 8, outboundStreams);
        WireBytes.put16(b, off + 10, inboundStreams);
        WireBytes.put32(b, off + 12, initialTsn);
        int p = off + 16;
        if (ack && cookie != null) {
            p = writeParam(b, p, PARAM_STATE_COOKIE, cookie);
        }
        if (supportedExtensions.length > 0) {
            byte[] types = new byte[supportedExtensions.length];
            for (int i = 0; i < types.length; i++) {
                types[i] = (byte) supportedExtensions[i];
            }
            p = writeParam(b, p, PARAM_SUPPORTED_EXTENSIONS, types);
        }
        if (forwardTsnSupported) {
            p = writeParam(b, p, PARAM_FORWARD_TSN_SUPPORTED, ValueChunk.EMPTY);
        }
        if (ack) {
            for (byte[] u : unrecognized) {
                p = writeParam(b, p, PARAM_UNRECOGNIZED, u);
            }
        }
    }

    private static int writeParam(byte[] b, int p, int type, byte[] value) {
        WireBytes.put16(b, p, type);
        WireBytes.put16(b, p + 2, 4 + value.length);
        System.arraycopy(value, 0, b, p + 4, value.length);
        int end = p + WireBytes.pad4(4 + value.length);
        for (int i = p + 4 + value.length; i < end; i++) {
            b[i] = 0;
        }
        return end;
    }

    /** Decodes an INIT or INIT-ACK value; null when the fixed part or a parameter's framing is malformed. */
    static InitChunk decode(boolean ack, byte[] b, int off, int len) {
        if (len < 16) {
            return null;
        }
        byte[] cookie = null;
        boolean fwd = false;
        int[] ext = new int[0];
        List<byte[]> unrecognized = new ArrayList<>(0);
        int p = off + 16;
        int end = off + len;
        while (end - p >= 4) {
            int type = WireBytes.u16(b, p);
            int plen = WireBytes.u16(b, p + 2);
            if (plen < 4 || plen > end - p) {
                return null;
            }
            int v = p + 4;
            int vlen = plen - 4;
            switch (type) {
                case PARAM_STATE_COOKIE -> {
                    cookie = new byte[vlen];
                    System.arraycopy(b, v, cookie, 0, vlen);
                }
                case PARAM_SUPPORTED_EXTENSIONS -> {
                    ext = new int[vlen];
                    for (int i = 0; i < vlen; i++) {
                        ext[i] = b[v + i] & 0xFF;
                    }
                }
                case PARAM_FORWARD_TSN_SUPPORTED -> fwd = true;
                case PARAM_IPV4, PARAM_IPV6, PARAM_UNRECOGNIZED, PARAM_COOKIE_PRESERVATIVE, PARAM_HOSTNAME,
                     PARAM_ADDRESS_TYPES -> {
                    // Accepted and ignored: addresses mean nothing over DTLS, and we keep no cookie preservative.
                }
                default -> {
                    // RFC 9260 §3.2.1: bit 0x4000 = report, bit 0x8000 = skip and continue (else stop processing).
                    if ((type & 0x4000) != 0 && unrecognized.size() < 8) {
                        byte[] raw = new byte[plen];
                        System.arraycopy(b, p, raw, 0, plen);
                        unrecognized.add(raw);
                    }
                    if ((type & 0x8000) == 0) {
                        p = end;
                        continue;
                    }
                }
            }
            p += Math.min(WireBytes.pad4(plen), end - p);
        }
        return new InitChunk(ack, WireBytes.i32(b, off), WireBytes.u32(b, off + 4), WireBytes.u16(b, off + 8),
                WireBytes.u16(b, off + 10), WireBytes.i32(b, off + 12), cookie, fwd, ext, unrecognized);
    }
}
