package org.janussfu.webrtc;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The process's shared UDP sockets for ICE: one ice4j {@link SinglePortUdpHarvester} per configured bind address,
 * all on {@link IceConfig#port()}. Every server-side {@link IceTransport} gets its host candidate from these, and
 * incoming datagrams are demultiplexed to agents by the ICE username fragment of the peer's first check (the
 * harvester keeps a map remote address → agent afterwards). Owned by the server, created once at startup and
 * closed at shutdown; thread-safe.
 *
 * <p>Threads: each harvester runs one daemon reader thread ({@code AbstractUdpListener thread for <address>}) that
 * lives as long as the harvester. With the push API it classifies each datagram (STUN goes to the agent's STUN
 * stack, everything else straight to the component's buffer callback) and hands it over — that is the thread on
 * which {@link IceTransport.Listener#onPacket} runs. ice4j also keeps a small pool of send sockets per harvester
 * ({@code ice4j.harvest.udp.socket-pool-size}, default one per CPU, at least two), bound to the same address and port;
 * since decision 0008 they only send STUN, DTLS and SCTP.
 *
 * <p><b>Media send path.</b> Before each harvester binds, {@link UdpSendChannels#DEFAULT_COUNT} send-only channels of
 * ours bind the same address and port (all with {@code SO_REUSEADDR}); ice4j's sockets bind after them and so receive
 * every datagram. SRTP and SRTCP leave through these channels, from the event loop that protected them. A startup
 * self-check per address ({@link UdpSendChannels#selfCheck}) confirms that the channels send from the shared port and
 * receive nothing; if it fails (or the channels cannot be opened), they are closed, a WARNING is logged and that
 * address keeps ice4j's send path ({@link #ownSendPathFallbacks()} counts such addresses).
 */
public final class IceHarvesters implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(IceHarvesters.class.getName());
    /** How long the self-check waits for each probe. */
    static final long SELF_CHECK_MILLIS = 100;

    private final IceConfig config;
    private final List<SinglePortUdpHarvester> harvesters;
    /** Parallel to {@link #harvesters}: our send channels on that address, or null where ice4j sends media. */
    private final List<UdpSendChannels> sendChannels;
    private final int fallbacks;
    private volatile boolean closed;

    /**
     * Applies {@link IceSafety} and binds the shared sockets.
     *
     * @throws IOException if an address cannot be bound (already-bound sockets are closed again)
     */
    public IceHarvesters(IceConfig config) throws IOException {
        this(config, true);
    }

    /**
     * As {@link #IceHarvesters(IceConfig)}; {@code ownSendPath = false} leaves all sending to ice4j (tests and
     * benchmarks compare the two).
     */
    public IceHarvesters(IceConfig config, boolean ownSendPath) throws IOException {
        this(config, ownSendPath, ch -> ch.selfCheck(SELF_CHECK_MILLIS));
    }

    /** As above with another startup check (tests force a failing one): null = passed, else the problem. */
    IceHarvesters(IceConfig config, boolean ownSendPath, Function<UdpSendChannels, String> selfCheck)
            throws IOException {
        IceSafety.apply(config);
        this.config = config;
        List<SinglePortUdpHarvester> list = new ArrayList<>();
        List<UdpSendChannels> channels = new ArrayList<>();
        int failed = 0;
        try {
            for (InetAddress a : config.bindAddresses()) {
                UdpSendChannels ch = ownSendPath ? openChannels(a, config.port()) : null;
                int port = ch == null ? config.port() : ch.localAddress().getPort();
                SinglePortUdpHarvester h;
                try {
                    h = new SinglePortUdpHarvester(new TransportAddress(a, port, Transport.UDP));
                } catch (IOException e) {
                    if (ch == null) {
                        throw e;
                    }
                    // ice4j could not join our channels' port: without them it binds as it always did.
                    disable(ch, a, "ice4j could not bind the port beside the send channels: " + e);
                    ch = null;
                    h = new SinglePortUdpHarvester(new TransportAddress(a, config.port(), Transport.UDP));
                }
                list.add(h);
                if (ch != null) {
                    String problem = selfCheck.apply(ch);
                    if (problem != null) {
                        disable(ch, a, problem);
                        ch = null;
                    }
                }
                if (ownSendPath && ch == null) {
                    failed++;
                }
                channels.add(ch);
            }
        } catch (IOException | RuntimeException e) {
            channels.forEach(c -> {
                if (c != null) {
                    c.close();
                }
            });
            list.forEach(SinglePortUdpHarvester::close);
            throw e;
        }
        this.harvesters = List.copyOf(list);
        this.sendChannels = java.util.Collections.unmodifiableList(new ArrayList<>(channels));
        this.fallbacks = failed;
    }

    /** Our send channels on {@code a:port}, or null (logged) when they cannot be opened. */
    private static UdpSendChannels openChannels(InetAddress a, int port) {
        try {
            return UdpSendChannels.openShared(a, port, UdpSendChannels.DEFAULT_COUNT);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, () -> "own UDP send path disabled on " + a.getHostAddress() + ":" + port
                    + ": cannot open send channels: " + e + "; media goes through ice4j's sockets");
            return null;
        }
    }

    private static void disable(UdpSendChannels ch, InetAddress a, String problem) {
        InetSocketAddress local = ch.localAddress();
        ch.close();
        LOG.log(Level.WARNING, () -> "own UDP send path disabled on " + a.getHostAddress() + ":" + local.getPort()
                + ": " + problem + "; media goes through ice4j's sockets");
    }

    public IceConfig config() {
        return config;
    }

    /** The bound addresses, with the real port when {@link IceConfig#port()} was 0. */
    public List<TransportAddress> localAddresses() {
        List<TransportAddress> out = new ArrayList<>(harvesters.size());
        for (SinglePortUdpHarvester h : harvesters) {
            out.add(h.getLocalAddress());
        }
        return out;
    }

    /**
     * Our send channels for media leaving from {@code local} (a selected pair's local candidate), or null when that
     * address uses ice4j's send path.
     */
    UdpSendChannels sendChannels(InetSocketAddress local) {
        if (closed || local == null) {
            return null;
        }
        for (UdpSendChannels ch : sendChannels) {
            if (ch != null && ch.localAddress().getPort() == local.getPort()
                    && ch.localAddress().getAddress().equals(local.getAddress())) {
                return ch;
            }
        }
        return null;
    }

    /** How many bind addresses use our own media send path (the rest use ice4j's). */
    public int ownSendPaths() {
        int n = 0;
        for (UdpSendChannels ch : sendChannels) {
            n += ch == null ? 0 : 1;
        }
        return n;
    }

    /** Addresses where the own send path was wanted but failed its startup check or could not be opened. */
    public int ownSendPathFallbacks() {
        return fallbacks;
    }

    /** Datagrams our send channels handed to the kernel, over all addresses. */
    public long ownSendSent() {
        long n = 0;
        for (UdpSendChannels ch : sendChannels) {
            n += ch == null ? 0 : ch.sent();
        }
        return n;
    }

    /** Datagrams our send channels dropped (send buffer full) or failed to send, over all addresses. */
    public long ownSendLost() {
        long n = 0;
        for (UdpSendChannels ch : sendChannels) {
            n += ch == null ? 0 : ch.dropped() + ch.failed();
        }
        return n;
    }

    /** Registers the shared harvesters with a new agent (before its component is created). */
    void addTo(Agent agent) {
        if (closed) {
            throw new IllegalStateException("ICE harvesters are closed");
        }
        for (SinglePortUdpHarvester h : harvesters) {
            agent.addCandidateHarvester(h);
        }
    }

    /**
     * Closes our send channels and ice4j's sockets; the reader threads end. Transports still using them stop
     * receiving and sending (sends are refused and counted). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (UdpSendChannels ch : sendChannels) {
            if (ch != null) {
                ch.close();
            }
        }
        harvesters.forEach(SinglePortUdpHarvester::close);
    }
}
