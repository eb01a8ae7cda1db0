package org.janussfu.webrtc.ice;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The process's shared UDP sockets for ICE: one {@link UdpEndpoint} per configured bind address, all on {@link
 * IceConfig#port()}, read by the fixed {@link UdpReader} threads until {@code MediaEngine.bind} hands them to the
 * engine's {@code MediaLoop} (decision 0013). Every server-side {@link IceTransport} on the shared
 * port gets its host candidates on these; a Binding request reaches an agent by the local ufrag of its USERNAME,
 * and only after its MESSAGE-INTEGRITY checked out, and DTLS/SRTP only from an address so validated (see {@link
 * UdpEndpoint}). Owned by the server, created once at startup and closed at shutdown; thread-safe.
 *
 * <p>No thread, socket or descriptor is added per connection or per remote address: an agent's candidate socket is
 * an {@link IceSocket} (no descriptor), a remote address is one table entry (capped per agent by {@link
 * IceConfig#maxRemoteAddresses()}), and ice4j's STUN stack reads the agent's authenticated STUN messages on one
 * connector thread per agent (ice4j's, ended when the agent is freed).
 *
 * <p><b>Media send path.</b> Before each endpoint binds, {@link UdpSendChannels#DEFAULT_COUNT} send-only channels of
 * ours bind the same address and port (all with {@code SO_REUSEADDR}); the endpoint binds after them and so receives
 * every datagram. SRTP and SRTCP leave through these channels, from the event loop that protected them; STUN and DTLS
 * through the endpoint's own channel. A startup self-check per address ({@link UdpSendChannels#selfCheck}) confirms
 * that the channels send from the shared port and receive nothing; if it fails (or the channels cannot be opened),
 * they are closed, a WARNING is logged and that address sends media through the endpoint's channel too
 * ({@link #ownSendPathFallbacks()} counts such addresses).
 */
public final class IceHarvesters implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(IceHarvesters.class.getName());
    /** How long the self-check waits for each probe. */
    static final long SELF_CHECK_MILLIS = 100;

    private final IceConfig config;
    private final List<UdpEndpoint> harvesters;
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
        UdpReader.configure(config.udpReaders());
        this.config = config;
        List<UdpEndpoint> list = new ArrayList<>();
        List<UdpSendChannels> channels = new ArrayList<>();
        int failed = 0;
        try {
            for (InetAddress a : config.bindAddresses()) {
                UdpSendChannels ch = ownSendPath ? openChannels(a, config.port()) : null;
                int port = ch == null ? config.port() : ch.localAddress().getPort();
                UdpEndpoint h;
                try {
                    h = UdpEndpoint.shared(a, port, ch != null, UdpReader.next());
                } catch (IOException e) {
                    if (ch == null) {
                        throw e;
                    }
                    // We could not join our channels' port: without them the endpoint binds alone.
                    disable(ch, a, "the endpoint could not bind the port beside the send channels: " + e);
                    ch = null;
                    h = UdpEndpoint.shared(a, config.port(), false, UdpReader.next());
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
            list.forEach(UdpEndpoint::close);
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
        for (UdpEndpoint h : harvesters) {
            InetSocketAddress l = h.localAddress();
            out.add(new TransportAddress(l.getAddress(), l.getPort(), Transport.UDP));
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

    /** The shared endpoints, for a new agent's candidates. */
    public List<UdpEndpoint> endpoints() {
        if (closed) {
            throw new IllegalStateException("ICE harvesters are closed");
        }
        return harvesters;
    }

    /** Datagrams dropped before ICE or DTLS saw them, over all shared endpoints: see {@link UdpEndpoint}. */
    public long stunBadIntegrity() {
        return sum(e -> e.stunBadIntegrity);
    }

    /** Consent checks on selected pairs the shared ports answered themselves. */
    public long stunAnswered() {
        return sum(e -> e.stunAnswered);
    }

    /** Non-STUN datagrams from addresses no agent validated, dropped, over all shared endpoints. */
    public long unvalidatedDropped() {
        return sum(e -> e.unvalidatedDropped);
    }

    /**
     * Binding requests our endpoints answered with 487 Role Conflict themselves: a controlled agent with the smaller
     * tie-breaker got ICE-CONTROLLED (RFC 8445 §7.3.1.1). Zero with well-behaved peers, since an agent that offers is
     * controlling from the moment it writes the offer ({@code PeerConnection.localTransport}).
     */
    public long roleConflicts() {
        return sum(e -> e.roleConflicts);
    }

    /** Authenticated datagrams from a new remote address dropped because the agent's table was full. */
    public long remotesFull() {
        return sum(e -> e.remotesFull);
    }

    /** One counter of every shared endpoint, summed. */
    private long sum(Function<UdpEndpoint, java.util.concurrent.atomic.LongAdder> counter) {
        long n = 0;
        for (UdpEndpoint e : harvesters) {
            n += counter.apply(e).sum();
        }
        return n;
    }

    /** Remote addresses held over all agents on the shared endpoints (each capped per agent). */
    public int routes() {
        int n = 0;
        for (UdpEndpoint e : harvesters) {
            n += e.routeCount();
        }
        return n;
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
        harvesters.forEach(UdpEndpoint::close);
    }
}
