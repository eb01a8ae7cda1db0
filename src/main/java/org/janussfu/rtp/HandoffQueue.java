package org.janussfu.rtp;

import io.vertx.core.Context;
import io.vertx.core.Handler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free multi-producer queue that hands objects (packets) from any thread to the Vert.x context that
 * owns their consumer, where {@link Sink} takes them in order. Producers never block: when the queue is full the
 * offer fails, the drop is counted and the producer keeps its object (to release it). The drain is scheduled on the
 * context only when the queue goes from idle to busy, with one pre-built handler, so steady traffic allocates
 * nothing. One slow consumer fills only its own queue. Slots follow D. Vyukov's bounded queue. They are allocated
 * at the first offer, not at construction: on the run-to-completion path (decision 0013) most queues never hand
 * anything over, and three rings per PeerConnection at the default sizes are ~30 KB of heap (7 MB in a room of 15).
 */
public final class HandoffQueue<T> {
    /** Consumes items on the owning context; each item is the sink's from then on. */
    public interface Sink<T> {
        void accept(T item);
    }

    private static final VarHandle RING;

    static {
        try {
            RING = MethodHandles.lookup().findVarHandle(HandoffQueue.class, "ring", Ring.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The slots and their sequence numbers, one allocation for the life of the queue. */
    private static final class Ring<T> {
        final AtomicReferenceArray<T> slots;
        final AtomicLongArray sequence;

        Ring(int size) {
            slots = new AtomicReferenceArray<>(size);
            sequence = new AtomicLongArray(size);
            for (int i = 0; i < size; i++) {
                sequence.set(i, i);
            }
        }
    }

    private final int mask;
    /** Null until the first offer; set once (CAS), then read by producers and the consumer. */
    private volatile Ring<T> ring;
    private final AtomicLong tail = new AtomicLong();
    private long head; // consumer only
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Context context;
    private final Sink<T> sink;
    private final Handler<Void> drain = v -> drain();
    private final AtomicLong dropped = new AtomicLong();

    /** @param capacity rounded up to a power of two */
    public HandoffQueue(int capacity, Context context, Sink<T> sink) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.mask = size - 1;
        this.context = context;
        this.sink = sink;
    }

    /** Enqueues from any thread; false (counted) when full — the caller still owns {@code item} then. */
    public boolean offer(T item) {
        Ring<T> r = ring;
        if (r == null) {
            r = allocate();
        }
        AtomicLongArray sequence = r.sequence;
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
        r.slots.lazySet(slot, item);
        // A full volatile store, not lazySet: the publication must not be reordered after the read of `scheduled`
        // below (StoreLoad), or a consumer that is just resetting `scheduled` and this producer can miss each other
        // and strand the item until the next offer (found by HandoffBench; drain() re-checks after its reset).
        sequence.set(slot, pos + 1);
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            context.runOnContext(drain);
        }
        return true;
    }

    /** The first offer's: installs the ring, or takes the one a racing producer installed first. */
    @SuppressWarnings("unchecked")
    private Ring<T> allocate() {
        Ring<T> fresh = new Ring<>(mask + 1);
        Ring<T> witness = (Ring<T>) RING.compareAndExchange(this, (Ring<T>) null, fresh);
        return witness == null ? fresh : witness;
    }

    /** On the owning context: hands every queued item to the sink (scheduled only after an offer, so the ring is set). */
    private void drain() {
        Ring<T> r = ring; // read once per drain, not once per item
        AtomicLongArray sequence = r.sequence;
        while (true) {
            T item;
            while ((item = pollOne(r)) != null) {
                sink.accept(item);
            }
            scheduled.set(false);
            // A producer may have published between the last poll and the reset: take the drain back if so.
            if (sequence.get((int) (head & mask)) != head + 1 || !scheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private T pollOne(Ring<T> r) {
        int slot = (int) (head & mask);
        if (r.sequence.get(slot) != head + 1) {
            return null;
        }
        T item = r.slots.get(slot);
        r.slots.lazySet(slot, null);
        r.sequence.lazySet(slot, head + mask + 1);
        head++;
        return item;
    }

    /** Whether anything was ever offered (the ring exists): for tests. */
    boolean allocated() {
        return ring != null;
    }

    public long dropped() {
        return dropped.get();
    }

    /** Items waiting now: a racy estimate from any thread (the consumer's position is read without a fence), for gauges. */
    public int depth() {
        return (int) Math.max(0, Math.min(mask + 1, tail.get() - head));
    }

    /** Items handed over so far (successful offers): each was one thread hand-off. */
    public long handedOff() {
        return tail.get();
    }
}
