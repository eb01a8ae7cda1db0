package org.janussfu.rtp;

import io.vertx.core.Context;
import io.vertx.core.Handler;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded, lock-free multi-producer queue of packet regions ({@code byte[]}, offset, length) that hands packets
 * from network threads (ice4j's readers) to the Vert.x context owning a connection, where {@link Sink} consumes
 * them in order. Producers never block: a full queue drops the packet and counts it. The drain is scheduled on the
 * context only when the queue goes from idle to busy, with one pre-built handler, so steady traffic costs no
 * allocation. Slot claiming follows D. Vyukov's bounded queue (a sequence number per slot).
 */
public final class PacketQueue {
    /** Consumes packets on the owning context; the array is the consumer's from then on. */
    public interface Sink {
        void onPacket(byte[] buf, int off, int len);
    }

    private final int mask;
    private final byte[][] bufs;
    private final int[] offs;
    private final int[] lens;
    private final AtomicLongArray sequence;
    private final AtomicLong tail = new AtomicLong();
    private long head; // consumer only
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Context context;
    private final Sink sink;
    private final Handler<Void> drain = v -> drain();
    private final AtomicLong dropped = new AtomicLong();

    /** @param capacity rounded up to a power of two */
    public PacketQueue(int capacity, Context context, Sink sink) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.mask = size - 1;
        this.bufs = new byte[size][];
        this.offs = new int[size];
        this.lens = new int[size];
        this.sequence = new AtomicLongArray(size);
        for (int i = 0; i < size; i++) {
            sequence.set(i, i);
        }
        this.context = context;
        this.sink = sink;
    }

    /** Enqueues a packet from any thread; false (and counted) when the queue is full. */
    public boolean offer(byte[] buf, int off, int len) {
        long pos;
        int slot;
        while (true) {
            pos = tail.get();
            slot = (int) (pos & mask);
            long seq = sequence.get(slot);
            if (seq == pos) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    break;
                }
            } else if (seq < pos) {
                dropped.incrementAndGet();
                return false;
            }
        }
        bufs[slot] = buf;
        offs[slot] = off;
        lens[slot] = len;
        sequence.lazySet(slot, pos + 1);
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            context.runOnContext(drain);
        }
        return true;
    }

    /** Runs on the owning context: hands every queued packet to the sink. */
    private void drain() {
        while (true) {
            while (pollOne()) {
                // keep draining
            }
            scheduled.set(false);
            // A producer may have published between the last poll and the reset: take the drain back if so.
            if (sequence.get((int) (head & mask)) != head + 1 || !scheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private boolean pollOne() {
        int slot = (int) (head & mask);
        if (sequence.get(slot) != head + 1) {
            return false;
        }
        byte[] b = bufs[slot];
        int o = offs[slot];
        int l = lens[slot];
        bufs[slot] = null;
        sequence.lazySet(slot, head + mask + 1);
        head++;
        sink.onPacket(b, o, l);
        return true;
    }

    public long dropped() {
        return dropped.get();
    }
}
