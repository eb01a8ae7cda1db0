package org.janussfu.rtp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded, lock-free pool of {@link PooledPacket}s shared by all threads (an {@link MpmcRing}): a packet acquired
 * on a publisher's event loop is released on a subscriber's. When empty it allocates (counted); when full a released
 * packet is left to the garbage collector (counted). In steady state nothing is allocated. Owned by the media engine
 * (one per process); any thread may acquire and release.
 */
public final class PacketPool {
    private final MpmcRing<PooledPacket> free;
    private final AtomicLong allocated = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();

    /** @param capacity rounded up to a power of two; the pool starts empty and fills with released packets */
    public PacketPool(int capacity) {
        free = new MpmcRing<>(capacity);
    }

    public PooledPacket acquire() {
        PooledPacket p = free.poll();
        if (p != null) {
            return p;
        }
        allocated.incrementAndGet();
        return new PooledPacket(this);
    }

    void release(PooledPacket p) {
        if (!free.offer(p)) {
            discarded.incrementAndGet();
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
