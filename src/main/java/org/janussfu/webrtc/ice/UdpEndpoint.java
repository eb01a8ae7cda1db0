package org.janussfu.webrtc.ice;

import org.ice4j.util.Buffer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * One UDP socket of ours for ICE and media — the shared port of a bind address, or the socket of one connection
 * (port-range and client mode) — and the demultiplexer in front of ice4j (RFC 8445 §7.3, RFC 7983). Its channel is
 * read by a {@link UdpReader} thread, or — the shared ports of a bound engine — by the engine's {@code MediaLoop}
 * (decision 0013), never by both: {@link #handOver} moves it once. The agents' {@link IceSocket}s, the DTLS sender and our media send path write
 * to it from any thread. Owned by {@link IceHarvesters} (shared port) or by one {@link IceGeneration}.
 *
 * <p><b>Admission.</b> A Binding request is routed by the local ufrag of its USERNAME and must carry a valid
 * MESSAGE-INTEGRITY (and FINGERPRINT, if any) under that agent's password; otherwise it is dropped and counted and
 * changes nothing. A valid one makes its source address a <em>validated</em> route of that agent (within the agent's
 * cap of remote addresses). A response is accepted only from an address the agent sent a check to, under the peer's
 * password; a success validates the address too. A request from an address already validated on the pair media goes
 * on (a consent check, RFC 7675 §5.2) is answered here, on the reading thread, and never reaches ice4j. Everything that is not STUN — DTLS, SRTP, SRTCP — is delivered only
 * from a validated address of a live agent and dropped (counted) otherwise, so junk from an address that never
 * proved it knows the ICE password cannot reach DTLS, SRTP or SCTP. Nothing per packet allocates, locks or logs,
 * except that STUN messages (rare and rate-bounded by the peers) are copied for ice4j.
 */
public final class UdpEndpoint implements AutoCloseable {
    /** Largest datagram read; the rest of a longer one is cut (and then fails its checks). */
    public static final int MAX_DATAGRAM = 2048;
    /**
     * Receive buffer asked for on a shared port (the kernel caps it at {@code net.core.rmem_max}): the media loop
     * decrypts and fans out between reads (decision 0013), so bursts wait in the kernel meanwhile — 4 MiB is about
     * 1,700 full-size datagrams, a few hundred ms of a busy node.
     */
    static final int SHARED_RECEIVE_BUFFER = 4 << 20;

    private final DatagramChannel channel;
    private final InetSocketAddress local;
    /** Whether delivered buffers are lent to the listener (server mode) or reused after the call (client mode). */
    private final boolean lend;
    private final UdpReader.Loop reader;
    private final Map<String, IceSocket> byUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Route> routes = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Set when a {@code MediaLoop} reads the channel instead of {@link #reader}: ends that registration. */
    private volatile Runnable loopCloser;
    private UdpSendChannels media; // dedicated mode: our media channel view of this channel, made once

    final LongAdder received = new LongAdder();
    final LongAdder stunUnknownUfrag = new LongAdder();
    final LongAdder stunBadIntegrity = new LongAdder();
    final LongAdder stunOther = new LongAdder();
    final LongAdder stunQueueFull = new LongAdder();
    /** Consent checks on the selected pair answered by the endpoint itself (never reaching ice4j). */
    final LongAdder stunAnswered = new LongAdder();
    final LongAdder remotesFull = new LongAdder();
    final LongAdder roleConflicts = new LongAdder();
    final LongAdder unvalidatedDropped = new LongAdder();
    final LongAdder sendFailed = new LongAdder();

    /** One remote address of one agent; {@code validated} once it sent (or answered) an authenticated check. */
    private static final class Route {
        final IceSocket socket;
        volatile boolean validated;

        Route(IceSocket socket, boolean validated) {
            this.socket = socket;
            this.validated = validated;
        }
    }

    private UdpEndpoint(DatagramChannel channel, boolean lend, UdpReader.Loop reader) throws IOException {
        this.channel = channel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.lend = lend;
        this.reader = reader;
        channel.configureBlocking(false);
        reader.register(this);
    }

    /**
     * The shared port of {@code address}: bound with {@code SO_REUSEADDR} after our media send channels on the same
     * port when {@code reuse} (the last socket bound receives every datagram), else alone; port 0 = ephemeral.
     */
    static UdpEndpoint shared(InetAddress address, int port, boolean reuse, UdpReader.Loop reader) throws IOException {
        DatagramChannel ch = DatagramChannel.open(address instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, reuse);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, SHARED_RECEIVE_BUFFER);
            ch.bind(new InetSocketAddress(address, port));
            return new UdpEndpoint(ch, true, reader);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * A socket of one connection on a free port in {@code [portMin, portMax]} of {@code address} (tried from a random
     * start), or an ephemeral one when {@code portMin} is 0; {@code lend} as for the shared port.
     */
    static UdpEndpoint dedicated(InetAddress address, int portMin, int portMax, boolean lend, UdpReader.Loop reader)
            throws IOException {
        if (portMin <= 0) {
            return bindOne(address, 0, lend, reader);
        }
        int span = portMax - portMin + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            try {
                return bindOne(address, portMin + (start + i) % span, lend, reader);
            } catch (java.net.BindException inUse) {
                // the next port of the range
            }
        }
        throw new java.net.BindException("no free UDP port in " + portMin + "-" + portMax + " on "
                + address.getHostAddress());
    }

    private static UdpEndpoint bindOne(InetAddress address, int port, boolean lend, UdpReader.Loop reader)
            throws IOException {
        DatagramChannel ch = DatagramChannel.open(address instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            ch.bind(new InetSocketAddress(address, port));
            return new UdpEndpoint(ch, lend, reader);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    public DatagramChannel channel() {
        return channel;
    }

    /** Dedicated mode: the media send path on this very channel (decision 0008), made on first use. */
    synchronized UdpSendChannels mediaChannels() {
        if (media == null && !closed) {
            try {
                media = UdpSendChannels.of(channel);
            } catch (IOException e) {
                return null;
            }
        }
        return media;
    }

    /** An agent's socket starts receiving the checks for its ufrag. */
    void register(IceSocket s) {
        if (closed) {
            s.close();
            return;
        }
        byUfrag.put(s.ufrag, s);
    }

    /** Forgets an agent's ufrag and all its routes (from {@link IceSocket#close}). */
    void unregister(IceSocket s) {
        byUfrag.remove(s.ufrag, s);
        for (InetSocketAddress a : s.remotes()) {
            Route r = routes.get(a);
            if (r != null && r.socket == s) {
                routes.remove(a, r);
            }
        }
    }

    /**
     * The agent is about to send a check to {@code to}: accept (authenticated) responses from there. False if its
     * table of remote addresses is full (the check is then not sent).
     */
    boolean expectResponses(IceSocket s, InetSocketAddress to) {
        Route r = routes.get(to);
        if (r != null && r.socket == s) {
            return true;
        }
        if (r != null && r.socket.isOpen()) {
            return true; // another live agent's address: sent, but its responses stay that agent's
        }
        if (!s.admit(to)) {
            remotesFull.increment();
            return false;
        }
        routes.put(to, new Route(s, false));
        return true;
    }

    /** Sends one datagram (STUN, DTLS; media on the shared port when our send channels are off). Any thread. */
    boolean sendRaw(byte[] b, int off, int len, InetSocketAddress to) {
        try {
            if (channel.send(ByteBuffer.wrap(b, off, len), to) > 0) {
                return true;
            }
        } catch (IOException | RuntimeException e) {
            // closed, unreachable: counted
        }
        sendFailed.increment();
        return false;
    }

    /**
     * Stops the {@link UdpReader} thread from reading this channel (its key is cancelled on the reader thread), then
     * runs {@code then} there, which registers the channel elsewhere. Any thread.
     */
    public void handOver(Runnable then) {
        reader.handOver(this, then);
    }

    /** The channel is read by a media loop now; {@code closer} ends that registration (from {@link #close}). */
    public void readBy(Runnable closer) {
        loopCloser = closer;
        if (closed) {
            closer.run();
        }
    }

    /** Reader thread: everything waiting on the channel. {@code rx} is the reader's buffer over {@code scratch}. */
    public void drain(ByteBuffer rx, byte[] scratch) {
        for (int i = 0; i < 256 && !closed; i++) {
            rx.clear();
            SocketAddress from;
            try {
                from = channel.receive(rx);
            } catch (IOException | RuntimeException e) {
                return; // closed or an ICMP error surfaced: nothing to read now
            }
            if (from == null) {
                return;
            }
            received.increment();
            handle(scratch, rx.position(), (InetSocketAddress) from);
        }
    }

    private void handle(byte[] b, int len, InetSocketAddress from) {
        if (len < 1) {
            return;
        }
        if ((b[0] & 0xFF) < 4) {
            stun(b, len, from);
            return;
        }
        Route r = routes.get(from);
        if (r == null || !r.validated || !r.socket.isOpen()) {
            unvalidatedDropped.increment();
            return;
        }
        if (loopCloser != null) {
            // Read on the media loop (decision 0013): the packet runs to completion in the read buffer, which has
            // MAX_DATAGRAM - len spare bytes; nothing keeps it after the call, so no pooled copy and no loan.
            try {
                r.socket.generation.deliver(b, 0, len, null);
            } catch (RuntimeException e) {
                r.socket.generation.listenerThrew(e);
            }
            return;
        }
        Buffer loan = IceBuffers.LENDER.take(len + IceSafety.TAILROOM);
        byte[] buf = loan.getBuffer();
        System.arraycopy(b, 0, buf, 0, len);
        loan.setLength(len);
        boolean kept;
        try {
            kept = r.socket.generation.deliver(buf, 0, len, lend ? loan : null) && lend;
        } catch (RuntimeException e) {
            r.socket.generation.listenerThrew(e);
            return; // the buffer is left to the collector: never returned twice
        }
        if (!kept) {
            IceBuffers.LENDER.giveBack(loan);
        }
    }

    /** RFC 7983 §7 first byte 0..3: STUN. See the class comment for what is accepted. */
    private void stun(byte[] b, int len, InetSocketAddress from) {
        if (!StunWire.isStun(b, 0, len)) {
            stunOther.increment();
            return;
        }
        int type = StunWire.type(b, 0);
        if (type == StunWire.BINDING_REQUEST) {
            String ufrag = StunWire.localUfrag(b, 0, len);
            IceSocket s = ufrag == null ? null : byUfrag.get(ufrag);
            if (s == null) {
                stunUnknownUfrag.increment();
                return;
            }
            if (!StunWire.integrityOk(b, 0, len, s.localKey)) {
                stunBadIntegrity.increment(); // RFC 8489 §9.1.3: no state changes; we do not even answer
                return;
            }
            Route r = routes.get(from);
            boolean known = r != null && r.socket == s && r.validated;
            if (r == null || r.socket != s) {
                if (!s.admit(from)) {
                    remotesFull.increment();
                    return;
                }
                if (r != null) {
                    r.socket.forget(from); // the address moved to this agent (an ICE restart from the same port)
                }
                routes.put(from, new Route(s, true));
            } else {
                r.validated = true;
            }
            if (!s.resolveRoleConflict(b, 0, len, from)) {
                roleConflicts.increment();
                return;
            }
            if (known && s.generation.isMediaPair(local, from)) {
                // RFC 7675 consent check on the selected pair: answered here, on the reading thread, instead of a
                // hop to ice4j's stack (its ~100 µs of decoding were most of an idle connection's cost)
                byte[] response = StunWire.bindingSuccess(b, 0, from, s.localKey);
                if (sendRaw(response, 0, response.length, from)) {
                    stunAnswered.increment();
                }
                return;
            }
            if (!s.offerStun(b, 0, len, from)) {
                stunQueueFull.increment();
            }
        } else if (type == StunWire.BINDING_SUCCESS || type == StunWire.BINDING_ERROR) {
            Route r = routes.get(from);
            if (r == null || !r.socket.isOpen() || !StunWire.integrityOk(b, 0, len, r.socket.remoteKey())) {
                stunBadIntegrity.increment();
                return;
            }
            if (type == StunWire.BINDING_SUCCESS) {
                r.validated = true;
                if (r.socket.generation.consentAnswered(b, 0)) {
                    return; // our consent check (ConsentChecks), answered: ice4j never sent it
                }
            }
            if (!r.socket.offerStun(b, 0, len, from)) {
                stunQueueFull.increment();
            }
        } else {
            stunOther.increment(); // indications (keepalives) and anything else: nothing to do
        }
    }

    /** Routes currently held (validated or waiting for a response), over all agents: for the tests' bounds. */
    int routeCount() {
        return routes.size();
    }

    int agentCount() {
        return byUfrag.size();
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes the channel (its descriptor is released at the reader's next select) and every agent's socket. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (IceSocket s : byUfrag.values()) {
            s.close();
        }
        routes.clear();
        reader.close(this);
        Runnable c = loopCloser;
        if (c != null) {
            try {
                c.run();
            } catch (RuntimeException e) {
                // the loop is already shut down: its selector went with it
            }
        }
    }
}
