package org.janussfu.webrtc.dtls;

import org.janussfu.webrtc.srtp.SrtpKeys;
import org.janussfu.webrtc.srtp.SrtpProfile;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * DTLS 1.2 (RFC 6347) with DTLS-SRTP key export (RFC 5764) for one peer connection, with no I/O of its own: the
 * owner feeds every datagram that {@link #looksLikeDtls} (RFC 7983 §7) into {@link #receive} and supplies a
 * {@link Sender} for outbound records. The Bouncy Castle handshake blocks, so it runs on the caller-supplied
 * worker {@link Executor}, never on the caller's thread; the peer's certificate must match its SDP fingerprint
 * (RFC 8842 §5.1). The {@link Listener} then hears exactly one of {@code onConnected} (profile, SRTP keys for our
 * role, cipher suite) or {@code onFailed}, and afterwards application data (SCTP rides on it, RFC 8261) and a
 * peer-initiated close.
 *
 * <p>Threads: {@link #receive}, {@link #send} and {@link #close} may be called from any thread. After the
 * handshake there is no reader thread: each arriving record schedules (at most one at a time) a drain task on the
 * record executor (by default the handshake's) that feeds Bouncy Castle until the queue is empty and returns its
 * thread. All listener callbacks run on these executors, one at a time, in order; hop to your own context from there. {@link #send} encrypts on the
 * calling thread (Bouncy Castle serialises record writes internally). No locks of ours; the record path is not
 * the SRTP path and may allocate (one copy per inbound record).
 */
public final class DtlsTransport implements AutoCloseable {
    /** Where outbound DTLS records go (the ICE transport). Copy the bytes if you keep them after returning. */
    @FunctionalInterface
    public interface Sender {
        void send(byte[] buf, int off, int len);
    }

    /** Outcome and data of one DTLS association; every method runs on the DTLS worker. */
    public interface Listener {
        /** The handshake succeeded; {@code keys} are already split for our role. */
        void onConnected(SrtpProfile profile, SrtpKeys keys, String cipherSuiteName);

        /** The handshake failed or timed out ("DTLS handshake timeout"), or the transport was closed first. */
        void onFailed(String reason);

        /** One DTLS application-data record (the buffer is reused after return: copy what you keep). */
        default void onApplicationData(byte[] buf, int off, int len) {
        }

        /** After {@code onConnected}: the peer sent close_notify or a fatal alert, or the record layer failed. */
        default void onClosed(String reason) {
        }
    }

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Inbound records buffered while the worker is busy; more are dropped and counted. */
    public static final int QUEUE_CAPACITY = 128;
    private static final int RECORD_HEADER = 13;

    private enum State { NEW, HANDSHAKING, CONNECTED, CLOSED, FAILED }

    private final DtlsRole role;
    private final DtlsCertificate certificate;
    private final DtlsFingerprint remoteFingerprint;
    private final Executor executor;
    private final Executor recordExecutor;
    private final Listener listener;
    private final Duration handshakeTimeout;
    private final DtlsDatagramQueue queue;
    private final DtlsPeerState peer = new DtlsPeerState();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicBoolean outcomeDelivered = new AtomicBoolean();
    /** Server role, started, no record yet: the handshake waits for the first record before taking a thread. */
    private final AtomicBoolean awaitingFirstRecord = new AtomicBoolean();
    private final AtomicInteger drainRequests = new AtomicInteger();
    private final byte[] readBuffer = new byte[DtlsDatagramQueue.RECEIVE_LIMIT];
    private volatile DTLSTransport dtls;
    private volatile long handshakeNanos = -1;

    private final LongAdder receivedRecords = new LongAdder();
    private final LongAdder droppedRecords = new LongAdder();
    private final LongAdder garbageRecords = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final LongAdder listenerErrors = new LongAdder();

    public DtlsTransport(DtlsRole role, DtlsCertificate certificate, DtlsFingerprint remoteFingerprint,
                         Executor executor, Sender sender, Listener listener) {
        this(role, certificate, remoteFingerprint, executor, sender, listener, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    public DtlsTransport(DtlsRole role, DtlsCertificate certificate, DtlsFingerprint remoteFingerprint,
                         Executor executor, Sender sender, Listener listener, Duration handshakeTimeout) {
        this(role, certificate, remoteFingerprint, executor, executor, sender, listener, handshakeTimeout);
    }

    /**
     * As above, with the handshake on {@code executor} and the record drains of the established association on
     * {@code recordExecutor} (the engine keeps them apart, so that handshakes never delay an established association's records).
     */
    public DtlsTransport(DtlsRole role, DtlsCertificate certificate, DtlsFingerprint remoteFingerprint,
                         Executor executor, Executor recordExecutor, Sender sender, Listener listener,
                         Duration handshakeTimeout) {
        if (role == null || certificate == null || remoteFingerprint == null || executor == null || recordExecutor == null
                || sender == null
                || listener == null || handshakeTimeout == null || handshakeTimeout.isNegative()
                || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("all DtlsTransport arguments are required");
        }
        this.role = role;
        this.certificate = certificate;
        this.remoteFingerprint = remoteFingerprint;
        this.executor = executor;
        this.recordExecutor = recordExecutor;
        this.listener = listener;
        this.handshakeTimeout = handshakeTimeout;
        this.queue = new DtlsDatagramQueue(QUEUE_CAPACITY, sender);
    }

    /** RFC 7983 §7 demultiplexing: a first byte in 20..63 is DTLS. */
    public static boolean looksLikeDtls(byte b0) {
        int v = b0 & 0xff;
        return v >= 20 && v <= 63;
    }

    /**
     * Starts the handshake, its deadline running from now. Records received before this are kept (up to the queue
     * size). As the server (RFC 6347 §4.2: the client speaks first) the handshake takes a worker thread only once
     * the peer's first record is here, so a peer that has not sent its ClientHello yet — slow, or never — holds no
     * thread; {@link #expireIfWaiting} ends such a wait at the deadline.
     */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.HANDSHAKING)) {
            return;
        }
        queue.armDeadline(handshakeTimeout.toNanos());
        if (role == DtlsRole.SERVER) {
            awaitingFirstRecord.set(true);
            if (queue.isEmpty() || !awaitingFirstRecord.compareAndSet(true, false)) {
                return; // receive() dispatches when the first record is queued
            }
        }
        dispatchHandshake();
    }

    /**
     * The handshake deadline has passed (the owner's timer, any thread): a server still waiting for the peer's
     * first record fails with "DTLS handshake timeout" (on the worker, as every outcome). No effect otherwise —
     * a running handshake times out by itself.
     */
    public void expireIfWaiting() {
        if (awaitingFirstRecord.compareAndSet(true, false)) {
            expireOnWorker("DTLS handshake timeout");
        }
    }

    private void expireOnWorker(String reason) {
        try {
            executor.execute(() -> fail(reason));
        } catch (RejectedExecutionException e) {
            fail(reason);
        }
    }

    private void dispatchHandshake() {
        try {
            executor.execute(this::handshake);
        } catch (RejectedExecutionException e) {
            fail("DTLS worker rejected the handshake");
        }
    }

    /**
     * Hands in one datagram from the network (any thread). It is copied into the bounded queue; malformed
     * records and records that do not fit are dropped and counted, never thrown.
     */
    public void receive(byte[] buf, int off, int len) {
        State s = state.get();
        if (s == State.CLOSED || s == State.FAILED) {
            droppedRecords.increment();
            return;
        }
        // A DTLS 1.x record header: content type (RFC 7983 range), version major 0xFE, 13 header bytes.
        if (buf == null || off < 0 || len < RECORD_HEADER || off > buf.length - len
                || len > DtlsDatagramQueue.RECEIVE_LIMIT || !looksLikeDtls(buf[off]) || buf[off + 1] != (byte) 0xFE) {
            garbageRecords.increment();
            return;
        }
        if (s == State.CONNECTED && DtlsRecords.hasPlaintextAlert(buf, off, len)) {
            garbageRecords.increment(); // RFC 6347 §4.1.2.7: an unauthenticated alert is dropped, not obeyed
            return;
        }
        if (!queue.offer(buf, off, len)) {
            droppedRecords.increment();
            return;
        }
        receivedRecords.increment();
        if (state.get() == State.CONNECTED) {
            scheduleDrain();
        } else if (awaitingFirstRecord.get() && awaitingFirstRecord.compareAndSet(true, false)) {
            dispatchHandshake();
        }
    }

    /**
     * Sends one application-data record (after {@code onConnected}; any thread). Returns false, counted, if not
     * connected, too large for {@link #sendLimit()}, or the record layer refused it.
     */
    public boolean send(byte[] buf, int off, int len) {
        DTLSTransport d = dtls;
        if (d == null || state.get() != State.CONNECTED) {
            sendFailures.increment();
            return false;
        }
        try {
            // Bouncy Castle treats an oversized record as a fatal error of the whole association; refuse it here.
            if (len > d.getSendLimit()) {
                sendFailures.increment();
                return false;
            }
            d.send(buf, off, len);
            return true;
        } catch (IOException | RuntimeException e) {
            sendFailures.increment();
            return false;
        }
    }

    /** Largest application-data payload one record can carry (0 before the handshake). */
    public int sendLimit() {
        DTLSTransport d = dtls;
        try {
            return d == null ? 0 : d.getSendLimit();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Sends close_notify if connected (from the calling thread), stops the handshake or drain and frees the
     * queue. Idempotent. Does not call {@link Listener#onClosed}; a handshake still running ends with
     * {@code onFailed("DTLS transport closed")} on the worker.
     */
    @Override
    public void close() {
        State prev = state.getAndSet(State.CLOSED);
        if (prev == State.CLOSED) {
            return;
        }
        DTLSTransport d = dtls;
        if (prev == State.CONNECTED && d != null) {
            try {
                d.close();
            } catch (IOException | RuntimeException e) {
                // close_notify is best effort
            }
        }
        queue.close();
        if (awaitingFirstRecord.compareAndSet(true, false)) {
            expireOnWorker("DTLS transport closed"); // as a handshake that was running would
        }
    }

    private void handshake() {
        long start = System.nanoTime();
        JcaTlsCrypto crypto = DtlsPeerSupport.CRYPTO;
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, handshakeTimeout.toMillis());
        DTLSTransport transport = null;
        Exception error = null;
        try {
            if (role == DtlsRole.SERVER) {
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                // ICE connectivity checks have already verified the peer's address (RFC 8445 §7.2), so the
                // stateless cookie exchange of RFC 6347 §4.2.1 would only add a round trip.
                protocol.setVerifyRequests(false);
                transport = protocol.accept(
                        new DtlsServerPeer(crypto, certificate, remoteFingerprint, peer, timeoutMillis), queue);
            } else {
                transport = new DTLSClientProtocol().connect(
                        new DtlsClientPeer(crypto, certificate, remoteFingerprint, peer, timeoutMillis), queue);
            }
        } catch (IOException | RuntimeException e) {
            error = e;
        }
        if (transport == null) {
            fail(failureReason(error));
            return;
        }
        SrtpKeys keys = peer.keys;
        String suite = peer.cipherSuite;
        if (keys == null) {
            closeQuietly(transport);
            fail("DTLS-SRTP key export failed");
            return;
        }
        handshakeNanos = System.nanoTime() - start;
        dtls = transport;
        queue.handshakeDone();
        drainRequests.incrementAndGet(); // this thread drains first, so data never precedes onConnected
        if (!state.compareAndSet(State.HANDSHAKING, State.CONNECTED)) {
            closeQuietly(transport);
            queue.close();
            deliverFailed("DTLS transport closed");
            return;
        }
        if (outcomeDelivered.compareAndSet(false, true)) {
            try {
                listener.onConnected(peer.profile, keys, suite);
            } catch (RuntimeException e) {
                listenerErrors.increment();
            }
        }
        drainLoop();
    }

    private String failureReason(Exception error) {
        if (state.get() == State.CLOSED) {
            return "DTLS transport closed";
        }
        if (queue.timedOut() || error instanceof TlsTimeoutException) {
            return "DTLS handshake timeout";
        }
        if (peer.localFailure != null) {
            return "DTLS handshake failed: " + peer.localFailure;
        }
        if (peer.fatalAlertReceived >= 0) {
            return "DTLS handshake failed: peer sent fatal alert " + peer.fatalAlertName();
        }
        String detail = error == null ? "unknown" : error.getClass().getSimpleName() + ": " + error.getMessage();
        return "DTLS handshake failed: " + detail;
    }

    private void fail(String reason) {
        if (!state.compareAndSet(State.HANDSHAKING, State.FAILED) && state.get() == State.CLOSED) {
            reason = "DTLS transport closed";
        }
        queue.close();
        deliverFailed(reason);
    }

    private void deliverFailed(String reason) {
        if (outcomeDelivered.compareAndSet(false, true)) {
            try {
                listener.onFailed(reason);
            } catch (RuntimeException e) {
                listenerErrors.increment();
            }
        }
    }

    private void scheduleDrain() {
        if (drainRequests.getAndIncrement() == 0) {
            try {
                recordExecutor.execute(this::drainLoop);
            } catch (RejectedExecutionException e) {
                drainRequests.set(0);
                droppedRecords.increment();
            }
        }
    }

    /** Runs while drain requests keep arriving; at most one instance at a time (the counter is the guard). */
    private void drainLoop() {
        int missed = 1;
        for (;;) {
            drainOnce();
            missed = drainRequests.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void drainOnce() {
        DTLSTransport d = dtls;
        while (d != null && state.get() == State.CONNECTED) {
            int n;
            try {
                // A positive wait: Bouncy Castle reads 0 as "forever". Our queue never blocks in this mode.
                n = d.receive(readBuffer, 0, readBuffer.length, 1);
            } catch (InterruptedIOException e) {
                if (peerGone()) {
                    return;
                }
                if (queue.isDrained(e) && queue.isEmpty()) {
                    return;
                }
                continue;
            } catch (IOException | RuntimeException e) {
                if (!peerGone()) {
                    closeByPeer("DTLS record layer failed: " + e.getMessage());
                }
                return;
            }
            if (n > 0) {
                try {
                    listener.onApplicationData(readBuffer, 0, n);
                } catch (RuntimeException e) {
                    listenerErrors.increment();
                }
            } else if (peerGone()) {
                return;
            }
        }
    }

    /** Reports a close_notify or fatal alert from the peer, if one arrived; true if the association is over. */
    private boolean peerGone() {
        if (peer.fatalAlertReceived >= 0) {
            closeByPeer("fatal alert " + peer.fatalAlertName());
            return true;
        }
        if (peer.closeNotifyReceived) {
            closeByPeer("close_notify");
            return true;
        }
        return state.get() != State.CONNECTED;
    }

    private void closeByPeer(String reason) {
        if (state.compareAndSet(State.CONNECTED, State.CLOSED)) {
            DTLSTransport d = dtls;
            if (d != null) {
                closeQuietly(d);
            }
            queue.close();
            try {
                listener.onClosed(reason);
            } catch (RuntimeException e) {
                listenerErrors.increment();
            }
        }
    }

    private static void closeQuietly(DTLSTransport d) {
        try {
            d.close();
        } catch (IOException | RuntimeException e) {
            // nothing more to do
        }
    }

    public DtlsRole role() {
        return role;
    }

    public boolean isConnected() {
        return state.get() == State.CONNECTED;
    }

    /** Whether the extended master secret (RFC 7627) was negotiated; meaningful after {@code onConnected}. */
    public boolean extendedMasterSecret() {
        return peer.extendedMasterSecret;
    }

    /** Time the successful handshake took on the worker, in nanoseconds, or -1. */
    public long handshakeNanos() {
        return handshakeNanos;
    }

    /** Records accepted into the queue. */
    public long receivedRecords() {
        return receivedRecords.sum();
    }

    /** Records dropped because the queue was full, the worker refused work, or the transport was over. */
    public long droppedRecords() {
        return droppedRecords.sum();
    }

    /** Datagrams refused before queueing: too short, too long, or not a DTLS record header. */
    public long garbageRecords() {
        return garbageRecords.sum();
    }

    /** Application-data sends refused, plus outbound records the {@link Sender} threw on. */
    public long sendFailures() {
        return sendFailures.sum() + queue.sendErrors();
    }

    /** Exceptions thrown by the listener (swallowed so the worker survives). */
    public long listenerErrors() {
        return listenerErrors.sum();
    }
}
