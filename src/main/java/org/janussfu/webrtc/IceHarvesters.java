package org.janussfu.webrtc;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

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
 * ({@code ice4j.harvest.udp.socket-pool-size}, default one per CPU), bound to the same address and port.
 */
public final class IceHarvesters implements AutoCloseable {
    private final IceConfig config;
    private final List<SinglePortUdpHarvester> harvesters;
    private volatile boolean closed;

    /**
     * Applies {@link IceSafety} and binds the shared sockets.
     *
     * @throws IOException if an address cannot be bound (already-bound sockets are closed again)
     */
    public IceHarvesters(IceConfig config) throws IOException {
        IceSafety.apply(config);
        this.config = config;
        List<SinglePortUdpHarvester> list = new ArrayList<>();
        try {
            for (InetAddress a : config.bindAddresses()) {
                list.add(new SinglePortUdpHarvester(new TransportAddress(a, config.port(), Transport.UDP)));
            }
        } catch (IOException | RuntimeException e) {
            list.forEach(SinglePortUdpHarvester::close);
            throw e;
        }
        this.harvesters = List.copyOf(list);
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

    /** Registers the shared harvesters with a new agent (before its component is created). */
    void addTo(Agent agent) {
        if (closed) {
            throw new IllegalStateException("ICE harvesters are closed");
        }
        for (SinglePortUdpHarvester h : harvesters) {
            agent.addCandidateHarvester(h);
        }
    }

    /** Closes the sockets; their reader threads end. Transports still using them stop receiving. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        harvesters.forEach(SinglePortUdpHarvester::close);
    }
}
