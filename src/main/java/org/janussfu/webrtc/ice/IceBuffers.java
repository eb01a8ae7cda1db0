package org.janussfu.webrtc.ice;

import kotlin.Unit;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;
import org.janussfu.rtp.MpmcRing;
import org.janussfu.rtp.PooledPacket;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The receive buffers ice4j's shared-port reader fills: a process-wide pool of ice4j {@link Buffer}s, each married to
 * one packet-sized array ({@link PooledPacket#MAX_PACKET} + {@link PooledPacket#TAILROOM} bytes, so every datagram
 * keeps at least {@link IceSafety#TAILROOM} spare bytes for the SRTP tag). {@link #install()} puts its functions
 * into ice4j's static {@code BufferPool.getBuffer}/{@code returnBuffer}, whose defaults allocate a new array and
 * {@code Buffer} for every datagram. One instance per process because those hooks are JVM-global; every engine and
 * every test server in the JVM shares it, which is correct because a buffer carries nothing but bytes.
 *
 * <p>Threads: ice4j's reader threads take buffers; whoever ends a packet's life gives them back — ice4j for STUN
 * and dropped datagrams, a {@link PooledPacket} that adopted the array (on a session context, via
 * {@link PooledPacket.Lender}), or {@link #giveBack} after a copy. Lock-free ({@link MpmcRing}); nothing allocates
 * once the pool has grown to the number of datagrams in flight. An empty pool allocates (counted), a full one lets
 * the returned buffer go (counted). A buffer must be given back at most once; losing one is harmless (the garbage
 * collector takes it and the pool allocates another), returning one twice would let two packets share an array —
 * which is why {@link UdpEndpoint} never returns a buffer whose listener threw (it may have adopted it).
 */
public final class IceBuffers implements PooledPacket.Lender {
    /** Bytes in every pooled array. */
    public static final int CAPACITY = PooledPacket.MAX_PACKET + PooledPacket.TAILROOM;
    /** Buffers kept when idle (≈ 6 MiB); more in flight just means some are collected on return. */
    static final int POOL_SIZE = 4096;

    /** The process-wide instance, also the {@link PooledPacket.Lender} of adopted receive arrays. */
    public static final IceBuffers LENDER = new IceBuffers(POOL_SIZE);

    private static boolean installed;

    private final MpmcRing<Buffer> free;
    private final AtomicLong allocated = new AtomicLong();
    private final AtomicLong oversized = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();

    IceBuffers(int poolSize) {
        free = new MpmcRing<>(poolSize);
    }

    /**
     * Makes ice4j take its receive buffers from {@link #LENDER} and give them back to it. Idempotent; called by
     * {@link IceSafety#apply} before the first harvester exists.
     */
    static synchronized void install() {
        if (installed) {
            return;
        }
        BufferPool.getBuffer = size -> LENDER.take(size);
        BufferPool.returnBuffer = b -> {
            LENDER.giveBack(b);
            return Unit.INSTANCE;
        };
        installed = true;
    }

    /** Whether ice4j's hooks point at this pool. */
    public static synchronized boolean isInstalled() {
        return installed;
    }

    /** A buffer of at least {@code size} bytes (offset 0, length {@code size}), as ice4j's default would give. */
    Buffer take(int size) {
        if (size > CAPACITY) {
            oversized.incrementAndGet();
            return new Buffer(new byte[size], 0, size);
        }
        Buffer b = free.poll();
        if (b == null) {
            allocated.incrementAndGet();
            return new Buffer(new byte[CAPACITY], 0, size);
        }
        b.setOffset(0);
        b.setLength(size);
        return b;
    }

    /** Returns ice4j's buffer of a packet whose bytes are no longer needed (null is ignored). Any thread. */
    public void giveBack(Object loan) {
        if (!(loan instanceof Buffer)) {
            return;
        }
        Buffer b = (Buffer) loan;
        if (b.getBuffer().length != CAPACITY) {
            return; // an oversized one, or not made here: let it go
        }
        b.setRemoteAddress(null);
        b.setLocalAddress(null);
        b.setReceivedTime(null);
        if (!free.offer(b)) {
            discarded.incrementAndGet();
        }
    }

    /** {@link PooledPacket.Lender}: a released packet gives its adopted receive buffer back. */
    @Override
    public void takeBack(Object loan) {
        giveBack(loan);
    }

    /** Buffers created because the pool was empty. */
    public long allocated() {
        return allocated.get();
    }

    /** Requests larger than {@link #CAPACITY} (served unpooled). */
    public long oversized() {
        return oversized.get();
    }

    /** Returned buffers let go because the pool was full. */
    public long discarded() {
        return discarded.get();
    }
}
