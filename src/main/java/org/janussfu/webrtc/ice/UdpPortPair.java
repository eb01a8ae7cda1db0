package org.janussfu.webrtc.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A UDP port owned by one connection (client mode and port-range mode, see {@link IceGeneration}) with two
 * sockets on it: a plain {@link DatagramSocket} that ice4j wraps (it receives every datagram and sends STUN, DTLS and
 * SCTP) and our send-only channel for media ({@link UdpSendChannels}, decision 0008). Created on the thread that
 * gathers the connection's candidate; owned and closed by that {@link IceGeneration}.
 *
 * <p><b>Binding.</b> The channel binds first <em>without</em> {@code SO_REUSEADDR} — so the bind fails when anything
 * already holds the port, which is how the port-range search finds a free port — then turns {@code SO_REUSEADDR} on,
 * ice4j's socket binds the same port with it (the kernel gives unicast datagrams to the most recently bound socket:
 * ice4j's), and both turn it off again, so that nothing else can join the port afterwards.
 *
 * <p><b>Check.</b> Whether the kernel really behaves so is checked once per process ({@link #available}), on a
 * throw-away pair; if not, every connection falls back to ice4j's own socket and send path (logged once at WARNING).
 */
public final class UdpPortPair {
    private static final Logger LOG = Logger.getLogger(UdpPortPair.class.getName());
    private static final long CHECK_WAIT_MILLIS = 1000;
    private static final int RECEIVE_BUFFER = 4096;

    private static String verdict; // guarded by the class; null = not checked yet, "" = fine, else the problem

    /** ice4j's socket: bound, not yet wrapped. */
    final DatagramSocket iceSocket;
    /** Our media channel on the same port. */
    final UdpSendChannels media;

    private UdpPortPair(DatagramSocket iceSocket, UdpSendChannels media) {
        this.iceSocket = iceSocket;
        this.media = media;
    }

    /**
     * Binds both sockets on {@code address:port} (0 = an ephemeral port).
     *
     * @throws SocketException (a {@link java.net.BindException}) when the port is in use
     */
    static UdpPortPair bind(InetAddress address, int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open(); // the JVM's default family, like ice4j's socket (decision 0008)
        DatagramSocket s = null;
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
            ch.bind(new InetSocketAddress(address, port));
            InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            s = new DatagramSocket(null);
            s.setReuseAddress(true);
            s.bind(local);
            s.setReuseAddress(false);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, false);
            ch.configureBlocking(false);
            return new UdpPortPair(s, UdpSendChannels.of(ch));
        } catch (IOException | RuntimeException e) {
            if (s != null) {
                s.close();
            }
            ch.close();
            throw e;
        }
    }

    /** Closes both sockets. */
    void close() {
        media.close();
        iceSocket.close();
    }

    /**
     * Whether connections should use a pair (checked once per process on {@code address}, blocking up to about two
     * seconds the first time): false means ice4j's own socket and send path.
     */
    public static synchronized boolean available(InetAddress address) {
        if (verdict == null) {
            String problem = check(address);
            verdict = problem == null ? "" : problem;
            if (problem != null) {
                LOG.log(Level.WARNING, () -> "own UDP send path disabled for per-connection sockets: " + problem
                        + "; media goes through ice4j's sockets");
            }
        }
        return verdict.isEmpty();
    }

    /** What the check found: null before it ran, "" if fine. */
    static synchronized String verdict() {
        return verdict;
    }

    /** The once-per-process check on a throw-away pair; null when the pair behaves as designed. */
    static String check(InetAddress address) {
        UdpPortPair pair;
        try {
            pair = bind(address, 0);
        } catch (IOException | RuntimeException e) {
            return "cannot bind a socket pair on " + address.getHostAddress() + ": " + e;
        }
        InetAddress target = UdpSendChannels.probeAddress(address);
        int port = pair.media.localAddress().getPort();
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(target, 0));
            probe.configureBlocking(false);
            ByteBuffer rx = ByteBuffer.allocate(64);
            byte[] t = UdpSendChannels.token();
            pair.media.send(t, 0, t.length, (InetSocketAddress) probe.getLocalAddress());
            InetSocketAddress from = (InetSocketAddress) UdpSendChannels.await(probe, rx, CHECK_WAIT_MILLIS);
            if (from == null || from.getPort() != port) {
                return "the media channel's probe " + (from == null ? "did not arrive" : "left from port "
                        + from.getPort() + ", not " + port);
            }
            probe.send(ByteBuffer.wrap(UdpSendChannels.token()), new InetSocketAddress(target, port));
            DatagramPacket p = new DatagramPacket(new byte[64], 64);
            pair.iceSocket.setSoTimeout((int) CHECK_WAIT_MILLIS);
            try {
                pair.iceSocket.receive(p);
            } catch (SocketTimeoutException e) {
                return "a probe to port " + port + " did not reach the later-bound socket";
            }
            if (pair.media.receivedAny(rx)) {
                return "the media channel received a datagram meant for the other socket";
            }
            try (DatagramChannel third = DatagramChannel.open()) {
                third.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                try {
                    third.bind(new InetSocketAddress(address, port));
                } catch (SocketException expected) {
                    return null; // the port is exclusive again
                }
                return "a third socket could still bind port " + port + " after the pair was set up";
            }
        } catch (IOException e) {
            return "probe failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            pair.close();
        }
    }
}
