package org.janussfu.loadtest.bench;

import io.vertx.core.Context;
import io.vertx.core.Handler;

import java.lang.invoke.VarHandle;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Benchmark-only copy of {@code org.janussfu.rtp.HandoffQueue} (commit 0043e97) with one change, the proposed fix
 * for a lost wake-up that {@link HandoffBench} found: {@code offer} published the slot with {@code lazySet} and
 * then read {@code scheduled}. A release store followed by a load of another variable may be reordered (x86 store
 * buffer), so the producer could still see {@code scheduled == true} while the consumer, having reset it, did not
 * yet see the new slot: both sides skip the drain and the item waits for the next offer. A full fence between the
 * slot's publication and the read of {@code scheduled} (Dekker's pairing with the consumer's volatile reset)
 * closes that window.
 */
final class FencedHandoffQueue<T> {
    /** Consumes items on the owning context; each item is the sink's from then on. */
    public interface Sink<T> {
        void accept(T item);
    }

    private final int mask;
    private final AtomicReferenceArray<T> slots;
    private final AtomicLongArray sequence;
    private final AtomicLong tail = new AtomicLong();
    private long head; // consumer only
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Context context;
    private final Sink<T> sink;
    private final Handler<Void> drain = v -> drain();
    private final AtomicLong dropped = new AtomicLong();

    /** @param capacity rounded up to a power of two */
    FencedHandoffQueue(int capacity, Context context, Sink<T> sink) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.mask = size - 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.sequence = new AtomicLongArray(size);
        for (int i = 0; i < size; i++) {
            sequence.set(i, i);
        }
        this.context = context;
        this.sink = sink;
    }

    /** Enqueues from any thread; false (counted) when full — the caller still owns {@code item} then. */
    public boolean offer(T item) {
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
        slots.lazySet(slot, item);
        sequence.lazySet(slot, pos + 1);
        VarHandle.fullFence(); // the fix: order the publication above before the read of scheduled below
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            context.runOnContext(drain);
        }
        return true;
    }

    /** On the owning context: hands every queued item to the sink. */
    private void drain() {
        while (true) {
            T item;
            while ((item = pollOne()) != null) {
                sink.accept(item);
            }
            scheduled.set(false);
            // A producer may have published between the last poll and the reset: take the drain back if so.
            if (sequence.get((int) (head & mask)) != head + 1 || !scheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private T pollOne() {
        int slot = (int) (head & mask);
        if (sequence.get(slot) != head + 1) {
            return null;
        }
        T item = slots.get(slot);
        slots.lazySet(slot, null);
        sequence.lazySet(slot, head + mask + 1);
        head++;
        return item;
    }

    public long dropped() {
        return dropped.get();
    }
}
