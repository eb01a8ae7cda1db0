package org.janussfu.loadtest.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

import org.janussfu.rtp.OutboundStream;
import org.janussfu.rtp.PacketPool;
import org.janussfu.rtp.PooledPacket;
import org.janussfu.webrtc.SrtpKeys;
import org.janussfu.webrtc.SrtpProfile;
import org.janussfu.webrtc.SrtpTransformer;
import org.janussfu.webrtc.UdpSendChannels;
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
 * Per-subscriber cost of forwarding one publisher packet to N subscribers, the way the server's egress does it
 * ({@code CoreGateway.relayRtp} then {@code HandleMedia.forward}): acquire a {@link PooledPacket} and copy the
 * publisher's (already decrypted) packet into it, {@link OutboundStream#rewrite} SSRC/seq/ts, SRTP-protect with
 * that subscriber's own {@link SrtpTransformer}, send, then keep video in the 128-packet NACK ring (releasing the
 * packet it evicts) or release audio. Scores are per packet per subscriber ({@code @OperationsPerInvocation(N)}).
 * The {@code HandoffQueue} hop between publisher and subscriber loops is measured separately in
 * {@link HandoffBench}; add it once per subscriber for the whole path.
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
    /** The server's per-subscriber video NACK ring (HandleMedia.NACK_RING). */
    static final int NACK_RING = 128;

    /** audio-gcm: 100 B Opus-size, GCM; video-gcm / video-cm: 1200 B, GCM / AES-CM + HMAC-SHA1-80. */
    @Param({"audio-gcm", "video-gcm", "video-cm"})
    String variant;

    @Param({"none", "channel", "socket", "shared"})
    String send;

    private PacketPool pool;
    private Subscriber[] subs;
    private byte[] source;
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

    private static final class Subscriber {
        SrtpTransformer srtp;
        OutboundStream out;
        DatagramChannel channel;
        DatagramSocket socket;
        InetSocketAddress target;
    }

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
        subs = new Subscriber[MAX_SUBSCRIBERS];
        for (int i = 0; i < MAX_SUBSCRIBERS; i++) {
            Subscriber s = new Subscriber();
            s.srtp = new SrtpTransformer(BenchPackets.keyPair(profile, 1000 + i)[0]);
            s.out = new OutboundStream(0x10000000L + i, video ? 90000 : 48000, video ? NACK_RING : 0);
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

    private int forward(Subscriber s) {
        // CoreGateway.relayRtp: the one copy per recipient.
        PooledPacket p = pool.acquire();
        p.copyFrom(source, 0, size, video);
        // HandleMedia.forward on the subscriber's loop.
        OutboundStream out = s.out;
        int seq = out.rewrite(p.buffer(), p.offset(), p.length(), System.nanoTime());
        int n = s.srtp.protectRtp(p.buffer(), p.offset(), p.length());
        if (n < 0) {
            srtpErrors++;
            p.release();
            return n;
        }
        if (sendMode != 0) {
            transmit(s, p.buffer(), p.offset(), n);
        }
        if (video) {
            p.setLength(n);
            out.remember(p, seq);
        } else {
            p.release();
        }
        return n;
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
        for (Subscriber s : subs) {
            s.out.clear();
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
                + "; send errors " + sendErrors + ", SRTP errors " + srtpErrors);
        if (srtpErrors > 0) {
            throw new IllegalStateException(srtpErrors + " packets refused by SRTP");
        }
    }
}
