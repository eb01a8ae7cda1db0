package org.janussfu.rtp;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free pool of {@link PooledPacket}s shared by all threads (D. Vyukov's bounded MPMC queue): a
 * packet acquired on a publisher's event loop is released on a subscriber's. When empty it allocates (counted);
 * when full a released packet is left to the garbage collector (counted). In steady state nothing is allocated.
 */
public final class PacketPool {
    private final int mask;
    private final AtomicReferenceArray<PooledPacket> slots;
    private final AtomicLongArray sequence;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong allocated = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();

    /** @param capacity rounded up to a power of two; the pool starts empty and fills with released packets */
    public PacketPool(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        mask = size - 1;
        slots = new AtomicReferenceArray<>(size);
        sequence = new AtomicLongArray(size);
        for (int i = 0; i < size; i++) {
            sequence.set(i, i);
        }
    }

    public PooledPacket acquire() {
        while (true) {
            long pos = head.get();
            int slot = (int) (pos & mask);
            long seq = sequence.get(slot);
            long diff = seq - (pos + 1);
            if (diff == 0) {
                if (head.compareAndSet(pos, pos + 1)) {
                    PooledPacket p = slots.getAndSet(slot, null);
                    sequence.lazySet(slot, pos + mask + 1);
                    return p;
                }
            } else if (diff < 0) {
                allocated.incrementAndGet();
                return new PooledPacket(this);
            }
        }
    }

    void release(PooledPacket p) {
        while (true) {
            long pos = tail.get();
            int slot = (int) (pos & mask);
            long seq = sequence.get(slot);
            long diff = seq - pos;
            if (diff == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    slots.set(slot, p);
                    sequence.lazySet(slot, pos + 1);
                    return;
                }
            } else if (diff < 0) {
                discarded.incrementAndGet();
                return;
            }
        }
    }

    /** Packets created because the pool was empty (grows only while traffic ramps up). */
    public long allocated() {
        return allocated.get();
    }

    /** Released packets dropped because the pool was full. */
    public long discarded() {
        return discarded.get();
    }
}
