package org.janussfu.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.nio.charset.StandardCharsets;

/**
 * The event-bus codec of {@link MediaFrame}: on the wire {@code kind(1) target(8) flag(1) length(4) bytes} and, for
 * data-channel frames, label and protocol as length-prefixed UTF-8, the targets as {@code count(4) id(8)…} and the
 * stream sequence number {@code seq(4)}.
 * Decoding copies the payload once, straight into the {@code byte[]} the receiving plugin path reads (the built-in
 * {@code Buffer} codec would copy into a Buffer first), and refuses a length or count larger than what follows;
 * local delivery passes the frame object through. Stateless; any thread.
 */
final class MediaFrameCodec implements MessageCodec<MediaFrame, MediaFrame> {
    static final String NAME = "janus-sfu.media-frame";

    @Override
    public void encodeToWire(Buffer buffer, MediaFrame f) {
        buffer.appendByte(f.kind).appendLong(f.target).appendByte((byte) (f.flag ? 1 : 0)).appendInt(f.length);
        buffer.appendBytes(f.bytes, 0, f.length);
        if (f.kind == MediaFrame.DATA) {
            byte[] label = f.label.getBytes(StandardCharsets.UTF_8);
            byte[] protocol = f.protocol.getBytes(StandardCharsets.UTF_8);
            buffer.appendInt(label.length).appendBytes(label).appendInt(protocol.length).appendBytes(protocol);
            buffer.appendInt(f.targets.length);
            for (long t : f.targets) {
                buffer.appendLong(t);
            }
            buffer.appendInt(f.seq);
        }
    }

    @Override
    public MediaFrame decodeFromWire(int pos, Buffer buffer) {
        byte kind = buffer.getByte(pos);
        long target = buffer.getLong(pos + 1);
        boolean flag = buffer.getByte(pos + 9) != 0;
        int length = fits(buffer.getInt(pos + 10), 1, pos + 14, buffer);
        int at = pos + 14;
        byte[] bytes = new byte[length];
        buffer.getBytes(at, at + length, bytes);
        at += length;
        String label = null;
        String protocol = null;
        long[] targets = null;
        int seq = 0;
        if (kind == MediaFrame.DATA) {
            int ll = buffer.getInt(at);
            label = buffer.getString(at + 4, at + 4 + ll, "UTF-8");
            at += 4 + ll;
            int pl = buffer.getInt(at);
            protocol = buffer.getString(at + 4, at + 4 + pl, "UTF-8");
            at += 4 + pl;
            targets = new long[fits(buffer.getInt(at), 8, at + 4, buffer)];
            at += 4;
            for (int i = 0; i < targets.length; i++, at += 8) {
                targets[i] = buffer.getLong(at);
            }
            seq = buffer.getInt(at);
        }
        return new MediaFrame(kind, target, seq, targets, flag, bytes, length, label, protocol);
    }

    /** A count read from the wire, refused unless that many items of {@code size} bytes follow {@code from}. */
    private static int fits(int count, int size, int from, Buffer buffer) {
        if (count < 0 || count > (buffer.length() - from) / size) {
            throw new IllegalArgumentException("media frame: count " + count + " exceeds the message");
        }
        return count;
    }

    @Override
    public MediaFrame transform(MediaFrame f) {
        return f;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
