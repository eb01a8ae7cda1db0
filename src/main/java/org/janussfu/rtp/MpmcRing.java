package org.janussfu.rtp;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free multi-producer multi-consumer ring of free objects (D. Vyukov's bounded MPMC queue): the
 * storage behind the process's object pools ({@link PacketPool}, the ICE receive buffers). Any thread may offer and
 * poll; it never blocks, never allocates after construction, and simply refuses when full or answers null when
 * empty — the pool that owns it decides what that means and counts it. Owned by that pool.
 */
public final class MpmcRing<T> {
    private final int mask;
    private final AtomicReferenceArray<T> slots;
    private final AtomicLongArray sequence;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    /** @param capacity rounded up to a power of two (at least 2); the ring starts empty */
    public MpmcRing(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        mask = size - 1;
        slots = new AtomicReferenceArray<>(size);
        sequence = new AtomicLongArray(size);
        for (int i = 0; i < size; i++) {
            sequence.set(i, i);
        }
    }

    /** The oldest object in the ring, or null when it is empty. */
    public T poll() {
        while (true) {
            long pos = head.get();
            int slot = (int) (pos & mask);
            long diff = sequence.get(slot) - (pos + 1);
            if (diff == 0) {
                if (head.compareAndSet(pos, pos + 1)) {
                    T item = slots.getAndSet(slot, null);
                    sequence.lazySet(slot, pos + mask + 1);
                    return item;
                }
            } else if (diff < 0) {
                return null;
            }
        }
    }

    /** Puts {@code item} in the ring; false (the caller keeps it) when the ring is full. */
    public boolean offer(T item) {
        while (true) {
            long pos = tail.get();
            int slot = (int) (pos & mask);
            long diff = sequence.get(slot) - pos;
            if (diff == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    slots.set(slot, item);
                    sequence.lazySet(slot, pos + 1);
                    return true;
                }
            } else if (diff < 0) {
                return false;
            }
        }
    }

    /** The number of slots (a power of two). */
    public int capacity() {
        return mask + 1;
    }
}
