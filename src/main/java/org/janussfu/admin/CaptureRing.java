package org.janussfu.admin;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded, preallocated byte ring between a capture's producer — the media loop, in {@link PacketCapture}'s
 * {@code onPacket} — and its file writer thread: one record per packet, a 16-byte header (saved and original
 * length, flags, timestamp in µs) and the saved bytes. Single producer, single consumer, no locks and no
 * allocation: the producer publishes with a release store of {@code tail}, the consumer frees space with a release
 * store of {@code head}. A record that does not fit is refused (the caller counts the drop): the media loop never
 * waits for the disk.
 */
final class CaptureRing {
    static final int HEADER = 16;
    static final int OUTGOING = 1;
    static final int RTCP = 2;

    private final byte[] buf;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    /** Producer only: its position, and the consumer's position as last seen. */
    private long produced;
    private long seenHead;

    /** @param capacity bytes, rounded up to a power of two */
    CaptureRing(int capacity) {
        int size = Integer.highestOneBit(Math.max(2 * HEADER, capacity - 1)) << 1;
        this.buf = new byte[size];
        this.mask = size - 1;
    }

    int capacity() {
        return buf.length;
    }

    /** Producer: one record of {@code saved} of the packet's {@code len} bytes; false when there is no room. */
    boolean offer(int flags, long micros, byte[] src, int off, int len, int saved) {
        int need = HEADER + saved;
        long t = produced;
        if (t + need - seenHead > buf.length) {
            seenHead = head.get();
            if (t + need - seenHead > buf.length) {
                return false;
            }
        }
        putShort(t, saved);
        putShort(t + 2, len);
        buf[(int) ((t + 4) & mask)] = (byte) flags;
        putLong(t + 8, micros);
        copyIn(t + HEADER, src, off, saved);
        produced = t + need;
        tail.lazySet(produced);
        return true;
    }

    /** Consumer's view of one record, filled by {@link #poll}. */
    static final class Record {
        int saved;
        int length;
        int flags;
        long micros;
        final byte[] data = new byte[65536];
    }

    /** Consumer: takes the oldest record into {@code r}; false when the ring is empty. */
    boolean poll(Record r) {
        long h = head.get();
        if (h >= tail.get()) {
            return false;
        }
        r.saved = getShort(h);
        r.length = getShort(h + 2);
        r.flags = buf[(int) ((h + 4) & mask)];
        r.micros = getLong(h + 8);
        copyOut(h + HEADER, r.data, r.saved);
        head.lazySet(h + HEADER + r.saved);
        return true;
    }

    private void copyIn(long pos, byte[] src, int off, int n) {
        int p = (int) (pos & mask);
        int first = Math.min(n, buf.length - p);
        System.arraycopy(src, off, buf, p, first);
        System.arraycopy(src, off + first, buf, 0, n - first);
    }

    private void copyOut(long pos, byte[] dst, int n) {
        int p = (int) (pos & mask);
        int first = Math.min(n, buf.length - p);
        System.arraycopy(buf, p, dst, 0, first);
        System.arraycopy(buf, 0, dst, first, n - first);
    }

    private void putShort(long pos, int v) {
        buf[(int) (pos & mask)] = (byte) (v >>> 8);
        buf[(int) ((pos + 1) & mask)] = (byte) v;
    }

    private int getShort(long pos) {
        return (buf[(int) (pos & mask)] & 0xff) << 8 | (buf[(int) ((pos + 1) & mask)] & 0xff);
    }

    private void putLong(long pos, long v) {
        for (int i = 0; i < 8; i++) {
            buf[(int) ((pos + i) & mask)] = (byte) (v >>> (56 - 8 * i));
        }
    }

    private long getLong(long pos) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (buf[(int) ((pos + i) & mask)] & 0xff);
        }
        return v;
    }
}
