package org.janussfu.webrtc.sctp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One SCTP association over DTLS (RFC 8261), the WebRTC subset of RFC 9260 with RFC 3758 and RFC 6525: the
 * {@link SctpTransport} the data-channel layer drives. This class is the state machine (RFC 9260 §4) and the packet
 * dispatcher: it checks ports and verification tags (§8.5, §8.5.1), hands chunks to the parts that own them —
 * {@link AssociationHandshake} (setup), {@link DataSender} and {@link DataReceiver} (data transfer), {@link
 * StreamResetManager} (RFC 6525), {@link HeartbeatMonitor} (§8.3) — runs SHUTDOWN and ABORT (§9), counts consecutive
 * timeouts against Association.Max.Retrans (§8.1) and bundles what is due into packets after each event.
 * <p>
 * Threading: single owner. Every public method must be called on the owning context (the connection's Vert.x event
 * loop), and {@link SctpClock#schedule} must run its tasks on that same context; listener callbacks happen there,
 * possibly from inside {@link #receive} or a timer, and may call back into this object. No locks. Nothing thrown
 * escapes {@link #receive}: bad input is dropped and counted in {@link #counters()}.
 */
public final class SctpAssociation implements SctpTransport {

    /**
     * Where finished SCTP packets go (the DTLS transport). The array is the association's and is reused for the next
     * packet: the callee consumes or copies it before returning.
     */
    @FunctionalInterface
    public interface Output {
        void send(byte[] buf, int off, int len);
    }

    final SctpClock clock;
    final SctpConfig config;
    final SctpCounters counters = new SctpCounters();
    final PacketWriter writer;
    final int localPort;
    final int remotePort;
    private final Listener listener;
    private final Random random;
    final AssociationHandshake handshake;
    final RtoEstimator rto;
    private final SendQueue queue = new SendQueue();
    final StreamResetManager resets;
    final InboundDispatcher inbound;
    final ShutdownSequence shutdown;
    final HeartbeatMonitor heartbeats;
    private final TimerSlot t3;
    private final TimerSlot delayedAck;
    private final TimerSlot heartbeatTimer;
    private final TimerSlot reconfigTimer;
    final List<Chunk> control = new ArrayList<>();

    AssociationState state = AssociationState.CLOSED;
    boolean peerKnown;
    int peerTag;
    boolean cookieAckPending;
    private boolean peerPartialReliability;
    private boolean peerReconfig;
    private int outboundStreams = AssociationHandshake.STREAMS;
    DataSender sender;
    DataReceiver receiver;
    boolean forwardTsnWanted;
    int errorCount;
    private boolean busy;
    boolean terminated;
    private String closeReason;

    public SctpAssociation(int localPort, int remotePort, SctpClock clock, Output out, Listener listener,
                           SctpConfig config) {
        this(localPort, remotePort, clock, out, listener, config, new SecureRandom());
    }

    /** With an explicit randomness source for tags, initial TSN and cookie secret (seeded in tests). */
    SctpAssociation(int localPort, int remotePort, SctpClock clock, Output out, Listener listener, SctpConfig config,
                    Random random) {
        this.localPort = localPort;
        this.remotePort = remotePort;
        this.clock = clock;
        this.config = config;
        this.listener = listener;
        this.random = random;
        this.writer = new PacketWriter(localPort, remotePort, config.mtu(), out, counters);
        this.rto = new RtoEstimator(config.rtoInitialMillis(), config.rtoMinMillis(), config.rtoMaxMillis());
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.handshake = new AssociationHandshake(this, secret, randomTag(), random.nextInt());
        this.t3 = new TimerSlot(clock);
        this.delayedAck = new TimerSlot(clock);
        this.heartbeatTimer = new TimerSlot(clock);
        this.reconfigTimer = new TimerSlot(clock);
        this.heartbeats = new HeartbeatMonitor(random);
        this.inbound = new InboundDispatcher(this);
        this.shutdown = new ShutdownSequence(this);
        this.resets = new StreamResetManager(counters, queue, reconfigTimer, timerTask(this::onReconfigTimeout),
                new ResetHost(), handshake.localInitialTsn);
    }

    // ---------------------------------------------------------------------------------------------- public API

    @Override
    public void start() {
        guarded(() -> {
            if (!terminated && state == AssociationState.CLOSED) {
                handshake.start();
            }
        });
    }

    @Override
    public void receive(byte[] buf, int off, int len) {
        guarded(() -> inbound.onPacket(buf, off, len));
    }

    @Override
    public boolean send(int streamId, int ppid, byte[] data, int off, int len, boolean unordered, int maxRetransmits,
                        int maxLifetimeMillis) {
        if (terminated || state.shuttingDown()) {
            return false;
        }
        if (len > config.maxMessageSize() || len < 0 || streamId < 0 || streamId >= outboundStreams
                || (len == 0 && ppid != 56 && ppid != 57)) {
            counters.dropsMessageTooLarge++;
            return false;
        }
        // RFC 9260 §6.2 forbids empty DATA; RFC 8831 §6.6 sends an empty message as one zero byte with PPID 56/57.
        byte[] copy = new byte[Math.max(1, len)];
        if (len > 0) {
            System.arraycopy(data, off, copy, 0, len);
        }
        if (bufferedAmount() + copy.length > config.sendBufferBytes()) {
            counters.dropsSendBufferFull++;
            return false;
        }
        long expires = maxLifetimeMillis >= 0 ? clock.nowMillis() + maxLifetimeMillis : Long.MAX_VALUE;
        queue.add(new OutboundMessage(streamId, ppid, copy, unordered, Math.max(-1, maxRetransmits), expires));
        guarded(() -> { });
        return true;
    }

    @Override
    public void resetStreams(int[] streamIds) {
        guarded(() -> {
            if (!terminated && !state.shuttingDown() && (!peerKnown || peerReconfig)) {
                resets.requestReset(streamIds);
            }
        });
    }

    @Override
    public long bufferedAmount() {
        return sender == null ? queue.bytes() : sender.bufferedAmount();
    }

    @Override
    public int maxMessageSize() {
        return config.maxMessageSize();
    }

    @Override
    public boolean isEstablished() {
        return state == AssociationState.ESTABLISHED;
    }

    @Override
    public void close() {
        guarded(() -> {
            if (terminated) {
                return;
            }
            switch (state) {
                case ESTABLISHED -> {
                    state = AssociationState.SHUTDOWN_PENDING; // §9.2: finish sending, then SHUTDOWN
                    shutdown.checkShutdown();
                }
                case CLOSED, COOKIE_WAIT, COOKIE_ECHOED -> abortWith(ErrorCauses.text(
                        ErrorCauses.USER_INITIATED_ABORT, "closed during setup"), "closed before established");
                default -> { }
            }
        });
    }

    @Override
    public void abort(String reason) {
        guarded(() -> {
            if (!terminated) {
                abortWith(ErrorCauses.text(ErrorCauses.USER_INITIATED_ABORT, String.valueOf(reason)),
                        "aborted: " + reason);
            }
        });
    }

    public AssociationState state() {
        return state;
    }

    public SctpCounters counters() {
        return counters;
    }

    /** Why the association closed, or null while it is open. */
    public String closeReason() {
        return closeReason;
    }

    /** Current retransmission timeout, for metrics. */
    public long rtoMillis() {
        return rto.rto();
    }

    DataSender sender() {
        return sender;
    }

    DataReceiver receiver() {
        return receiver;
    }

    int localTag() {
        return handshake.localTag;
    }

    // ------------------------------------------------------------------------------------ state transitions

    int randomTag() {
        int t;
        do {
            t = random.nextInt();
        } while (t == 0);
        return t;
    }

    /** Learns the peer from its INIT-ACK or from our cookie (first one wins) and creates the data machinery. */
    void setupPeer(int tag, int initialTsn, long aRwnd, int peerOutbound, int peerInbound, boolean pr,
                   boolean reconfig) {
        if (peerKnown) {
            return;
        }
        peerKnown = true;
        peerTag = tag;
        peerPartialReliability = pr;
        peerReconfig = reconfig;
        outboundStreams = Math.min(AssociationHandshake.STREAMS, peerInbound); // §5.1.1: min(our OS, their MIS)
        int inbound = Math.min(AssociationHandshake.STREAMS, peerOutbound);
        sender = new DataSender(config, counters, queue, t3, timerTask(this::onT3), rto, handshake.localInitialTsn,
                aRwnd, pr);
        receiver = new DataReceiver(config, counters, initialTsn, inbound, this::deliver, delayedAck,
                timerTask(() -> receiver.onDelayedAckTimeout()));
        resets.setPeerInitialTsn(initialTsn);
    }

    void enterEstablished() {
        state = AssociationState.ESTABLISHED;
        errorCount = 0;
        handshake.stop();
        heartbeatTimer.start(config.heartbeatIntervalMillis(), timerTask(this::onHeartbeatTimer));
        try {
            listener.onEstablished();
        } catch (RuntimeException e) {
            counters.listenerErrors++;
        }
    }

    void abortWith(byte[] cause, String reason) {
        if (peerKnown) {
            writer.sendAlone(peerTag, new ValueChunk(Chunk.ABORT, 0, cause)); // §9.1
        }
        terminate(reason);
    }

    /** Ends the association once: timers stopped, queues dropped, the listener told. */
    void terminate(String reason) {
        if (terminated) {
            return;
        }
        terminated = true;
        closeReason = reason;
        state = AssociationState.CLOSED;
        handshake.stop();
        shutdown.stop();
        t3.stop();
        delayedAck.stop();
        heartbeatTimer.stop();
        reconfigTimer.stop();
        queue.clear();
        control.clear();
        try {
            listener.onClosed(reason);
        } catch (RuntimeException e) {
            counters.listenerErrors++;
        }
    }

    /** Counts one timeout (§8.1); fails the association and returns false past Association.Max.Retrans. */
    boolean countError() {
        if (++errorCount > config.maxRetransmissions()) {
            abortWith(ErrorCauses.text(ErrorCauses.PROTOCOL_VIOLATION, "too many retransmissions"),
                    "too many retransmissions (peer unreachable)");
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------ timers

    /** Wraps a timer task so that it runs like any other event: guarded, then flushed. */
    Runnable timerTask(Runnable task) {
        return () -> guarded(() -> {
            if (!terminated) {
                task.run();
            }
        });
    }

    private void onT3() {
        if (sender == null || !countError()) {
            return;
        }
        sender.onT3Expired(clock.nowMillis());
        forwardTsnWanted = true;
    }

    private void onHeartbeatTimer() {
        if (!state.canSendData() && state != AssociationState.SHUTDOWN_SENT) {
            return;
        }
        if (heartbeats.outstanding()) {
            heartbeats.expire(); // §8.3: no HEARTBEAT-ACK within one RTO
            if (!countError()) {
                return;
            }
            rto.backoff();
        } else if (!heartbeats.takeAnswered() && sender != null && !sender.hasOutstanding()) {
            // an answered heartbeat's RTO timer only starts the next period: H = RTO + HB.interval (§8.3)
            control.add(heartbeats.newHeartbeat(clock.nowMillis()));
            counters.heartbeatsSent++;
            heartbeatTimer.start(rto.rto(), timerTask(this::onHeartbeatTimer));
            return;
        }
        heartbeatTimer.start(config.heartbeatIntervalMillis(), timerTask(this::onHeartbeatTimer));
    }

    private void onReconfigTimeout() {
        resets.onTimeout();
    }

    // ---------------------------------------------------------------------------------------------- output

    /** Runs an event with reentrancy and exception guards, then sends what became due. */
    private void guarded(Runnable event) {
        if (busy) {
            event.run(); // a listener calling back into us: the outer event flushes
            return;
        }
        busy = true;
        try {
            event.run();
            if (!terminated) {
                flush();
            }
        } catch (RuntimeException e) {
            counters.internalErrors++;
        } finally {
            busy = false;
        }
    }

    private void flush() {
        long now = clock.nowMillis();
        if (peerKnown && peerReconfig && state.canSendData()) {
            resets.maybeSendRequest();
        }
        writer.begin(peerTag);
        if (cookieAckPending) {
            cookieAckPending = false;
            writer.add(ValueChunk.of(Chunk.COOKIE_ACK)); // §5.1 D: first in its packet
        }
        if (receiver != null && receiver.sackWanted()) {
            writer.add(receiver.takeSack());
        }
        for (int i = 0; i < control.size(); i++) {
            writer.add(control.get(i));
        }
        control.clear();
        if (forwardTsnWanted && sender != null) {
            forwardTsnWanted = false;
            ForwardTsnChunk f = sender.forwardTsn();
            if (f != null) {
                writer.add(f);
            }
        }
        if (sender != null && state.canSendData()) {
            sender.fill(writer, now);
        }
        writer.end();
    }

    private void deliver(int streamId, int ppid, byte[] data) {
        if (terminated) {
            return;
        }
        counters.messagesReceived++;
        int len = (ppid == 56 || ppid == 57) ? 0 : data.length; // RFC 8831 §6.6: the empty-message filler byte
        try {
            listener.onMessage(streamId, ppid, data, 0, len);
        } catch (RuntimeException e) {
            counters.listenerErrors++;
        }
    }

    /** The reset manager's view of the association. */
    private final class ResetHost implements StreamResetManager.Host {
        @Override
        public void sendControl(Chunk c) {
            control.add(c);
        }

        @Override
        public void streamsReset(int[] streamIds) {
            try {
                listener.onStreamsReset(streamIds);
            } catch (RuntimeException e) {
                counters.listenerErrors++;
            }
        }

        @Override
        public long rtoMillis() {
            return rto.rto();
        }

        @Override
        public int lastAssignedTsn() {
            return sender == null ? handshake.localInitialTsn - 1 : sender.lastAssignedTsn();
        }

        @Override
        public long unwrapPeerTsn(int tsn) {
            return receiver.unwrap(tsn);
        }
    }
}
