package org.janussfu.loadtest.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.janussfu.media.LegServices;
import org.janussfu.media.LegSettings;
import org.janussfu.media.MediaCounters;
import org.janussfu.media.MediaLeg;
import org.janussfu.media.MediaTransport;
import org.janussfu.rtp.Packet;
import org.janussfu.rtp.PacketPool;
import org.janussfu.rtp.PooledPacket;
import org.janussfu.webrtc.srtp.SrtpProfile;
import org.janussfu.webrtc.srtp.SrtpTransformer;
import org.janussfu.webrtc.ice.UdpSendChannels;
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

/**
 * Per-subscriber cost of forwarding one publisher packet to N subscribers on the production classes: each subscriber
 * is a real {@link MediaLeg} and the benchmark calls {@link MediaLeg#relay} as {@code CoreGateway.relayRtp} does —
 * acquire a {@link PooledPacket} and copy the publisher's (already decrypted) packet into it, rewrite SSRC/seq/ts
 * ({@code OutboundStream}), count, hand it to the leg's {@link MediaTransport}, then keep video in the
 * {@link MediaLeg#NACK_RING}-packet NACK ring (releasing the packet it evicts) or release audio. The transport here
 * stands for {@code PeerConnection.sendRtp}: SRTP-protect with that subscriber's own {@link SrtpTransformer}, then
 * send as {@code send} says. The benchmark thread stands for the media loop (the transport says it is on the media
 * thread, so every relay is forwarded inline, as on the server); the legs are attached on a one-loop Vert.x context,
 * whose media ticker then runs each leg's checks (a sender report a second, not protected here: the bench
 * transport drops RTCP) — racy reads of the stream counters, outside the measured path. Scores are per packet per
 * subscriber ({@code @OperationsPerInvocation(N)}). The {@code HandoffQueue} hop of the paths that still cross
 * threads is measured separately in {@link HandoffBench}.
 *
 * <p>{@code send}:
 * <ul>
 *   <li>{@code none}: everything but the syscall (CPU in Java).</li>
 *   <li>{@code channel}: a non-blocking connected {@link DatagramChannel} per subscriber, written from one direct
 *       scratch buffer per thread (the copy the JDK would otherwise make into its temporary direct buffer; no
 *       allocation).</li>
 *   <li>{@code socket}: what ice4j's {@code Component.send} ends in: a new {@link DatagramPacket} per send
 *       handed to a {@link DatagramSocket} (one per subscriber) — shows the JDK/ice4j-side allocation. This is the
 *       server's send path before decision 0008.</li>
 *   <li>{@code shared}: the server's send path since decision 0008: {@link UdpSendChannels} opened as
 *       {@code IceHarvesters} opens them ({@link UdpSendChannels#DEFAULT_COUNT} non-blocking channels sharing one
 *       port), {@link UdpSendChannels#send} to each subscriber's own target address object (so the JDK re-encodes
 *       the destination per send, as with many peers). What {@code IceTransport.sendMedia} adds around it — a
 *       volatile read and a counter — is not included.</li>
 * </ul>
 * All sockets send to one UDP sink on 127.0.0.1 that is never read: its small receive buffer fills and the kernel
 * drops the rest (the sender's syscall cost is the same; no second thread competes for the two cores).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FanOutBench {
    static final int MAX_SUBSCRIBERS = 50;
    /** The server's per-subscriber video NACK ring. */
    static final int NACK_RING = MediaLeg.NACK_RING;

    /** audio-gcm: 100 B Opus-size, GCM; video-gcm / video-cm: 1200 B, GCM / AES-CM + HMAC-SHA1-80. */
    @Param({"audio-gcm", "video-gcm", "video-cm"})
    String variant;

    @Param({"none", "channel", "socket", "shared"})
    String send;

    private PacketPool pool;
    private Vertx vertx;
    private Context mediaContext;
    private final MediaCounters counters = new MediaCounters();
    /** Calls of the legs' listeners (none expected; the ticker's thread may add, hence an adder). */
    private final java.util.concurrent.atomic.LongAdder unexpected = new java.util.concurrent.atomic.LongAdder();
    private Subscriber[] subs;
    private byte[] source;
    private Packet sourcePacket;
    private int size;
    private boolean video;
    private int publisherSeq;
    private long publisherTs;
    private int tsStep;
    private int sendMode;
    private ByteBuffer scratch;
    private DatagramChannel sink;
    private UdpSendChannels shared;
    private long sendErrors;
    private long srtpErrors;

    /**
     * One subscriber: its leg, the connection it sends on (the transport below) and the leg's listener, which hears
     * nothing here (the subscribers receive no media; the checks find no stream to report on) and counts what it would.
     */
    private final class Subscriber implements MediaTransport, MediaLeg.Listener {
        MediaLeg leg;
        SrtpTransformer srtp;
        DatagramChannel channel;
        DatagramSocket socket;
        InetSocketAddress target;
        /** The protected length of the latest packet (returned to JMH). */
        int last;

        /** {@code PeerConnection.sendRtp}: protect in place, then send. */
        @Override
        public int sendRtp(byte[] buf, int off, int len) {
            int n = srtp.protectRtp(buf, off, len);
            if (n < 0) {
                srtpErrors++;
                return last = n;
            }
            if (sendMode != 0) {
                transmit(this, buf, off, n);
            }
            return last = n;
        }

        @Override
        public boolean resend(byte[] buf, int off, int len) {
            return false; // no NACKs in this benchmark
        }

        @Override
        public boolean sendRtcp(byte[] buf, int off, int len) {
            return true; // the media ticker's reports, on its own thread: not protected, not sent
        }

        @Override
        public Context mediaContext() {
            return mediaContext;
        }

        @Override
        public boolean onMediaThread() {
            return true; // the benchmark thread stands for the media loop
        }

        @Override
        public void incomingRtp(Packet packet) {
            unexpected.increment();
        }

        @Override
        public void incomingRtcp(Packet packet) {
            unexpected.increment();
        }

        @Override
        public void mediaEvent(String type, boolean receiving) {
            unexpected.increment();
        }

        @Override
        public void slowlink(String media, long lost) {
            unexpected.increment();
        }
    }

    private static final LegSettings SETTINGS = new LegSettings() {
        @Override
        public long noMediaMillis() {
            return 0;
        }

        @Override
        public long nackQueueNanos() {
            return 500_000_000L;
        }
    };

    @Setup(Level.Trial)
    public void setup() throws IOException {
        SrtpProfile profile;
        switch (variant) {
            case "audio-gcm": size = BenchPackets.AUDIO_SIZE; video = false; profile = SrtpProfile.AEAD_AES_128_GCM;
                break;
            case "video-gcm": size = BenchPackets.VIDEO_SIZE; video = true; profile = SrtpProfile.AEAD_AES_128_GCM;
                break;
            case "video-cm": size = BenchPackets.VIDEO_SIZE; video = true;
                profile = SrtpProfile.AES128_CM_HMAC_SHA1_80;
                break;
            default: throw new IllegalArgumentException(variant);
        }
        sendMode = switch (send) {
            case "none" -> 0;
            case "channel" -> 1;
            case "socket" -> 2;
            case "shared" -> 3;
            default -> throw new IllegalArgumentException(send);
        };
        tsStep = video ? 3000 : 960;
        source = BenchPackets.rtp(size, video ? BenchPackets.VIDEO_PT : BenchPackets.AUDIO_PT, 0x5eed5eedL, 100,
                5000, 3);
        sourcePacket = new Packet(source, 0, size, video);
        // Enough for every ring plus what is in flight, so the steady state never allocates.
        pool = new PacketPool(MAX_SUBSCRIBERS * NACK_RING + 1024);
        scratch = ByteBuffer.allocateDirect(PooledPacket.MAX_PACKET + PooledPacket.TAILROOM);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        if (sendMode != 0) {
            sink = DatagramChannel.open();
            sink.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
            sink.bind(new InetSocketAddress(loopback, 0));
        }
        if (sendMode == 3) {
            shared = UdpSendChannels.openShared(loopback, 0, UdpSendChannels.DEFAULT_COUNT);
        }
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        mediaContext = vertx.getOrCreateContext();
        LegServices services = new LegServices(counters, SETTINGS, pool, vertx, 0);
        subs = new Subscriber[MAX_SUBSCRIBERS];
        for (int i = 0; i < MAX_SUBSCRIBERS; i++) {
            Subscriber s = new Subscriber();
            s.srtp = new SrtpTransformer(BenchPackets.keyPair(profile, 1000 + i)[0]);
            s.leg = new MediaLeg(services, s, 0x10000000L + i, 0x18000000L + i, 0x1c000000L + i);
            s.leg.connect(s);
            if (sendMode == 1) {
                s.channel = DatagramChannel.open();
                s.channel.bind(new InetSocketAddress(loopback, 0));
                s.channel.connect(sink.getLocalAddress());
                s.channel.configureBlocking(false);
            } else if (sendMode == 2) {
                s.socket = new DatagramSocket(new InetSocketAddress(loopback, 0));
                s.target = (InetSocketAddress) sink.getLocalAddress();
            } else if (sendMode == 3) {
                InetSocketAddress a = (InetSocketAddress) sink.getLocalAddress();
                s.target = new InetSocketAddress(a.getAddress(), a.getPort()); // one object per subscriber
            }
            subs[i] = s;
        }
        // As PeerConnection's listener does when SRTP is up: the legs attach on their media context.
        onMediaContext(() -> {
            for (Subscriber s : subs) {
                s.leg.attach(s);
            }
        });
    }

    private void onMediaContext(Runnable r) {
        FutureTask<Void> task = new FutureTask<>(r, null);
        mediaContext.runOnContext(v -> task.run());
        try {
            task.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    @OperationsPerInvocation(1)
    public int fanOut1() {
        return fanOut(1);
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public int fanOut10() {
        return fanOut(10);
    }

    @Benchmark
    @OperationsPerInvocation(50)
    public int fanOut50() {
        return fanOut(50);
    }

    /** One publisher packet (the next in its stream) to the first {@code n} subscribers. */
    private int fanOut(int n) {
        BenchPackets.setSequence(source, 0, ++publisherSeq);
        publisherTs += tsStep;
        BenchPackets.setTimestamp(source, 0, publisherTs);
        int sum = 0;
        for (int i = 0; i < n; i++) {
            sum += forward(subs[i]);
        }
        return sum;
    }

    /** {@code CoreGateway.relayRtp} → {@link MediaLeg#relay}, forwarded at once (inline). */
    private int forward(Subscriber s) {
        s.leg.relay(sourcePacket);
        return s.last;
    }

    private void transmit(Subscriber s, byte[] buf, int off, int len) {
        try {
            if (sendMode == 1) {
                ByteBuffer b = scratch;
                b.clear();
                b.put(buf, off, len).flip();
                if (s.channel.write(b) != len) {
                    sendErrors++;
                }
            } else if (sendMode == 3) {
                if (!shared.send(buf, off, len, s.target)) {
                    sendErrors++;
                }
            } else {
                s.socket.send(new DatagramPacket(buf, off, len, s.target));
            }
        } catch (IOException e) {
            sendErrors++;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        onMediaContext(() -> {
            for (Subscriber s : subs) {
                s.leg.detach(true); // the ring back to the pool, the ticker stopped
            }
        });
        vertx.close().toCompletionStage().toCompletableFuture().join();
        for (Subscriber s : subs) {
            s.srtp.close();
            if (s.channel != null) {
                s.channel.close();
            }
            if (s.socket != null) {
                s.socket.close();
            }
        }
        if (sink != null) {
            sink.close();
        }
        if (shared != null) {
            shared.close();
        }
        System.out.println("pool: allocated " + pool.allocated() + ", discarded " + pool.discarded()
                + "; send errors " + sendErrors + ", SRTP errors " + srtpErrors + "; forwarded "
                + counters.rtpForwarded.sum() + ", dropped " + counters.mediaDroppedNoPeerConnection.sum()
                + "; leg events " + unexpected.sum());
        if (srtpErrors > 0) {
            throw new IllegalStateException(srtpErrors + " packets refused by SRTP");
        }
    }
}
