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
 * random secret that node gave with its subscription, so a datagram from anyone else is dropped.
 *
 * <p>A data-channel frame ({@code flags} bit 1; bit 2 = binary) carries one message for some of the receiving node's
 * handles: {@code sequence} is its number in the sending node's {@link DataRoute} to that node, {@code target} and
 * {@code token} that route's stream id and secret ({@link DataStream}), and the body is
 * {@code label-length(2) label protocol-length(2) protocol count(2) handle-id(8)… payload}. Stateless static
 * methods; callers own the buffers.
 */
final class RelayFrame {
    static final int HEADER = 24;
    /** Largest RTP packet relayed (larger ones are not produced by the SRTP path; counted and dropped if seen). */
    static final int MAX_RTP = 2048;
    static final byte VERSION = 1;
    private static final byte M0 = 'J';
    private static final byte M1 = 'R';
    private static final int DATA = 2;
    private static final int BINARY = 4;
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
                && (buf[3] & DATA) == 0 && (buf[HEADER] & 0xc0) == 0x80;
    }

    /** Whether {@code buf[0..len)} has a data-channel frame's header (its body is checked by {@link #readData}). */
    static boolean isData(byte[] buf, int len) {
        return len >= HEADER + 6 && len <= HEADER + MAX_RTP && buf[0] == M0 && buf[1] == M1 && buf[2] == VERSION
                && (buf[3] & DATA) != 0;
    }

    /**
     * Writes one data-channel frame of {@code f} (a {@link MediaFrame#DATA} with its route's sequence number) into
     * {@code out}; false (nothing to send: the message goes on the event bus alone) if it does not fit one frame.
     */
    static boolean writeData(ByteBuffer out, long stream, long token, MediaFrame f) {
        byte[] label = f.label.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] protocol = f.protocol.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int size = HEADER + 6 + label.length + protocol.length + 8 * f.targets.length + f.length;
        if (size > HEADER + MAX_RTP || size > out.capacity() || f.targets.length > 0xffff) {
            return false;
        }
        out.clear();
        out.put(M0).put(M1).put(VERSION).put((byte) (DATA | (f.flag ? BINARY : 0))).putInt(f.seq).putLong(stream)
                .putLong(token);
        out.putShort((short) label.length).put(label).putShort((short) protocol.length).put(protocol)
                .putShort((short) f.targets.length);
        for (long t : f.targets) {
            out.putLong(t);
        }
        out.put(f.bytes, 0, f.length).flip();
        return true;
    }

    /**
     * The message of a data-channel frame ({@link #isData} and token already checked), with its sequence number and
     * the stream id as its {@code target}; null if the body's lengths do not add up (dropped and counted).
     */
    static MediaFrame readData(byte[] b, int len) {
        ByteBuffer in = ByteBuffer.wrap(b, HEADER, len - HEADER);
        try {
            String label = string(in);
            String protocol = string(in);
            int count = in.getShort() & 0xffff;
            if (count == 0 || count > in.remaining() / 8) {
                return null;
            }
            long[] targets = new long[count];
            for (int i = 0; i < count; i++) {
                targets[i] = in.getLong();
            }
            byte[] payload = new byte[in.remaining()];
            in.get(payload);
            return MediaFrame.data(target(b), sequence(b), targets, label, protocol, (b[3] & BINARY) != 0, payload);
        } catch (java.nio.BufferUnderflowException e) {
            return null; // a length larger than the datagram: once per junk datagram, never per good packet
        }
    }

    private static String string(ByteBuffer in) {
        int n = in.getShort() & 0xffff;
        if (n > in.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, java.nio.charset.StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
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
