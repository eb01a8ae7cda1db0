package org.janussfu.webrtc;

import io.vertx.core.Context;
import org.janussfu.rtp.PacketPool;
import org.janussfu.webrtc.dtls.DtlsCertificate;
import org.janussfu.webrtc.ice.IceHarvesters;
import org.janussfu.webrtc.ice.IceSafety;
import org.janussfu.webrtc.ice.IceTransport;
import org.janussfu.webrtc.ice.StunStackPush;
import org.janussfu.webrtc.ice.UdpEndpoint;
import org.janussfu.webrtc.ice.UdpPortPair;
import org.janussfu.webrtc.srtp.SrtpCipherChoice;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The process-wide resources of the WebRTC media plane: the ICE safety settings and shared UDP harvesters, the one
 * DTLS certificate, the fixed worker pools that run DTLS handshakes and records off the event loops, and — once {@link #bind bound} to
 * Vert.x — the {@link MediaLoop} that reads the shared ports and owns the media of every server connection (decision
 * 0013). Creates {@link PeerConnection}s. Built once at start (on the main thread) and closed at shutdown;
 * thread-safe.
 */
public final class MediaEngine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MediaEngine.class.getName());

    private final WebRtcConfig config;
    private final IceHarvesters harvesters;
    private final DtlsCertificate certificate;
    private final org.janussfu.sdp.Fingerprint fingerprint;
    private final HandshakeWorkers dtlsWorkers;
    private final PacketPool pool = new PacketPool(1 << 14);
    final LongAdder opened = new LongAdder();
    final LongAdder closed = new LongAdder();
    /** SRTP/SRTCP datagrams decrypted on the thread that read them (decision 0013), and those handed to it. */
    final LongAdder srtpInline = new LongAdder();
    final LongAdder srtpHandedOff = new LongAdder();
    /** The same for client connections (in-process test peers, the load generator): read on their owner's loop. */
    final LongAdder clientSrtpInline = new LongAdder();
    final LongAdder clientSrtpHandedOff = new LongAdder();
    /** SRTP/SRTCP packets that failed authentication (or replay checks) and were dropped, all connections. */
    final LongAdder srtpAuthFailed = new LongAdder();
    /** DTLS handshakes that completed, failed (alert, bad fingerprint, error) and timed out, all connections. */
    private final LongAdder dtlsConnected = new LongAdder();
    private final LongAdder dtlsFailed = new LongAdder();
    private final LongAdder dtlsTimedOut = new LongAdder();
    /** Data-channel (SCTP) messages and bytes received, sent, and messages not sent (no channel up, buffer full). */
    final LongAdder sctpMessagesIn = new LongAdder();
    final LongAdder sctpBytesIn = new LongAdder();
    final LongAdder sctpMessagesOut = new LongAdder();
    final LongAdder sctpBytesOut = new LongAdder();
    final LongAdder sctpMessagesDropped = new LongAdder();
    /** Hears each completed handshake's duration in ns (the metrics' histogram); owner contexts, once per handshake. */
    private volatile java.util.function.LongConsumer handshakeObserver = n -> { };

    private io.vertx.core.Vertx vertx;
    private volatile MediaLoop mediaLoop;

    public MediaEngine(WebRtcConfig config) throws IOException {
        this.config = config;
        IceSafety.apply(config.ice());
        SrtpCipherChoice.start();
        this.harvesters = new IceHarvesters(config.ice());
        if (config.portRange()) {
            // Check the per-connection socket pair now (once per process, decision 0008), not on an event loop later.
            UdpPortPair.available(config.ice().bindAddresses().get(0));
        }
        this.certificate = DtlsCertificate.generate();
        try {
            this.fingerprint = org.janussfu.sdp.Fingerprint.parse(certificate.fingerprint());
        } catch (org.janussfu.sdp.SdpException e) {
            throw new IllegalStateException("own fingerprint unparsable: " + certificate.fingerprint(), e);
        }
        // Handshakes block in Bouncy Castle, so each needs a thread while it runs: a fixed number of them.
        this.dtlsWorkers = new HandshakeWorkers(config.dtlsHandshakeThreads());
        LOG.info(() -> "media engine ready ice=" + harvesters.localAddresses() + " fingerprint=\"" + certificate.fingerprint() + "\"");
    }

    /** A server-side connection (on the shared port or the port range; ICE role from who offers), owned by {@code owner}. */
    public PeerConnection create(Context owner, PeerConnection.Listener listener) {
        return new PeerConnection(this, owner, false, listener);
    }

    /**
     * A client-side connection (its own loopback socket; ICE role from who offers), as a browser would be: for the
     * in-process test peers and the load generator.
     */
    public PeerConnection createClient(Context owner, PeerConnection.Listener listener) {
        return new PeerConnection(this, owner, true, listener);
    }

    /**
     * The Vert.x instance whose timers run the SCTP engines; set once by the server before any connection. Also
     * creates the engine's {@link MediaLoop} (decision 0013): the shared ports are read on it from now on, and every
     * server-side connection's media runs there.
     */
    public void bind(io.vertx.core.Vertx v) {
        this.vertx = v;
        MediaLoop loop = MediaLoop.create(v);
        int adopted = 0;
        for (UdpEndpoint e : harvesters.endpoints()) {
            if (loop.adopt(e)) {
                adopted++;
            }
        }
        this.mediaLoop = loop;
        int n = adopted;
        LOG.info(() -> "media loop ready: " + n + " of " + harvesters.endpoints().size()
                + " shared ports read on it" + (n == 0 ? " (not an NIO event loop: read by ice-udp threads, one hop)" : ""));
    }

    /**
     * The context that owns the media state of server-side connections (the media loop), or null before {@link
     * #bind}: then each connection's media runs on its owner context, as client connections' always does.
     */
    public Context mediaContext() {
        MediaLoop l = mediaLoop;
        return l == null ? null : l.context();
    }

    /**
     * Reads {@code channel} (non-blocking, bound, registered nowhere else) on the media loop, as the shared ports are:
     * {@code onReadable} runs on the media context at each readiness event and drains it; {@code registered} then
     * gets the action that stops the reading. False (nothing registered) before {@link #bind} or when the loop is not
     * NIO. For the cluster's node-to-node media relay (decision 0014), so that a relayed packet is fanned out where it
     * is read.
     */
    public boolean readOnMediaLoop(java.nio.channels.DatagramChannel channel, io.vertx.core.Handler<Void> onReadable,
                                   java.util.function.Consumer<Runnable> registered) {
        MediaLoop l = mediaLoop;
        return l != null && l.read(channel, onReadable, registered);
    }

    MediaLoop mediaLoop() {
        return mediaLoop;
    }

    io.vertx.core.Vertx vertx() {
        return vertx;
    }

    WebRtcConfig config() {
        return config;
    }

    IceHarvesters harvesters() {
        return harvesters;
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    /** Our certificate's fingerprint as SDP writes it (RFC 8122 §5). */
    public org.janussfu.sdp.Fingerprint fingerprint() {
        return fingerprint;
    }

    HandshakeWorkers dtlsWorkers() {
        return dtlsWorkers;
    }

    /** The process-wide pool of packet holders for the forwarding path. */
    public PacketPool pool() {
        return pool;
    }

    /** SRTP and SRTCP packets dropped because they failed authentication (RFC 3711 §3.3, §3.4), all connections. */
    public long srtpAuthFailed() {
        return srtpAuthFailed.sum();
    }

    /** STUN requests whose MESSAGE-INTEGRITY failed, dropped without a trace on the shared ports. */
    public long stunBadIntegrity() {
        return harvesters.stunBadIntegrity();
    }

    /** Consent checks on selected pairs answered by the shared ports without ice4j. */
    public long stunAnswered() {
        return harvesters.stunAnswered();
    }

    /** Binding requests answered with 487 Role Conflict on the shared ports (see {@link IceHarvesters#roleConflicts}). */
    public long iceRoleConflicts() {
        return harvesters.roleConflicts();
    }

    /** Times a controlled connection followed its peer to a pair nominated after the first (decision 0016). */
    /** DTLS handshakes waiting for a worker thread now (all run on a fixed pool, {@link HandshakeWorkers}). */
    public int dtlsHandshakesQueued() {
        return dtlsWorkers.handshakesQueued();
    }

    /** DTLS worker threads alive now: bounded by the configured handshake threads plus two, whatever the load. */
    public int dtlsThreads() {
        return dtlsWorkers.threads();
    }

    public long iceRenominationsFollowed() {
        return IceTransport.renominations();
    }

    /** Authenticated STUN messages ice4j processed on the shared STUN pool (process-wide, {@link StunStackPush}). */
    public long stunPushed() {
        return StunStackPush.PROCESSED.sum();
    }

    /** Authenticated STUN messages dropped before ice4j: the shared pool's queue full, or ice4j could not use them. */
    public long stunPushDropped() {
        return StunStackPush.DROPPED.sum();
    }

    /** DTLS/SRTP datagrams from addresses that never passed an authenticated check, dropped on the shared ports. */
    public long unvalidatedDropped() {
        return harvesters.unvalidatedDropped();
    }

    /** SRTP/SRTCP datagrams processed where they were read, with no thread hand-off (decision 0013). */
    public long srtpInline() {
        return srtpInline.sum();
    }

    /** SRTP/SRTCP datagrams of server connections handed from a reader thread to the media context (one hop each). */
    public long srtpHandedOff() {
        return srtpHandedOff.sum();
    }

    /** Client connections' SRTP datagrams decrypted on the owner loop that read them. */
    public long clientSrtpInline() {
        return clientSrtpInline.sum();
    }

    /** Client connections' SRTP datagrams handed from a reader thread to their owner (an owner that is no loop). */
    public long clientSrtpHandedOff() {
        return clientSrtpHandedOff.sum();
    }

    /** Sets what hears each completed DTLS handshake's duration (ns), e.g. a histogram; any thread. */
    public void onHandshake(java.util.function.LongConsumer observer) {
        this.handshakeObserver = observer == null ? n -> { } : observer;
    }

    void dtlsHandshakeDone(long nanos) {
        dtlsConnected.increment();
        if (nanos >= 0) {
            handshakeObserver.accept(nanos);
        }
    }

    void dtlsHandshakeFailed(boolean timeout) {
        (timeout ? dtlsTimedOut : dtlsFailed).increment();
    }

    /** DTLS handshakes completed, failed, and timed out (RFC 6347 §4.2.4: no flight answered in time). */
    public long dtlsHandshakesConnected() {
        return dtlsConnected.sum();
    }

    public long dtlsHandshakesFailed() {
        return dtlsFailed.sum();
    }

    public long dtlsHandshakesTimedOut() {
        return dtlsTimedOut.sum();
    }

    /** Data-channel messages received from peers, and their bytes (all connections). */
    public long sctpMessagesIn() {
        return sctpMessagesIn.sum();
    }

    public long sctpBytesIn() {
        return sctpBytesIn.sum();
    }

    /** Data-channel messages sent to peers, their bytes, and messages dropped instead of sent. */
    public long sctpMessagesOut() {
        return sctpMessagesOut.sum();
    }

    public long sctpBytesOut() {
        return sctpBytesOut.sum();
    }

    public long sctpMessagesDropped() {
        return sctpMessagesDropped.sum();
    }

    /** Connections currently open (created and not yet closed). */
    public long openConnections() {
        return opened.sum() - closed.sum();
    }

    @Override
    public void close() {
        harvesters.close();
        dtlsWorkers.close();
    }
}
