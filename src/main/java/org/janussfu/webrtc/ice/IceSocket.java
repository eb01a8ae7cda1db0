package org.janussfu.webrtc.ice;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.DatagramSocketImpl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one ice4j agent sees as the socket of its host candidate on one {@link UdpEndpoint}: a {@link DatagramSocket}
 * without a file descriptor of its own. {@link #offerStun} hands ice4j's STUN stack the messages the endpoint already
 * authenticated for this agent, pushed on {@link StunStackPush}'s shared threads (no thread of this socket's own;
 * {@link #receive} only serves ice4j's connector thread on that class's fallback); {@link #send} writes through the
 * endpoint's channel. Created by {@link IceEndpointHarvester} for one {@link IceGeneration}; the endpoint's reader thread calls
 * the package methods, ice4j's threads the socket methods; all state is thread-safe.
 *
 * <p>It also holds what the endpoint needs per agent: the local ufrag and both short-term keys (RFC 8445 §7.2.2), the
 * remote addresses this agent knows — at most {@code maxRemotes}, the only per-peer state a datagram can create —
 * and the RFC 8445 §7.3.1.1 role-conflict rule, applied here because ice4j applies the controlling agent's rule to a
 * controlled agent too.
 */
final class IceSocket extends DatagramSocket {
    /** STUN messages waiting for ice4j; more are dropped (and counted by the endpoint). */
    static final int STUN_QUEUE = 64;
    private static final Datagram CLOSED = new Datagram(new byte[0], null);

    final UdpEndpoint endpoint;
    final IceGeneration generation;
    final Agent agent;
    final String ufrag;
    final byte[] localKey;
    private final int maxRemotes;
    private final BlockingQueue<Datagram> stun = new ArrayBlockingQueue<>(STUN_QUEUE + 1);
    private final List<InetSocketAddress> remotes = new ArrayList<>(4); // guarded by itself
    private volatile byte[] remoteKey;
    private volatile boolean closed;
    private final AtomicInteger pending = new AtomicInteger(); // messages pushed and not processed yet
    private volatile TransportAddress stunLocal;

    private record Datagram(byte[] data, InetSocketAddress from) {
    }

    IceSocket(UdpEndpoint endpoint, IceGeneration generation, Agent agent, int maxRemotes) {
        super(new NoDescriptor());
        this.endpoint = endpoint;
        this.generation = generation;
        this.agent = agent;
        this.ufrag = agent.getLocalUfrag();
        this.localKey = StunWire.key(agent.getLocalPassword());
        this.maxRemotes = maxRemotes;
    }

    /** The peer's password, the key of its checks' responses (RFC 8445 §7.2.5.1). */
    void setRemotePassword(String password) {
        remoteKey = StunWire.key(password);
    }

    byte[] remoteKey() {
        return remoteKey;
    }

    /**
     * Makes room for {@code remote} in this agent's table: true if it is there already or was added, false if the
     * table is full (the datagram is then dropped and nothing is stored).
     */
    boolean admit(InetSocketAddress remote) {
        synchronized (remotes) {
            if (closed) {
                return false;
            }
            if (remotes.contains(remote)) {
                return true;
            }
            if (remotes.size() >= maxRemotes) {
                return false;
            }
            remotes.add(remote);
            return true;
        }
    }

    void forget(InetSocketAddress remote) {
        synchronized (remotes) {
            remotes.remove(remote);
        }
    }

    List<InetSocketAddress> remotes() {
        synchronized (remotes) {
            return new ArrayList<>(remotes);
        }
    }

    /**
     * RFC 8445 §7.3.1.1 for a controlled agent that gets a request with ICE-CONTROLLED: with a tie-breaker at least
     * the peer's it becomes controlling before ice4j sees the request (which then raises no conflict); with a
     * smaller one it answers 487 itself and keeps its role. Returns false if the request was answered here. The
     * controlling agent's half of the rule is ice4j's own, which is right.
     */
    boolean resolveRoleConflict(byte[] b, int off, int len, InetSocketAddress from) {
        if (agent.isControlling()) {
            return true;
        }
        Long theirs = StunWire.tieBreaker(b, off, len, StunWire.ICE_CONTROLLED);
        if (theirs == null) {
            return true;
        }
        if (Long.compareUnsigned(agent.getTieBreaker(), theirs) >= 0) {
            agent.setControlling(true);
            return true;
        }
        byte[] r = StunWire.roleConflict(b, off, localKey);
        endpoint.sendRaw(r, 0, r.length, from);
        return false;
    }

    /**
     * Hands an authenticated STUN message to ice4j — on the shared pool of {@link StunStackPush}, or queued for the
     * connector thread on its fallback; false when this agent has {@link #STUN_QUEUE} messages waiting already, the
     * pool is full, or the socket is closed.
     */
    boolean offerStun(byte[] b, int off, int len, InetSocketAddress from) {
        if (closed) {
            return false;
        }
        byte[] copy = new byte[len];
        System.arraycopy(b, off, copy, 0, len);
        if (!StunStackPush.pushing()) {
            return stun.size() < STUN_QUEUE && stun.offer(new Datagram(copy, from));
        }
        if (pending.incrementAndGet() > STUN_QUEUE || !StunStackPush.push(this, copy, from)) {
            pending.decrementAndGet();
            return false;
        }
        return true;
    }

    /** One pushed message left the pool (processed or dropped). */
    void stunDone() {
        pending.decrementAndGet();
    }

    /** The local address as ice4j's STUN stack keys it (the host candidate's). */
    TransportAddress stunLocal() {
        TransportAddress t = stunLocal;
        if (t == null) {
            InetSocketAddress a = endpoint.localAddress();
            t = new TransportAddress(a.getAddress(), a.getPort(), Transport.UDP);
            stunLocal = t;
        }
        return t;
    }

    boolean isOpen() {
        return !closed;
    }

    // ---- DatagramSocket, for ice4j ------------------------------------------------------------------------------

    @Override
    public void receive(DatagramPacket p) throws IOException {
        Datagram d;
        try {
            d = closed ? CLOSED : stun.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClosedChannelException();
        }
        if (d == CLOSED) {
            stun.offer(CLOSED); // wake any other reader too
            throw new ClosedChannelException();
        }
        int n = Math.min(d.data.length, p.getData().length - p.getOffset());
        System.arraycopy(d.data, 0, p.getData(), p.getOffset(), n);
        p.setLength(n);
        p.setSocketAddress(d.from);
    }

    @Override
    public void send(DatagramPacket p) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        InetSocketAddress to = (InetSocketAddress) p.getSocketAddress();
        byte[] b = p.getData();
        int off = p.getOffset();
        int len = p.getLength();
        if (len >= StunWire.HEADER && StunWire.isStun(b, off, len) && StunWire.type(b, off) == StunWire.BINDING_REQUEST) {
            // Our check (or consent request) to the peer: its response may come back from there. Beyond the cap of
            // remote addresses nothing is sent at all — the server never sprays checks for a peer.
            if (!endpoint.expectResponses(this, to)) {
                return;
            }
        }
        endpoint.sendRaw(b, off, len, to);
    }

    /** Unregisters from the endpoint and wakes ice4j's reader. Idempotent; any thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        endpoint.unregister(this);
        synchronized (remotes) {
            remotes.clear();
        }
        stun.clear();
        stun.offer(CLOSED);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isBound() {
        return true;
    }

    @Override
    public InetAddress getLocalAddress() {
        return endpoint.localAddress().getAddress();
    }

    @Override
    public int getLocalPort() {
        return endpoint.localAddress().getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return endpoint.localAddress();
    }

    @Override
    public int getReceiveBufferSize() {
        return 1500;
    }

    @Override
    public int getSendBufferSize() {
        return 1500;
    }

    @Override
    public void setSoTimeout(int timeout) {
        // receive() blocks until a message or close(): ice4j's connector never sets a timeout that matters here
    }

    @Override
    public String toString() {
        return "IceSocket[" + ufrag + " on " + endpoint.localAddress() + "]";
    }

    /**
     * The socket implementation behind {@link IceSocket}'s {@code super} constructor: never creates a file
     * descriptor (the JDK only calls {@code create} on first use, and every method ice4j uses is overridden).
     */
    private static final class NoDescriptor extends DatagramSocketImpl {
        @Override
        protected void create() {
        }

        @Override
        protected void bind(int lport, InetAddress laddr) {
        }

        @Override
        protected void send(DatagramPacket p) throws IOException {
            throw new IOException("no descriptor");
        }

        @Override
        protected int peek(InetAddress i) throws IOException {
            throw new IOException("no descriptor");
        }

        @Override
        protected int peekData(DatagramPacket p) throws IOException {
            throw new IOException("no descriptor");
        }

        @Override
        protected void receive(DatagramPacket p) throws IOException {
            throw new IOException("no descriptor");
        }

        @Override
        @Deprecated
        protected void setTTL(byte ttl) {
        }

        @Override
        @Deprecated
        protected byte getTTL() {
            return 0;
        }

        @Override
        protected void setTimeToLive(int ttl) {
        }

        @Override
        protected int getTimeToLive() {
            return 0;
        }

        @Override
        protected void join(InetAddress inetaddr) {
        }

        @Override
        protected void leave(InetAddress inetaddr) {
        }

        @Override
        protected void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) {
        }

        @Override
        protected void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) {
        }

        @Override
        protected void close() {
        }

        @Override
        public void setOption(int optID, Object value) {
        }

        @Override
        public Object getOption(int optID) {
            return null;
        }
    }
}
