package org.janussfu.webrtc;

import org.ice4j.Transport;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;

/**
 * Gives one agent of a client-mode {@link IceTransport} (in-process test peers, the load generator) a host
 * candidate on its own ephemeral UDP socket bound to one configured address, normally {@code 127.0.0.1}. Needed
 * because ice4j's {@code HostCandidateHarvester} skips loopback interfaces, and a {@code SinglePortUdpHarvester}
 * candidate cannot start checks (it only learns a peer from the peer's first check), so two SFU-style agents can
 * never reach each other. One instance per agent, owned by that agent's {@link IceTransport}; ice4j calls
 * {@link #harvest} on the thread creating the component.
 *
 * <p>The socket is an ice4j {@link MultiplexingDatagramSocket} with two filtered views: STUN for the agent's STUN
 * stack (read by one ice4j {@code Connector} thread) and payload for the transport's own reader thread — ice4j's push
 * API only exists for the single-port harvester. The component's merging socket is not used: reading through it made
 * the JDK bind an extra wrapper socket to the wildcard address, which this project does not allow.
 * {@link #close()} (after the agent is freed) guarantees the socket is released.
 *
 * <p>Media leaves through a send-only channel of ours on the same port ({@link UdpPortPair}, decision 0008): ice4j's
 * socket is then a plain {@code DatagramSocket} bound beside it, which ice4j wraps. If the once-per-process check of
 * that arrangement failed, the socket is ice4j's alone as before and media goes through ice4j.
 */
final class IceClientHarvester implements CandidateHarvester {
    private final InetAddress bindAddress;
    private final HarvestStatistics statistics = new HarvestStatistics();
    private volatile MultiplexingDatagramSocket socket;
    private volatile IceSocketWrapper stunSocket;
    private volatile DatagramSocket payload;
    private volatile UdpSendChannels media;

    private final int portMin;
    private final int portMax;

    /** An ephemeral port on {@code bindAddress}. */
    IceClientHarvester(InetAddress bindAddress) {
        this(bindAddress, 0, 0);
    }

    /** A free port in {@code [portMin, portMax]} (tried from a random start), or an ephemeral one when min is 0. */
    IceClientHarvester(InetAddress bindAddress, int portMin, int portMax) {
        this.bindAddress = bindAddress;
        this.portMin = portMin;
        this.portMax = portMax;
    }

    private MultiplexingDatagramSocket bind() throws IOException {
        boolean pair = UdpPortPair.available(bindAddress);
        if (portMin <= 0) {
            return open(0, pair);
        }
        int span = portMax - portMin + 1;
        int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = portMin + (start + i) % span;
            try {
                return open(port, pair);
            } catch (java.net.SocketException inUse) {
                // try the next port of the range
            }
        }
        throw new java.net.BindException("no free UDP port in " + portMin + "-" + portMax + " on " + bindAddress.getHostAddress());
    }

    /** ice4j's socket on {@code port}: wrapping our pair's socket, or (without the pair) bound by ice4j itself. */
    private MultiplexingDatagramSocket open(int port, boolean pair) throws IOException {
        if (!pair) {
            return new MultiplexingDatagramSocket(new InetSocketAddress(bindAddress, port));
        }
        UdpPortPair p = UdpPortPair.bind(bindAddress, port);
        try {
            MultiplexingDatagramSocket s = new MultiplexingDatagramSocket(p.iceSocket);
            media = p.media;
            return s;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    @Override
    public Collection<LocalCandidate> harvest(Component component) {
        try {
            MultiplexingDatagramSocket s = bind();
            socket = s;
            HostCandidate candidate = new HostCandidate(new IceUdpSocketWrapper(s), component, Transport.UDP);
            component.addLocalCandidate(candidate);
            IceSocketWrapper stun = candidate.getStunSocket(null);
            stunSocket = stun;
            candidate.getStunStack().addSocket(stun);
            payload = s.getSocket(IceClientHarvester::isPayload);
            return List.of(candidate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind ICE client socket on " + bindAddress.getHostAddress(), e);
        }
    }

    /**
     * RFC 7983 §7: a first byte of 0..3 is STUN, which ice4j's STUN stack reads through its own filtered view; all
     * else (DTLS, SRTP/SRTCP) is payload for the transport's reader.
     */
    private static boolean isPayload(DatagramPacket p) {
        return p.getLength() > 0 && (p.getData()[p.getOffset()] & 0xFF) > 3;
    }

    /** The payload-only view of the socket (blocking {@code receive}), or {@code null} before harvesting. */
    DatagramSocket payloadSocket() {
        return payload;
    }

    /** Our media channel on the candidate's port, or null (before harvesting, or ice4j sends media). */
    UdpSendChannels mediaChannels() {
        return media;
    }

    /** The bound socket address, or {@code null} before harvesting. */
    InetSocketAddress localAddress() {
        MultiplexingDatagramSocket s = socket;
        return s == null ? null : (InetSocketAddress) s.getLocalSocketAddress();
    }

    @Override
    public HarvestStatistics getHarvestStatistics() {
        return statistics;
    }

    @Override
    public boolean isHostHarvester() {
        return true;
    }

    /** Closes our media channel and the socket (ice4j normally already did when the agent was freed). Idempotent. */
    void close() {
        UdpSendChannels m = media;
        if (m != null) {
            m.close();
        }
        MultiplexingDatagramSocket s = socket;
        if (s != null) {
            s.close();
        }
        IceSocketWrapper stun = stunSocket;
        if (stun != null) {
            stun.close();
        }
        DatagramSocket p = payload;
        if (p != null) {
            p.close();
        }
    }
}
