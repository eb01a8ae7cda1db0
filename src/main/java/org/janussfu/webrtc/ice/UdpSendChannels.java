package org.janussfu.webrtc.ice;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Our own send path for media (decision 0008): one or more non-blocking, send-only {@link DatagramChannel}s bound to
 * the local address and port of an ICE candidate, so SRTP/SRTCP leaves from the base of the selected pair's local
 * candidate (RFC 8445 §12.1; the peer accepts only that 5-tuple, §7.2.5.2.1) without ice4j's {@code DatagramPacket}
 * per send or the JDK's {@code InetSocketAddress} per {@code DatagramSocket.send}. ice4j keeps its own sockets on the
 * same port for receiving and for STUN/DTLS/SCTP; the kernel delivers unicast datagrams to the most recently bound of
 * several {@code SO_REUSEADDR} sockets, so binding these <em>first</em> leaves all reception to ice4j —
 * {@link #selfCheck} verifies that at startup.
 *
 * <p>Owners: {@link IceHarvesters} owns one set of {@link #DEFAULT_COUNT} channels per shared-port address (opened
 * before the harvester, closed at shutdown); in client and port-range mode {@link UdpPortPair} owns a set of one per
 * connection. Threads: {@link #send} is called from any thread — in practice each connection's owner event loop. Each
 * sending thread gets, once, a slot: a round-robin index choosing its channel (the JDK serialises sends on one channel
 * with a lock, so distinct event loops use distinct channels as long as there are at least as many channels as loops)
 * and a direct buffer the packet is copied into (the copy the JDK would otherwise make from a heap buffer into its own
 * temporary direct buffer). No allocation, no lock of ours, no exception escapes; failures are counted.
 */
public final class UdpSendChannels implements AutoCloseable {
    /** Channels per shared-port address: Vert.x's default event-loop count (2 × CPUs), at most 16. */
    public static final int DEFAULT_COUNT = Math.min(16, Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
    /** Bytes of each thread's direct send buffer; larger datagrams are wrapped (allocates, counted). */
    static final int SLOT_BYTES = 2048;
    /** Kernel receive buffer of a send-only channel: nothing should ever arrive. */
    private static final int RECEIVE_BUFFER = 4096;
    /** How long {@link #selfCheck} waits for its first probe, which normally arrives within microseconds. */
    private static final long ARRIVAL_MILLIS = 1000;

    private static final AtomicInteger NEXT_SLOT = new AtomicInteger();
    private static final ThreadLocal<Slot> SLOT = ThreadLocal.withInitial(Slot::new);

    /** One sending thread's channel index and copy buffer. */
    private static final class Slot {
        final int index = NEXT_SLOT.getAndIncrement() & Integer.MAX_VALUE;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(SLOT_BYTES);
    }

    private final DatagramChannel[] channels;
    private final InetSocketAddress local;
    private final LongAdder sent = new LongAdder();
    private final LongAdder full = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder oversized = new LongAdder();
    private volatile boolean closed;

    private UdpSendChannels(DatagramChannel[] channels, InetSocketAddress local) {
        this.channels = channels;
        this.local = local;
    }

    /**
     * Opens {@code count} channels on {@code address:port}, all with {@code SO_REUSEADDR} so that ice4j's sockets can
     * bind the same port afterwards. With port 0 the first channel picks an ephemeral port and the others join it.
     * The channels use the JVM's default protocol family, like ice4j's {@code DatagramSocket}s: an {@code AF_INET}
     * socket would outrank ice4j's dual-stack ones and receive its IPv4 datagrams (see decision 0008).
     *
     * @throws IOException if a bind fails (the channels opened so far are closed)
     */
    public static UdpSendChannels openShared(InetAddress address, int port, int count) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1");
        }
        DatagramChannel[] chs = new DatagramChannel[count];
        int bound = port;
        try {
            for (int i = 0; i < count; i++) {
                DatagramChannel ch = DatagramChannel.open();
                chs[i] = ch;
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
                ch.bind(new InetSocketAddress(address, bound));
                ch.configureBlocking(false);
                bound = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            }
        } catch (IOException | RuntimeException e) {
            closeAll(chs);
            throw e;
        }
        return new UdpSendChannels(chs, new InetSocketAddress(address, bound));
    }

    /** One channel, already bound and non-blocking (client and port-range mode, see {@link UdpPortPair}). */
    static UdpSendChannels of(DatagramChannel channel) throws IOException {
        InetSocketAddress a = (InetSocketAddress) channel.getLocalAddress();
        return new UdpSendChannels(new DatagramChannel[] {channel}, a);
    }

    /** The bound address and port (the real port when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return local;
    }

    public int count() {
        return channels.length;
    }

    /**
     * Sends one datagram to {@code to} from the shared port. False — counted, never thrown — when the socket's send
     * buffer is full (the packet is dropped: an event loop never waits for the kernel) or on an I/O error.
     */
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        if (closed) {
            failed.increment(); // shutting down: no exception per packet
            return false;
        }
        Slot s = SLOT.get();
        DatagramChannel ch = channels[s.index % channels.length];
        ByteBuffer b;
        if (len <= SLOT_BYTES) {
            b = s.buffer;
            b.clear();
            b.put(buf, off, len).flip();
        } else {
            oversized.increment();
            b = ByteBuffer.wrap(buf, off, len);
        }
        try {
            if (ch.send(b, to) == len) {
                sent.increment();
                return true;
            }
            full.increment();
        } catch (IOException | RuntimeException e) {
            failed.increment(); // closed at teardown, or an unreachable address family
        }
        return false;
    }

    /**
     * Startup check (blocking: until the first probe arrives, at most a second, then {@code waitMillis}): a probe
     * sent from one of the channels must leave
     * from the shared port, and a probe sent <em>to</em> the shared port must reach none of the channels (it is
     * ice4j's: its sockets were bound later; datagrams from others that reached the channels before that bind — peers
     * of a previous process on a restart — are discarded, not taken as evidence). Returns null when both hold, else
     * what went wrong. The probes go
     * only to our own bound address (or loopback for a wildcard bind), never elsewhere (decision 2); ice4j drops the
     * second one as a non-STUN datagram from an unknown source.
     */
    public String selfCheck(long waitMillis) {
        InetAddress target = probeAddress(local.getAddress());
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(target, 0));
            probe.configureBlocking(false);
            ByteBuffer rx = ByteBuffer.allocate(64);
            channels[0].send(ByteBuffer.wrap(token()), probe.getLocalAddress());
            InetSocketAddress from = (InetSocketAddress) await(probe, rx, ARRIVAL_MILLIS);
            if (from == null) {
                return "a probe sent from the send channel to " + probe.getLocalAddress() + " did not arrive within "
                        + ARRIVAL_MILLIS + " ms";
            }
            if (from.getPort() != local.getPort()) {
                return "the send channel's datagrams leave from port " + from.getPort() + ", not " + local.getPort();
            }
            // Datagrams that reached the channels before the later socket was bound are not evidence: on a restart
            // under live traffic, peers of the previous process keep sending to the port. Only our own probe is.
            takeAll(rx, null);
            byte[] second = token();
            probe.send(ByteBuffer.wrap(second), new InetSocketAddress(target, local.getPort()));
            long deadline = System.nanoTime() + waitMillis * 1_000_000L;
            do {
                if (takeAll(rx, second)) {
                    return "a send channel received a datagram sent to the shared port " + local
                            + " (it would take ICE's traffic)";
                }
                Thread.sleep(5);
            } while (System.nanoTime() < deadline);
            return null;
        } catch (IOException e) {
            return "probe failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Takes every datagram waiting on the channels (at most 1024 each); whether one of them was {@code token}. With
     * a null token it only drains others' traffic from before the later bind.
     */
    private boolean takeAll(ByteBuffer rx, byte[] token) throws IOException {
        boolean found = false;
        for (DatagramChannel ch : channels) {
            for (int i = 0; i < 1024; i++) {
                rx.clear();
                if (ch.receive(rx) == null) {
                    break;
                }
                rx.flip();
                found |= token != null && rx.equals(ByteBuffer.wrap(token));
            }
        }
        return found;
    }

    /** Whether any channel has a datagram waiting (it takes them); for the checks only. */
    boolean receivedAny(ByteBuffer rx) throws IOException {
        boolean any = false;
        for (DatagramChannel ch : channels) {
            rx.clear();
            any |= ch.receive(rx) != null;
        }
        return any;
    }

    /** The address a probe is sent to: the bound one, or loopback of the same family for a wildcard bind. */
    static InetAddress probeAddress(InetAddress bound) {
        if (!bound.isAnyLocalAddress()) {
            return bound;
        }
        return bound instanceof Inet4Address ? IceCandidates.loopbackV4() : InetAddress.getLoopbackAddress();
    }

    /** A datagram no ICE, DTLS or RTP parser accepts: first byte 255 (RFC 7983 §7 assigns it to nothing). */
    static byte[] token() {
        byte[] t = new byte[16];
        ThreadLocalRandom.current().nextBytes(t);
        t[0] = (byte) 0xFF;
        return t;
    }

    /** Polls a non-blocking channel until a datagram arrives or {@code waitMillis} pass; its sender, or null. */
    static SocketAddress await(DatagramChannel ch, ByteBuffer rx, long waitMillis)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        while (true) {
            rx.clear();
            SocketAddress from = ch.receive(rx);
            if (from != null || System.nanoTime() >= deadline) {
                return from;
            }
            Thread.sleep(2);
        }
    }

    /** Datagrams handed to the kernel. */
    public long sent() {
        return sent.sum();
    }

    /** Datagrams dropped because the socket's send buffer was full. */
    public long dropped() {
        return full.sum();
    }

    /** Sends that failed with an error (e.g. after close). */
    public long failed() {
        return failed.sum();
    }

    /** Datagrams larger than a slot's buffer (sent from a wrapped array, which allocates). */
    public long oversized() {
        return oversized.sum();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Closes every channel; later sends fail (counted). Idempotent. */
    @Override
    public void close() {
        closed = true;
        closeAll(channels);
    }

    private static void closeAll(DatagramChannel[] chs) {
        for (DatagramChannel ch : chs) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing a datagram channel does not fail in practice; nothing to do either way
                }
            }
        }
    }
}
