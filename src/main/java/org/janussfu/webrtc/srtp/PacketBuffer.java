package org.janussfu.webrtc.srtp;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * A re-pointable {@link ByteArrayBuffer} view over {@code (buf, off, len)}, the packet type jitsi-srtp
 * transforms. {@link SrtpTransformer} keeps one instance and re-aims it at each packet with {@link #wrap}, so the
 * SRTP path allocates nothing. The growth rule follows jitsi-srtp's own test implementation: {@link #grow(int)}
 * ensures room for {@code n} more bytes after {@code offset + length}, replacing the array only when it is too
 * small (callers that need the packet to stay in place must provide tailroom; see
 * {@link SrtpTransformer#MIN_TAILROOM}). Single owner, not thread-safe.
 */
public final class PacketBuffer implements ByteArrayBuffer {
    private static final byte[] EMPTY = new byte[0];

    private byte[] buffer = EMPTY;
    private int offset;
    private int length;

    public PacketBuffer() {
    }

    public PacketBuffer(byte[] buffer, int offset, int length) {
        wrap(buffer, offset, length);
    }

    /** Points this view at another region; no allocation. */
    public PacketBuffer wrap(byte[] buffer, int offset, int length) {
        if (buffer == null || offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("region outside buffer");
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Drops the reference to the last packet so that it can be collected or reused elsewhere. */
    public void clear() {
        buffer = EMPTY;
        offset = 0;
        length = 0;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int length) {
        if (length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("length");
        }
        this.length = length;
    }

    @Override
    public void setOffset(int offset) {
        if (offset < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("offset");
        }
        this.offset = offset;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] outBuff) {
        int start = offset + off;
        if (off < 0 || len <= 0 || start + len > buffer.length || outBuff.length < len) {
            return;
        }
        System.arraycopy(buffer, start, outBuff, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (howMuch < 0) {
            throw new IllegalArgumentException("howMuch");
        }
        int needed = length + howMuch;
        if (needed > buffer.length - offset) {
            byte[] bigger = new byte[needed];
            System.arraycopy(buffer, offset, bigger, 0, length);
            buffer = bigger;
            offset = 0;
        }
    }

    @Override
    public void append(byte[] data, int len) {
        if (data == null || len == 0) {
            return;
        }
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len <= 0) {
            return;
        }
        length = Math.max(0, length - len);
    }
}
