package org.janussfu.cluster;

import java.nio.ByteBuffer;

/**
 * The datagram format of the node-to-node media relay ({@link MediaRelay}, decision 0014): a 24-byte header, then
 * one RTP packet exactly as the publisher's node decrypted it.
 *
 * <pre>
 *  0      2      3      4             8                    16                   24
 *  | "JR" | ver  | flags| sequence    | target (mirror id) | token (secret)     | RTP packet ...
 * </pre>
 *
 * {@code flags} bit 0 = video; {@code sequence} counts the frames of one relay (publisher, remote node) for loss
 * accounting; {@code target} is the receiving node's id for its mirror of the publisher and {@code token} the
 * random secret that node gave with its subscription, so a datagram from anyone else is dropped. Stateless static
 * methods; callers own the buffers.
 */
final class RelayFrame {
    static final int HEADER = 24;
    /** Largest RTP packet relayed (larger ones are not produced by the SRTP path; counted and dropped if seen). */
    static final int MAX_RTP = 2048;
    static final byte VERSION = 1;
    private static final byte M0 = 'J';
    private static final byte M1 = 'R';
    /** The smallest RTP packet: a 12-byte fixed header. */
    private static final int MIN_RTP = 12;

    private RelayFrame() {
    }

    /** Writes one frame into {@code out} (cleared first, flipped for sending); false (nothing written) if too big. */
    static boolean write(ByteBuffer out, boolean video, int seq, long target, long token, byte[] rtp, int off, int len) {
        if (len > MAX_RTP || out.capacity() < HEADER + len) {
            return false;
        }
        out.clear();
        out.put(M0).put(M1).put(VERSION).put((byte) (video ? 1 : 0)).putInt(seq).putLong(target).putLong(token)
                .put(rtp, off, len);
        out.flip();
        return true;
    }

    /**
     * Whether {@code buf[0..len)} is a frame of this version carrying something that looks like RTP (version 2, at
     * least the fixed header): the checks that cost nothing before the target and token are looked at.
     */
    static boolean wellFormed(byte[] buf, int len) {
        return len >= HEADER + MIN_RTP && len <= HEADER + MAX_RTP && buf[0] == M0 && buf[1] == M1 && buf[2] == VERSION
                && (buf[HEADER] & 0xc0) == 0x80;
    }

    static boolean video(byte[] buf) {
        return (buf[3] & 1) != 0;
    }

    static int sequence(byte[] buf) {
        return (buf[4] & 0xff) << 24 | (buf[5] & 0xff) << 16 | (buf[6] & 0xff) << 8 | (buf[7] & 0xff);
    }

    static long target(byte[] buf) {
        return longAt(buf, 8);
    }

    static long token(byte[] buf) {
        return longAt(buf, 16);
    }

    private static long longAt(byte[] b, int o) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[o + i] & 0xff);
        }
        return v;
    }
}
