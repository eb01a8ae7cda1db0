package org.janussfu.loadtest.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.janussfu.rtp.HandoffQueue;
import org.janussfu.rtp.OutboundStream;
import org.janussfu.rtp.PacketPool;
import org.janussfu.rtp.PooledPacket;
import org.janussfu.webrtc.srtp.SrtpKeys;
import org.janussfu.webrtc.srtp.SrtpProfile;
import org.janussfu.webrtc.srtp.SrtpTransformer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One publisher packet, arriving alone (browser rates: nearly every datagram finds idle threads), fanned out to the
 * other members of a room, until the last subscriber's copy is protected — the two designs of decision 0013 with the
 * production classes ({@link HandoffQueue}, {@link PacketPool}, {@link OutboundStream}, {@link SrtpTransformer}):
 * <ul>
 *   <li>{@code handoff} (before 0013): the reader thread (the benchmark thread) hands the packet to the publisher's
 *       event loop, which copies it once per subscriber into each subscriber's queue on that subscriber's own event
 *       loop (four loops, as Vert.x has on this box), where it is rewritten and protected;</li>
 *   <li>{@code inline} (0013): the thread that read the packet does all of it.</li>
 * </ul>
 * SRTP decrypt and the send syscall are the same in both and left out. The score is wall time per packet per
 * subscriber until the last copy is done (the benchmark thread parks while it waits, as a reader thread sleeps in its
 * select; the last subscriber unparks it, as the next datagram would wake it); each iteration also prints the whole
 * process's CPU time per packet per subscriber ({@code cpu ns/op}), which is what the hops cost the box. Both
 * designs also pay the kernel's wake-up of the reading thread per datagram at low rates; {@code inline} never sleeps
 * here, so that one wake-up is missing from its figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RunToCompletionBench {
    static final int MAX_SUBSCRIBERS = 14;

    @Param({"inline", "handoff"})
    String path;

    private Vertx vertx;
    private PacketPool pool;
    private Sub[] subs;
    private HandoffQueue<PooledPacket> toPublisher;
    private int fanOut;
    private final AtomicLong done = new AtomicLong();
    private volatile long target;
    private volatile Thread waiter;
    private byte[] source;
    private int seq;
    private long ts;
    private long ops;
    private long cpuAtStart;
    private long srtpErrors;

    private final class Sub {
        SrtpTransformer srtp;
        OutboundStream out;
        HandoffQueue<PooledPacket> queue;
    }

    @Setup(Level.Trial)
    public void setup() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
        pool = new PacketPool(4096);
        source = BenchPackets.rtp(BenchPackets.AUDIO_SIZE, BenchPackets.AUDIO_PT, 0x5eed5eedL, 100, 5000, 3);
        Context publisher = vertx.getOrCreateContext();
        subs = new Sub[MAX_SUBSCRIBERS];
        for (int i = 0; i < MAX_SUBSCRIBERS; i++) {
            Sub s = new Sub();
            SrtpKeys k = BenchPackets.keyPair(SrtpProfile.AEAD_AES_128_GCM, 2000 + i)[0];
            s.srtp = new SrtpTransformer(k);
            s.out = new OutboundStream(0x20000000L + i, 48000, 0);
            Context c = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
            s.queue = new HandoffQueue<>(512, c, p -> {
                forward(s, p);
                finished();
            });
            subs[i] = s;
        }
        toPublisher = new HandoffQueue<>(512, publisher, this::fanOutOnPublisher);
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        ops = 0;
        cpuAtStart = processCpuNanos();
    }

    @Benchmark
    @OperationsPerInvocation(3)
    public long room4() {
        return packet(3);
    }

    @Benchmark
    @OperationsPerInvocation(14)
    public long room15() {
        return packet(14);
    }

    private long packet(int n) {
        BenchPackets.setSequence(source, 0, ++seq);
        ts += 960;
        BenchPackets.setTimestamp(source, 0, ts);
        ops += n;
        if (path.equals("inline")) {
            for (int i = 0; i < n; i++) {
                PooledPacket p = pool.acquire();
                p.copyFrom(source, 0, source.length, false);
                forward(subs[i], p);
            }
            return seq;
        }
        waiter = Thread.currentThread();
        long t = done.get() + n;
        target = t;
        fanOut = n;
        PooledPacket p = pool.acquire();
        p.copyFrom(source, 0, source.length, false);
        if (!toPublisher.offer(p)) {
            p.release();
            return -1;
        }
        while (done.get() < t) {
            java.util.concurrent.locks.LockSupport.park(this); // like a reader thread back in its select
        }
        return seq;
    }

    /** A subscriber's copy is done; the last one wakes the benchmark thread (the next datagram would wake it). */
    private void finished() {
        if (done.incrementAndGet() >= target) {
            java.util.concurrent.locks.LockSupport.unpark(waiter);
        }
    }

    /** On the publisher's loop: one copy per subscriber into its queue (CoreGateway.relayRtp before 0013). */
    private void fanOutOnPublisher(PooledPacket in) {
        for (int i = 0, n = fanOut; i < n; i++) {
            PooledPacket p = pool.acquire();
            p.copyFrom(in.buffer(), in.offset(), in.length(), false);
            if (!subs[i].queue.offer(p)) {
                p.release();
                finished();
            }
        }
        in.release();
    }

    /** MediaLeg.forward without the send (a copy of it, to compare topologies): rewrite, protect, release (audio keeps no ring). */
    private void forward(Sub s, PooledPacket p) {
        s.out.rewrite(p.buffer(), p.offset(), p.length(), System.nanoTime());
        if (s.srtp.protectRtp(p.buffer(), p.offset(), p.length()) < 0) {
            srtpErrors++;
        }
        p.release();
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        long cpu = processCpuNanos() - cpuAtStart;
        System.out.println("  " + path + ": process cpu ns/op " + (ops == 0 ? 0 : cpu / ops) + " (" + ops + " ops)");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vertx.close().await();
        for (Sub s : subs) {
            s.srtp.close();
        }
        if (srtpErrors > 0) {
            throw new IllegalStateException(srtpErrors + " packets refused by SRTP");
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
