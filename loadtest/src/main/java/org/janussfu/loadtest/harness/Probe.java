package org.janussfu.loadtest.harness;

import java.nio.charset.StandardCharsets;

/**
 * The measurement stamp every generated packet and message carries: kind (audio, video, data), whether it was sent
 * inside the measurement window, the sender's index, a per-(sender, kind) sequence number, and the send time
 * (System.nanoTime — every simulated participant lives in the one generator JVM, so sender and receiver clocks
 * agree). In RTP it sits at the start of the payload (after the header, its CSRCs and extensions, which the server
 * may rewrite); in data-channel messages it is a JSON array {@code "lt":[kind,measured,sender,seq,nanos]} inside a
 * NAF-like text message. Stateless; any thread.
 */
final class Probe {
    static final int AUDIO = 0;
    static final int VIDEO = 1;
    static final int DATA = 2;
    static final String[] KINDS = {"audio", "video", "data"};
    /** Bytes of the RTP payload stamp. */
    static final int RTP_STAMP = 20;

    private Probe() {
    }

    /** A parsed stamp (reused by the caller's thread). */
    static final class Stamp {
        int kind;
        boolean measured;
        int sender;
        long seq;
        long nanos;
    }

    /**
     * An RTP packet (RFC 3550 §5.1) of {@code payloadBytes} with the stamp, plus 32 spare bytes for the SRTP tag.
     */
    static byte[] rtp(int pt, boolean marker, int seq, long ts, long ssrc, int payloadBytes, int kind, boolean measured,
                      int sender, long stampSeq) {
        byte[] b = new byte[12 + payloadBytes + 32];
        org.janussfu.rtp.RtpHeader.write(b, 0, pt, seq, ts, ssrc);
        if (marker) {
            b[1] |= (byte) 0x80;
        }
        int o = 12;
        b[o] = 'L';
        b[o + 1] = 'T';
        b[o + 2] = (byte) kind;
        b[o + 3] = (byte) (measured ? 1 : 0);
        putInt(b, o + 4, sender);
        putInt(b, o + 8, (int) stampSeq);
        putLong(b, o + 12, System.nanoTime());
        return b;
    }

    /** Reads the stamp of a decrypted RTP packet; false when the packet carries none. */
    static boolean readRtp(byte[] b, int off, int len, Stamp s) {
        if (len < 12) {
            return false;
        }
        int cc = b[off] & 0x0f;
        int o = off + 12 + 4 * cc;
        if ((b[off] & 0x10) != 0) {
            if (o + 4 > off + len) {
                return false;
            }
            int words = (b[o + 2] & 0xff) << 8 | (b[o + 3] & 0xff);
            o += 4 + 4 * words;
        }
        if (o + RTP_STAMP > off + len || b[o] != 'L' || b[o + 1] != 'T') {
            return false;
        }
        s.kind = b[o + 2];
        s.measured = b[o + 3] != 0;
        s.sender = getInt(b, o + 4);
        s.seq = getInt(b, o + 8) & 0xffffffffL;
        s.nanos = getLong(b, o + 12);
        return true;
    }

    /** A NAF-like text message ({"dataType":"u",...}) of about {@code bytes} bytes with the stamp. */
    static byte[] data(int bytes, boolean measured, int sender, long seq) {
        StringBuilder sb = new StringBuilder(bytes + 64);
        sb.append("{\"dataType\":\"u\",\"data\":{\"lt\":[").append(DATA).append(',').append(measured ? 1 : 0).append(',')
                .append(sender).append(',').append(seq).append(',').append(System.nanoTime())
                .append("],\"networkId\":\"n").append(sender).append("\",\"components\":{\"0\":\"");
        while (sb.length() < bytes - 5) {
            sb.append('x');
        }
        sb.append("\"}}}");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the stamp of a data message; false when it carries none. */
    static boolean readData(byte[] d, int off, int len, Stamp s) {
        int end = off + Math.min(len, 120);
        int i = off;
        for (; i + 5 < end; i++) {
            if (d[i] == '"' && d[i + 1] == 'l' && d[i + 2] == 't' && d[i + 3] == '"' && d[i + 4] == ':' && d[i + 5] == '[') {
                break;
            }
        }
        if (i + 5 >= end) {
            return false;
        }
        long[] v = new long[5];
        int k = 0;
        long cur = 0;
        for (int j = i + 6; j < off + len && k < 5; j++) {
            byte c = d[j];
            if (c >= '0' && c <= '9') {
                cur = cur * 10 + (c - '0');
            } else if (c == ',' || c == ']') {
                v[k++] = cur;
                cur = 0;
                if (c == ']') {
                    break;
                }
            } else {
                return false;
            }
        }
        if (k < 5) {
            return false;
        }
        s.kind = (int) v[0];
        s.measured = v[1] != 0;
        s.sender = (int) v[2];
        s.seq = v[3];
        s.nanos = v[4];
        return true;
    }

    private static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int o, long v) {
        putInt(b, o, (int) (v >>> 32));
        putInt(b, o + 4, (int) v);
    }

    private static int getInt(byte[] b, int o) {
        return (b[o] & 0xff) << 24 | (b[o + 1] & 0xff) << 16 | (b[o + 2] & 0xff) << 8 | (b[o + 3] & 0xff);
    }

    private static long getLong(byte[] b, int o) {
        return ((long) getInt(b, o) << 32) | (getInt(b, o + 4) & 0xffffffffL);
    }
}
