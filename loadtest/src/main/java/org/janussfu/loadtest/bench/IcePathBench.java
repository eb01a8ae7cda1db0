package org.janussfu.loadtest.bench;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import kotlin.Unit;
import kotlin.jvm.functions.Function1;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;
import org.janussfu.rtp.PacketPool;
import org.janussfu.rtp.PooledPacket;
import org.janussfu.webrtc.ice.IceBuffers;
import org.janussfu.webrtc.ice.IceConfig;
import org.janussfu.webrtc.ice.IceHarvesters;
import org.janussfu.webrtc.ice.IceTransport;
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
 * One media datagram through real ICE transports over 127.0.0.1: a client-mode {@link IceTransport} (as the
 * load generator uses) sends it, a server-mode one on the shared port ({@link IceHarvesters}, ice4j's push API)
 * receives it and hands it to a listener that does what {@code PeerConnection.datagram} does with SRTP — a pooled
 * holder adopts the array — and releases it at once. The benchmark thread waits (spinning) until the packet arrived,
 * so one operation is one datagram end to end and {@code gc.alloc.rate.norm} (all threads) is what the send and the
 * receive path allocate per datagram.
 *
 * <ul>
 *   <li>{@code send}: {@code ice4j} = {@link IceTransport#send} (ice4j's {@code Component.send}: a
 *       {@code DatagramPacket} per send, the JDK's {@code DatagramSocket.send}); {@code own} =
 *       {@link IceTransport#sendMedia} through our send channel (decision 0008).</li>
 *   <li>{@code receive}: {@code ice4j} = ice4j's default {@code BufferPool} functions (a new array and
 *       {@code Buffer} per datagram, what the server did before); {@code pooled} = {@link IceBuffers}.</li>
 * </ul>
 * The time per operation is a loopback round of two threads (sender and ice4j's reader) and says little; the
 * allocation is the point. ice4j's reader still allocates a little per datagram whatever the pool (a timestamp, the
 * sender's address, a boxed size), which is what {@code pooled} shows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IcePathBench {
    private static final long WAIT_NANOS = 5_000_000;

    @Param({"ice4j", "own"})
    String send;

    @Param({"ice4j", "pooled"})
    String receive;

    private IceHarvesters harvesters;
    private IceTransport server;
    private IceTransport client;
    private final PacketPool pool = new PacketPool(1024);
    private final AtomicLong received = new AtomicLong();
    private long expected;
    private long lost;
    private boolean own;
    private byte[] packet;
    private Function1<? super Integer, Buffer> savedGet;
    private Function1<? super Buffer, Unit> savedReturn;

    @Setup(Level.Trial)
    public void setup() throws IOException, InterruptedException {
        own = switch (send) {
            case "ice4j" -> false;
            case "own" -> true;
            default -> throw new IllegalArgumentException(send);
        };
        harvesters = new IceHarvesters(IceConfig.loopback(0)); // applies IceSafety, which installs IceBuffers
        savedGet = BufferPool.getBuffer;
        savedReturn = BufferPool.returnBuffer;
        if (receive.equals("ice4j")) {
            // ice4j's own defaults: a fresh array and Buffer per datagram, nothing kept on return.
            BufferPool.getBuffer = size -> new Buffer(new byte[size], 0, size);
            BufferPool.returnBuffer = b -> Unit.INSTANCE;
        } else if (!receive.equals("pooled")) {
            throw new IllegalArgumentException(receive);
        }
        CountDownLatch connected = new CountDownLatch(2);
        server = new IceTransport(harvesters, false, listener(connected, true));
        client = IceTransport.client(IceConfig.loopback(0), true, listener(connected, false));
        server.setRemoteCredentials(client.localUfrag(), client.localPassword());
        client.setRemoteCredentials(server.localUfrag(), server.localPassword());
        client.localCandidates().forEach(server::addRemoteCandidate);
        server.localCandidates().forEach(client::addRemoteCandidate);
        server.start();
        client.start();
        if (!connected.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("ICE did not connect");
        }
        if (own && !client.ownMediaRoute()) {
            throw new IllegalStateException("client has no own media route");
        }
        packet = BenchPackets.rtp(BenchPackets.VIDEO_SIZE, BenchPackets.VIDEO_PT, 0x5eed5eedL, 100, 5000, 3);
    }

    private IceTransport.Listener listener(CountDownLatch connected, boolean isServer) {
        return new IceTransport.Listener() {
            @Override
            public void onConnected(String pair) {
                connected.countDown();
            }

            @Override
            public void onFailed(String reason) {
                System.err.println("ICE failed: " + reason);
            }

            @Override
            public void onPacket(byte[] buf, int off, int len, Object loan) {
                if (!isServer) {
                    return;
                }
                PooledPacket p = pool.acquire();
                if (loan != null) {
                    p.adopt(buf, off, len, IceBuffers.LENDER, loan);
                } else {
                    p.copyFrom(buf, off, len, false);
                }
                p.release();
                received.incrementAndGet();
            }
        };
    }

    @Benchmark
    public long oneDatagram() {
        long target = ++expected;
        if (!(own ? client.sendMedia(packet, 0, packet.length) : client.send(packet, 0, packet.length))) {
            throw new IllegalStateException("send refused");
        }
        long deadline = System.nanoTime() + WAIT_NANOS;
        long r;
        while ((r = received.get()) < target) {
            if (System.nanoTime() > deadline) {
                lost++;
                expected = r; // resynchronise: count it lost and go on
                return r;
            }
            Thread.onSpinWait();
        }
        return r;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BufferPool.getBuffer = savedGet;
        BufferPool.returnBuffer = savedReturn;
        client.close();
        server.close();
        harvesters.close();
        System.out.println("received " + received.get() + ", lost " + lost + "; IceBuffers allocated "
                + IceBuffers.LENDER.allocated() + ", discarded " + IceBuffers.LENDER.discarded()
                + "; own send path: " + harvesters.ownSendPaths() + " address(es)");
    }
}
