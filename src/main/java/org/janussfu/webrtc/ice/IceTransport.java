package org.janussfu.webrtc.ice;

import org.ice4j.ice.IceProcessingState;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The ICE transport of one PeerConnection (RFC 8445), on top of ice4j: local credentials and candidates for the SDP,
 * remote credentials and (trickled, RFC 8838) candidates from the peer, connectivity checks, the selected pair for
 * sending, consent freshness (RFC 7675), and ICE restart (RFC 8445 §9). Owned by the PeerConnection; its control
 * methods may be called from any thread (they are serialised by this object's lock), {@link #send} and
 * {@link #sendMedia} from any thread without a lock.
 *
 * <p><b>Roles.</b> The constructor's role is only the starting one: {@link #setControlling} (called by the
 * PeerConnection when the peer's description arrives) makes the side that sent the offer controlling and the
 * answerer controlled (RFC 8445 §6.1.1) — so the server controls its subscriber connections, where it offers, and is
 * controlled on publishers. {@linkplain #IceTransport(IceHarvesters, boolean, Listener) Server mode} takes its host
 * candidates from the process's shared sockets ({@link IceHarvesters}). {@linkplain #client(IceConfig, boolean,
 * Listener) Client mode} — in-process test peers and the load generator — binds its own UDP socket on the first
 * configured address (normally 127.0.0.1).
 *
 * <p><b>Threads.</b> {@link Listener#onPacket} runs on the thread that read the datagram — the engine's {@code
 * MediaLoop} for the shared ports of a bound engine (decision 0013: the listener may process the packet to the end
 * there), else a process-wide {@link UdpReader} thread (a socket of its own; the listener must only hand it off) —
 * and only for datagrams from an address that passed an authenticated check ({@link UdpEndpoint}).
 * {@link Listener#onConnected} and {@link Listener#onFailed} run on one process-wide daemon thread
 * ({@code ice-events}), which also runs the connect timers and the {@link ConsentSweep}; they must not block either. This lock is never
 * taken on an ice4j thread (agent state changes are forwarded to {@code ice-events}), so calling ice4j under it
 * cannot deadlock.
 *
 * <p><b>ICE restart.</b> ice4j fixes an agent's credentials at construction, so {@link #restart} creates a new agent
 * ({@link IceGeneration}) with new local credentials. The old agent keeps carrying media until the new one starts
 * checks (remote credentials known and {@link #start} called), and is freed then: the shared endpoint maps a remote
 * address to one agent, so a browser restarting from the same address would otherwise keep hitting the old agent.
 */
public final class IceTransport implements AutoCloseable {
    /** Events of one transport. See the class comment for the threads. */
    public interface Listener {
        /** Checks succeeded and a pair was selected (again, after a restart). */
        void onConnected(String selectedPairDescription);

        /** ICE failed, did not connect within the timeout, or lost consent (RFC 7675); the agent is freed. */
        void onFailed(String reason);

        /**
         * One non-STUN datagram (DTLS, SRTP, SRTCP — RFC 7983) from a validated address, on the thread that read it
         * (see the class comment).
         *
         * @param loan non-null in server mode: the pooled receive buffer ({@link IceBuffers}) that owns {@code buf}
         *             (with at least {@link IceSafety#TAILROOM} spare bytes after {@code len}); ice4j never touches
         *             it again, so the listener may keep the array, and must end the loan exactly once — hand it to
         *             a {@code PooledPacket} with {@link IceBuffers#LENDER} ({@code adopt(buf, off, len, LENDER,
         *             loan)}), or call {@code IceBuffers.LENDER.giveBack(loan)} when done. Null in client mode and
         *             for datagrams read on the media loop: the array is reused for the next datagram and is only
         *             valid during the call (it has at least {@link IceSafety#TAILROOM} spare bytes too)
         */
        void onPacket(byte[] buf, int off, int len, Object loan);

        /**
         * A generation opened a socket of its own (client and port-range mode), read by a {@code UdpReader} thread
         * until someone moves it ({@link UdpEndpoint#handOver}): a client connection moves it to its owner's event
         * loop, so that its packets run to completion there. Called on the thread creating the generation, before
         * the endpoint carries anything; it must not block.
         */
        default void onEndpoint(UdpEndpoint endpoint) {
        }
    }

    private static final Logger LOG = Logger.getLogger(IceTransport.class.getName());
    private static final ScheduledExecutorService EVENTS = events();
    private static final ConsentSweep CONSENT = new ConsentSweep(EVENTS);

    /** Consent checks (and keepalives) this process sent on selected pairs, and the checks answered (RFC 7675). */
    public static long consentChecksSent() {
        return ConsentChecks.SENT.sum();
    }

    public static long consentChecksAnswered() {
        return ConsentChecks.ANSWERED.sum();
    }

    static {
        // ice4j's keep-alive runner (its consent checks every 15 s from its agent threads) never starts: our own
        // ConsentChecks send them from the sweep, and their responses stay in the endpoint (issue 13, idle cost).
        // StackProperties reads the system property whenever an agent completes.
        System.setProperty("org.ice4j.NO_KEEP_ALIVES", "true");
    }
    private static final LongAdder RENOMINATIONS = new LongAdder();

    private final IceConfig config;
    private final IceHarvesters harvesters;
    private final int portMin;
    private final int portMax;
    private final Listener listener;
    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final int[] verdicts = new int[IceCandidates.Verdict.values().length];

    // Guarded by this.
    /** RFC 8445 §6.1.1: controlling where we sent the offer, controlled where we answered (see setControlling). */
    private boolean controlling;
    private IceGeneration newest;
    private final List<IceGeneration> older = new ArrayList<>(2);
    private int generations;
    private boolean started;
    private boolean endOfCandidates;
    private ScheduledFuture<?> connectTimer;
    private ConsentSweep.Entry consentTimer;

    private volatile boolean closed;
    private volatile IceGeneration active;

    /**
     * Server mode with a socket of its own (ICE controlled) on a free port in {@code [portMin, portMax]} of the
     * first bind address, for deployments that open a port range instead of the one shared port. Applies {@link
     * IceSafety} first.
     */
    public static IceTransport ranged(IceConfig config, int portMin, int portMax, Listener listener) {
        IceSafety.apply(config);
        return new IceTransport(config, null, false, listener, portMin, portMax);
    }

    int portMin() {
        return portMin;
    }

    int portMax() {
        return portMax;
    }

    /** A generation's own socket was opened (see {@link Listener#onEndpoint}); the constructing thread. */
    void endpointOpened(UdpEndpoint e) {
        listener.onEndpoint(e);
    }

    /** Server mode (or any role) on the shared sockets. */
    public IceTransport(IceHarvesters harvesters, boolean controlling, Listener listener) {
        this(harvesters.config(), harvesters, controlling, listener);
    }

    private IceTransport(IceConfig config, IceHarvesters harvesters, boolean controlling, Listener listener) {
        this(config, harvesters, controlling, listener, 0, 0);
    }

    private IceTransport(IceConfig config, IceHarvesters harvesters, boolean controlling, Listener listener,
                         int portMin, int portMax) {
        this.portMin = portMin;
        this.portMax = portMax;
        this.config = config;
        this.harvesters = harvesters;
        this.controlling = controlling;
        this.listener = listener;
        synchronized (this) {
            newest = new IceGeneration(this, ++generations, harvesters, config, controlling);
        }
    }

    /**
     * Client mode: a transport with its own host candidate on an ephemeral port of {@code config}'s first bind
     * address. Applies {@link IceSafety} first.
     */
    public static IceTransport client(IceConfig config, boolean controlling, Listener listener) {
        if (config.bindAddresses().get(0).isAnyLocalAddress()) {
            throw new IllegalArgumentException("client mode needs a concrete bind address");
        }
        IceSafety.apply(config);
        return new IceTransport(config, null, controlling, listener);
    }

    /**
     * Sets the ICE role (RFC 8445 §6.1.1): controlling if this side sent the offer, controlled if it answered. Takes
     * effect on the current agent if its checks have not started, and on every later one (an ICE restart); once
     * checks run, only a role conflict (RFC 8445 §7.3.1.1) changes the role.
     */
    public synchronized void setControlling(boolean controlling) {
        this.controlling = controlling;
        if (!closed && !newest.started && !newest.freed) {
            newest.agent.setControlling(controlling);
        }
    }

    /** Test hook: the current agent's tie-breaker (RFC 8445 §7.1.3), to force either side of a role conflict. */
    synchronized void setTieBreaker(long tieBreaker) {
        newest.agent.setTieBreaker(tieBreaker);
    }

    /** Whether the current agent is in the controlling role now (after any role-conflict switch). */
    public synchronized boolean isControlling() {
        return newest.agent.isControlling();
    }

    public synchronized String localUfrag() {
        return newest.agent.getLocalUfrag();
    }

    public synchronized String localPassword() {
        return newest.agent.getLocalPassword();
    }

    /** The local candidates as SDP {@code a=candidate} values (RFC 8839 §5.1), all gathered up front. */
    public synchronized List<String> localCandidates() {
        return newest.localCandidates(config);
    }

    /** The peer's {@code a=ice-ufrag}/{@code a=ice-pwd} (RFC 8839 §5.4) for the current generation. */
    public synchronized void setRemoteCredentials(String ufrag, String password) {
        if (ufrag == null || password == null || ufrag.isEmpty() || password.isEmpty()) {
            throw new IllegalArgumentException("ICE ufrag and password are required");
        }
        if (closed) {
            return;
        }
        newest.setRemoteCredentials(ufrag, password);
        maybeStartNewest();
    }

    /**
     * Adds one remote candidate from the SDP or a trickle message, before or after {@link #start()}. Never throws
     * for bad input: anything unusable is counted under its {@link IceCandidates.Verdict} and ignored.
     */
    public synchronized IceCandidates.Verdict addRemoteCandidate(String sdpCandidate) {
        IceCandidates.Parsed parsed = IceCandidates.parse(sdpCandidate, config.bindsIpv6());
        IceCandidates.Verdict v = parsed.verdict();
        if (!closed && v == IceCandidates.Verdict.ACCEPTED) {
            IceCandidates.Remote r = parsed.candidate();
            String expected = newest.remoteUfrag();
            if (r.ufrag() != null && expected != null && !r.ufrag().equals(expected)) {
                v = IceCandidates.Verdict.STALE_UFRAG;
            } else if (newest.signalledRemotes() >= config.maxRemoteAddresses()) {
                v = IceCandidates.Verdict.TOO_MANY;
            } else if (!newest.addRemote(r)) {
                v = IceCandidates.Verdict.DUPLICATE;
            }
        } else if (v == IceCandidates.Verdict.END_OF_CANDIDATES) {
            endOfCandidates = true;
        }
        verdicts[v.ordinal()]++;
        return v;
    }

    /**
     * The peer signalled end-of-candidates (RFC 8838 §4.1: {@code candidate: null} in Janus' trickle). Recorded only:
     * failure is still reported by ice4j's own check failure or the connect timeout.
     */
    public synchronized void endOfRemoteCandidates() {
        endOfCandidates = true;
    }

    public synchronized boolean remoteCandidatesComplete() {
        return endOfCandidates;
    }

    /** How many remote candidate lines got {@code verdict} so far (all generations). */
    public synchronized int candidateCount(IceCandidates.Verdict verdict) {
        return verdicts[verdict.ordinal()];
    }

    /** Starts the checks once remote credentials are known, and the connect timer. Idempotent. */
    public synchronized void start() {
        if (closed || started) {
            return;
        }
        started = true;
        maybeStartNewest();
    }

    /**
     * ICE restart (RFC 8445 §9, RFC 8839 §4.4.1.1.1): new local credentials (read them with {@link #localUfrag()} /
     * {@link #localPassword()}) and candidates for the next offer or answer. The remote credentials may be given now
     * (answerer) or later with {@link #setRemoteCredentials} (offerer). Checks of the new agent start as soon as both
     * are known, if the transport was started; only then is the previous agent freed.
     */
    public synchronized void restart(String newRemoteUfrag, String newRemotePassword) {
        if (closed) {
            return;
        }
        older.add(newest);
        newest = new IceGeneration(this, ++generations, harvesters, config, controlling);
        endOfCandidates = false;
        if (newRemoteUfrag != null && newRemotePassword != null) {
            setRemoteCredentials(newRemoteUfrag, newRemotePassword);
        }
    }

    /**
     * Sends one datagram on the selected pair. Returns false (never throws) when not connected or on an I/O error.
     * Lock-free; callable from any thread.
     */
    public boolean send(byte[] buf, int off, int len) {
        IceGeneration g = active;
        if (g == null || !g.send(buf, off, len)) {
            return false;
        }
        sent.increment();
        return true;
    }

    /**
     * Sends one media datagram (SRTP, SRTCP) on the selected pair, through our own send channel when the active
     * generation has one (decision 0008: no allocation; a full socket buffer drops the packet instead of blocking),
     * else like {@link #send}. Returns false (never throws) when not connected or not sent. Lock-free; any thread.
     */
    public boolean sendMedia(byte[] buf, int off, int len) {
        IceGeneration g = active;
        if (g == null || !g.sendMedia(buf, off, len)) {
            return false;
        }
        sent.increment();
        return true;
    }

    /** Whether media currently leaves through our own send channel rather than ice4j's socket. */
    public boolean ownMediaRoute() {
        IceGeneration g = active;
        return g != null && g.ownMediaRoute();
    }

    /** When the active generation's selected pair last had one of our consent checks answered, or -1. */
    long ownConsentMillis() {
        IceGeneration g = active;
        return g == null ? -1 : g.ownConsentMillis();
    }

    public boolean isConnected() {
        return active != null;
    }

    public boolean isClosed() {
        return closed;
    }

    public long packetsReceived() {
        return received.sum();
    }

    public long packetsSent() {
        return sent.sum();
    }

    /** Remote addresses the current agent holds on its endpoints (one per authenticated peer address so far). */
    synchronized int remoteAddresses() {
        return newest.remoteAddresses();
    }

    /** The number of agents created so far: 1, plus one per restart. */
    public synchronized int generation() {
        return generations;
    }

    /** Frees every agent, its candidates and (client mode) its socket and threads. Idempotent. */
    @Override
    public void close() {
        List<IceGeneration> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            active = null;
            cancelTimers();
            all = new ArrayList<>(older);
            all.add(newest);
            older.clear();
            for (IceGeneration g : all) {
                g.free();
            }
        }
    }

    /**
     * Packet hand-off from a generation, on the reading thread. False if the transport is closed (the caller
     * still owns {@code loan}); true once the listener has it.
     */
    boolean deliver(byte[] buf, int off, int len, Object loan) {
        if (closed) {
            return false;
        }
        received.increment();
        listener.onPacket(buf, off, len, loan);
        return true;
    }

    /** A listener threw on the reader thread; logged (rare: a bug in the listener, not a client's doing). */
    void listenerThrew(RuntimeException e) {
        LOG.log(Level.WARNING, "ICE packet listener threw", e);
    }

    /**
     * From ice4j's thread: the peer nominated another pair after the first and {@code g} follows it (decision 0016);
     * counted, and logged on the event thread.
     */
    void onRenominated(IceGeneration g, String pair) {
        RENOMINATIONS.increment();
        EVENTS.execute(() -> LOG.log(Level.FINE, () -> "ICE selected pair moved (generation " + g.number
                + ", the peer nominated another pair): " + pair));
    }

    /** Times a controlled agent followed the peer to another nominated pair, process-wide. */
    public static long renominations() {
        return RENOMINATIONS.sum();
    }

    /** From ice4j's thread: forwarded to the event thread, never handled under an ice4j lock. */
    void onAgentState(IceGeneration g, IceProcessingState state) {
        if (state == IceProcessingState.COMPLETED || state == IceProcessingState.TERMINATED
                || state == IceProcessingState.FAILED) {
            EVENTS.execute(() -> handleAgentState(g, state));
        }
    }

    private void handleAgentState(IceGeneration g, IceProcessingState state) {
        Runnable event = null;
        synchronized (this) {
            if (closed || g.freed || g != newest) {
                return;
            }
            if (state == IceProcessingState.FAILED) {
                event = failLocked(g, "ICE failed: no candidate pair succeeded (RFC 8445 §7.2.5.3.3)");
            } else if (!g.connected && g.component.getSelectedPair() != null) {
                g.connected = true;
                g.connectedAtMillis = System.currentTimeMillis();
                g.fixMediaRoute();
                active = g;
                cancelTimers();
                g.startConsent(config.consentFreshness(), config.consentTimeout().toMillis(), g.connectedAtMillis);
                consentTimer = CONSENT.add(() -> checkConsent(g)); // our checks (or keepalives), and the deadline
                String pair = g.describeSelectedPair();
                LOG.log(Level.FINE, () -> "ICE connected (generation " + g.number + "): " + pair);
                event = () -> listener.onConnected(pair);
            }
        }
        if (event != null) {
            event.run();
        }
    }

    /**
     * RFC 7675 §5.1: sends our consent check when one is due ({@link ConsentChecks}; a keepalive when consent
     * freshness is off), and consent expires when no check on the selected pair succeeded for {@code consentTimeout}.
     */
    private void checkConsent(IceGeneration g) {
        Runnable event = null;
        long now = System.currentTimeMillis();
        if (!g.freed) {
            g.sendConsentIfDue(now); // outside the lock: a non-blocking send, and only this thread sends checks
        }
        synchronized (this) {
            if (closed || g.freed || g != active) {
                return;
            }
            if (g != newest) {
                // The agent of a pending restart takes over; the old one just stops.
                active = null;
                g.free();
                return;
            }
            if (!config.consentFreshness()) {
                return;
            }
            long last = Math.max(Math.max(g.lastConsentMillis(), g.connectedAtMillis), g.switchedAtMillis);
            long silent = now - last;
            if (silent > config.consentTimeout().toMillis()) {
                event = failLocked(g, "ICE consent lost: no consent response for " + silent + " ms (RFC 7675 §5.1)");
            }
        }
        if (event != null) {
            event.run();
        }
    }

    private void connectTimedOut(IceGeneration g) {
        Runnable event = null;
        synchronized (this) {
            if (!closed && !g.freed && g == newest && !g.connected) {
                event = failLocked(g, "ICE connect timeout after " + config.connectTimeout().toMillis() + " ms");
            }
        }
        if (event != null) {
            event.run();
        }
    }

    /** Frees all agents (so nothing more is sent) and returns the listener call to make outside the lock. */
    private Runnable failLocked(IceGeneration g, String reason) {
        active = null;
        cancelTimers();
        for (IceGeneration o : older) {
            o.free();
        }
        older.clear();
        g.free();
        LOG.log(Level.FINE, () -> "ICE generation " + g.number + " failed: " + reason);
        return () -> listener.onFailed(reason);
    }

    private void maybeStartNewest() {
        IceGeneration g = newest;
        if (!started || closed || g.started || g.freed || g.remoteUfrag() == null) {
            return;
        }
        for (IceGeneration o : older) {
            if (o == active) {
                active = null;
            }
            o.free();
        }
        older.clear();
        cancelTimers();
        g.start();
        connectTimer = EVENTS.schedule(() -> connectTimedOut(g), config.connectTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void cancelTimers() {
        if (connectTimer != null) {
            connectTimer.cancel(false);
            connectTimer = null;
        }
        if (consentTimer != null) {
            consentTimer.cancel();
            consentTimer = null;
        }
    }

    private static ScheduledExecutorService events() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ice-events");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }
}
