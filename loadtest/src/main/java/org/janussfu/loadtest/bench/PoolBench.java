package org.janussfu.loadtest.bench;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.janussfu.rtp.PacketPool;
import org.janussfu.rtp.PooledPacket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Getting a packet into a buffer that jitsi-srtp can work on (a {@code byte[]} with tailroom), and giving the
 * buffer back, per packet:
 * <ul>
 *   <li>{@code pooledHeap}: the server's {@link PacketPool}: acquire, {@code copyFrom}, release.</li>
 *   <li>{@code freshHeap}: {@code new byte[1532]} + copy, left to the GC.</li>
 *   <li>{@code nettyDirect}: {@code PooledByteBufAllocator.DEFAULT.directBuffer(1532)}, copy in (what a receive
 *       into off-heap memory costs), then the extra copy into a {@code byte[]} scratch that jitsi-srtp needs,
 *       release. Netty 4.2 gives no thread cache to threads that are not Netty's own (the JMH thread here, an
 *       ice4j receive thread in the server): {@code io.netty.allocator.useCacheForAllThreads=false}.</li>
 *   <li>{@code nettyDirectCached}: the same with an allocator that gives every thread a cache (what a Vert.x
 *       event loop gets from {@code DEFAULT}).</li>
 *   <li>{@code nettyHeap}: {@code PooledByteBufAllocator.DEFAULT.heapBuffer(1532)} (array-backed, so jitsi-srtp
 *       could use {@code array()} without the extra copy), copy in, release.</li>
 * </ul>
 * A direct buffer saves the JDK's own copy into its temporary direct buffer at send time, and a heap buffer pays
 * it; that copy is in {@link FanOutBench}'s {@code channel} mode for heap buffers and not counted here.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PoolBench {
    static final int CAPACITY = PooledPacket.MAX_PACKET + PooledPacket.TAILROOM;

    @Param({"100", "1200"})
    int size;

    private byte[] source;
    private byte[] scratch;
    private PacketPool pool;
    private PooledByteBufAllocator cached;

    @Setup(Level.Trial)
    public void setup() {
        source = BenchPackets.rtp(size, BenchPackets.VIDEO_PT, 0xabcdefL, 1, 1, 5);
        scratch = new byte[CAPACITY];
        pool = new PacketPool(1024);
        cached = new PooledByteBufAllocator(true, PooledByteBufAllocator.defaultNumHeapArena(),
                PooledByteBufAllocator.defaultNumDirectArena(), PooledByteBufAllocator.defaultPageSize(),
                PooledByteBufAllocator.defaultMaxOrder(), PooledByteBufAllocator.defaultSmallCacheSize(),
                PooledByteBufAllocator.defaultNormalCacheSize(), true);
    }

    @Benchmark
    public int pooledHeap() {
        PooledPacket p = pool.acquire();
        p.copyFrom(source, 0, size, true);
        int last = p.buffer()[p.offset() + p.length() - 1];
        p.release();
        return last;
    }

    @Benchmark
    public byte[] freshHeap() {
        byte[] b = new byte[CAPACITY];
        System.arraycopy(source, 0, b, 0, size);
        return b;
    }

    @Benchmark
    public int nettyDirect() {
        return direct(PooledByteBufAllocator.DEFAULT);
    }

    @Benchmark
    public int nettyDirectCached() {
        return direct(cached);
    }

    private int direct(PooledByteBufAllocator alloc) {
        ByteBuf b = alloc.directBuffer(CAPACITY);
        b.writeBytes(source, 0, size);
        b.getBytes(0, scratch, 0, size);
        b.release();
        return scratch[size - 1];
    }

    @Benchmark
    public int nettyHeap() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.heapBuffer(CAPACITY);
        b.writeBytes(source, 0, size);
        int last = b.array()[b.arrayOffset() + size - 1];
        b.release();
        return last;
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.println("PacketPool allocated " + pool.allocated() + ", discarded " + pool.discarded());
    }
}
