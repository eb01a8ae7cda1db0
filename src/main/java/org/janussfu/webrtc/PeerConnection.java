package org.janussfu.webrtc;

import io.vertx.core.Context;
import org.janussfu.rtp.HandoffQueue;
import org.janussfu.rtp.PooledPacket;
import org.janussfu.sdp.LocalTransport;
import org.janussfu.sdp.RemoteTransport;
import org.janussfu.sdp.SetupRole;

import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * One WebRTC connection of a Janus handle: ICE ({@link IceTransport}), then DTLS ({@link DtlsTransport}) in the
 * role the SDP's {@code a=setup} gives (RFC 8842 §5), then SRTP/SRTCP ({@link SrtpTransformer}) with the exported
 * keys (RFC 5764 §4.2). Owned by one Vert.x context (the handle's session context): every state change and every
 * {@link Listener} call happens there. Network threads only classify datagrams (RFC 7983 §7) and hand them off —
 * DTLS records to the DTLS queue, SRTP/SRTCP as pooled packets into a bounded {@link HandoffQueue} drained on the owner — so nothing on
 * the packet path takes a lock, logs or throws; failures are counted.
 */
public final class PeerConnection {
    /** Callbacks on the owning context. */
    public interface Listener {
        /** ICE and DTLS are up; media can flow (Janus' {@code webrtcup}). */
        void onConnected(SrtpProfile profile, String cipherSuite);

        /** The connection is gone: {@code ICE failed}, {@code DTLS alert}, {@code DTLS handshake failed: ...}. */
        void onClosed(String reason);

        /** A decrypted RTP packet, valid only during the call (the connection reuses its holder). */
        void onRtp(byte[] buf, int off, int len);

        /** A decrypted compound RTCP packet, valid only during the call. */
        void onRtcp(byte[] buf, int off, int len);

        /** DTLS application data (SCTP, RFC 8261); the array belongs to the listener from now on. */
        default void onApplicationData(byte[] buf, int off, int len) {
        }
    }

    private static final Logger LOG = Logger.getLogger(PeerConnection.class.getName());

    private final MediaEngine engine;
    private final Context owner;
    private final Listener listener;
    private final IceTransport ice;
    private final HandoffQueue<PooledPacket> inbound;
    private final boolean client;
    // Owner context only.
    private RemoteTransport remote;
    private SetupRole localSetup;
    private DtlsTransport dtls;
    private SrtpTransformer srtp;
    private boolean started;
    private volatile boolean closed;
    private volatile boolean up;

    final LongAdder rtpIn = new LongAdder();
    final LongAdder rtcpIn = new LongAdder();
    final LongAdder rtpOut = new LongAdder();
    final LongAdder rtcpOut = new LongAdder();
    final LongAdder unknownDropped = new LongAdder();
    final LongAdder srtpDropped = new LongAdder();
    final LongAdder notUpDropped = new LongAdder();

    PeerConnection(MediaEngine engine, Context owner, boolean client, Listener listener) {
        this.engine = engine;
        this.owner = owner;
        this.listener = listener;
        this.client = client;
        this.inbound = new HandoffQueue<>(engine.config().inboundQueue(), owner, this::onSrtp);
        IceTransport.Listener iceListener = new IceTransport.Listener() {
            @Override
            public void onConnected(String pair) {
                owner.runOnContext(v -> iceConnected(pair));
            }

            @Override
            public void onFailed(String reason) {
                owner.runOnContext(v -> fail("ICE failed"));
            }

            @Override
            public void onPacket(byte[] buf, int off, int len, boolean handedOver) {
                datagram(buf, off, len, handedOver);
            }
        };
        this.ice = client ? IceTransport.client(engine.config().ice(), true, iceListener)
                : new IceTransport(engine.harvesters(), false, iceListener);
        engine.opened.increment();
    }

    /** Our ICE credentials, DTLS fingerprint and candidates for an SDP in which we take {@code setup}. */
    public LocalTransport localTransport(SetupRole setup) {
        return new LocalTransport(ice.localUfrag(), ice.localPassword(),
                engine.fingerprint(), setup, ice.localCandidates());
    }

    /**
     * Applies the peer's description (its offer, or its answer to ours) with the DTLS role we took in our own
     * description ({@code active} = DTLS client). A changed ufrag/pwd restarts ICE (RFC 8445 §9); the DTLS
     * association survives a restart. The first call starts ICE.
     */
    public void setRemote(RemoteTransport r, SetupRole ourSetup) {
        if (closed) {
            return;
        }
        if (remote != null && r.isIceRestart(remote.ufrag(), remote.pwd())) {
            ice.restart(r.ufrag(), r.pwd());
        } else if (remote == null) {
            ice.setRemoteCredentials(r.ufrag(), r.pwd());
        }
        for (String c : r.candidates()) {
            ice.addRemoteCandidate(c);
        }
        if (r.endOfCandidates()) {
            ice.endOfRemoteCandidates();
        }
        if (dtls == null) {
            localSetup = ourSetup == SetupRole.ACTPASS ? (r.setup() == SetupRole.ACTIVE ? SetupRole.PASSIVE : SetupRole.ACTIVE)
                    : ourSetup;
            DtlsRole role = localSetup == SetupRole.ACTIVE ? DtlsRole.CLIENT : DtlsRole.SERVER;
            dtls = new DtlsTransport(role, engine.certificate(), DtlsFingerprint.parse(r.fingerprint().toString()),
                    engine.dtlsWorkers(), ice::send, new DtlsEvents(), engine.config().dtlsHandshakeTimeout());
        }
        remote = r;
        if (!started) {
            started = true;
            ice.start();
        }
    }

    /** A trickled candidate ({@code candidate:...} value, RFC 8839 §5.1); junk is ignored and counted by ICE. */
    public void addRemoteCandidate(String candidate) {
        if (!closed) {
            ice.addRemoteCandidate(candidate);
        }
    }

    public void endOfRemoteCandidates() {
        if (!closed) {
            ice.endOfRemoteCandidates();
        }
    }

    public boolean hasRemote() {
        return remote != null;
    }

    public boolean isUp() {
        return up;
    }

    /**
     * Protects {@code buf[off, off+len)} in place (SRTP, RFC 3711 §3.3; the array needs {@link
     * SrtpTransformer#MIN_TAILROOM} spare bytes) and sends it. Owner context only. Returns the protected length
     * (the bytes now in the array, which {@link #resend} can send again), or -1 when not up or on error.
     */
    public int sendRtp(byte[] buf, int off, int len) {
        if (!up) {
            notUpDropped.increment();
            return -1;
        }
        int n = srtp.protectRtp(buf, off, len);
        if (n < 0) {
            srtpDropped.increment();
            return -1;
        }
        rtpOut.increment();
        ice.send(buf, off, n);
        return n;
    }

    /** Sends an already protected packet again (a NACKed retransmission, RFC 4585 §6.2.1). Owner context. */
    public boolean resend(byte[] buf, int off, int len) {
        if (!up) {
            return false;
        }
        rtpOut.increment();
        return ice.send(buf, off, len);
    }

    /** As {@link #sendRtp} for a compound RTCP packet (SRTCP, RFC 3711 §3.4). */
    public boolean sendRtcp(byte[] buf, int off, int len) {
        if (!up) {
            notUpDropped.increment();
            return false;
        }
        int n = srtp.protectRtcp(buf, off, len);
        if (n < 0) {
            srtpDropped.increment();
            return false;
        }
        rtcpOut.increment();
        return ice.send(buf, off, n);
    }

    /** DTLS application data (SCTP); any thread. */
    public boolean sendApplicationData(byte[] buf, int off, int len) {
        DtlsTransport d = dtls;
        return up && d != null && d.send(buf, off, len);
    }

    /** Tears everything down without calling the listener. Idempotent; owner context. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        up = false;
        if (dtls != null) {
            dtls.close();
        }
        ice.close();
        if (srtp != null) {
            srtp.close();
        }
        engine.closed.increment();
    }

    public boolean isClosed() {
        return closed;
    }

    // ---- network threads -------------------------------------------------------------------------------------

    /** RFC 7983 §7: 20..63 DTLS, 128..191 RTP/RTCP; STUN never reaches here (ice4j consumes it). */
    private void datagram(byte[] buf, int off, int len, boolean handedOver) {
        if (len < 1 || closed) {
            return;
        }
        int b0 = buf[off] & 0xff;
        if (b0 >= 20 && b0 <= 63) {
            DtlsTransport d = dtls;
            if (d != null) {
                d.receive(buf, off, len);
            } else {
                unknownDropped.increment();
            }
        } else if (b0 >= 128 && b0 <= 191) {
            PooledPacket p = engine.pool().acquire();
            if (handedOver) {
                p.adopt(buf, off, len);   // ice4j gave the array up: no copy
            } else if (!p.copyFrom(buf, off, len, false)) {
                p.release();
                unknownDropped.increment();
                return;
            }
            if (!inbound.offer(p)) {
                p.release();
            }
        } else {
            unknownDropped.increment();
        }
    }

    // ---- owner context ---------------------------------------------------------------------------------------

    private void onSrtp(PooledPacket p) {
        if (up) {
            unprotectAndDeliver(p.buffer(), p.offset(), p.length());
        } else {
            notUpDropped.increment();
        }
        p.release();
    }

    private void unprotectAndDeliver(byte[] buf, int off, int len) {
        // RFC 5761 §4: with rtcp-mux, a second byte of 192..223 is an RTCP packet type.
        int pt = len > 1 ? buf[off + 1] & 0xff : 0;
        if (pt >= 192 && pt <= 223) {
            int n = srtp.unprotectRtcp(buf, off, len);
            if (n > 0) {
                rtcpIn.increment();
                listener.onRtcp(buf, off, n);
            } else {
                srtpDropped.increment();
            }
        } else {
            int n = srtp.unprotectRtp(buf, off, len);
            if (n > 0) {
                rtpIn.increment();
                listener.onRtp(buf, off, n);
            } else {
                srtpDropped.increment();
            }
        }
    }

    private void iceConnected(String pair) {
        if (closed) {
            return;
        }
        LOG.fine(() -> "ice connected pair=\"" + pair + "\"");
        if (dtls != null) {
            dtls.start();
        }
    }

    private void fail(String reason) {
        if (closed) {
            return;
        }
        LOG.info(() -> "peer connection closed reason=\"" + reason + "\"");
        close();
        listener.onClosed(reason);
    }

    /** DTLS callbacks arrive on a DTLS worker; each hops to the owner. */
    private final class DtlsEvents implements DtlsTransport.Listener {
        @Override
        public void onConnected(SrtpProfile profile, SrtpKeys keys, String cipherSuite) {
            owner.runOnContext(v -> {
                if (closed) {
                    keys.wipe();
                    return;
                }
                srtp = new SrtpTransformer(keys);
                keys.wipe();
                up = true;
                LOG.info(() -> "dtls up role=" + dtls.role() + " srtp=" + profile + " cipher=" + cipherSuite
                        + " handshake_ms=" + dtls.handshakeNanos() / 1_000_000);
                listener.onConnected(profile, cipherSuite);
            });
        }

        @Override
        public void onFailed(String reason) {
            owner.runOnContext(v -> fail("DTLS handshake failed: " + reason));
        }

        @Override
        public void onClosed(String reason) {
            owner.runOnContext(v -> fail("DTLS alert"));
        }

        @Override
        public void onApplicationData(byte[] buf, int off, int len) {
            byte[] copy = new byte[len];
            System.arraycopy(buf, off, copy, 0, len);
            owner.runOnContext(v -> {
                if (!closed) {
                    listener.onApplicationData(copy, 0, len);
                }
            });
        }
    }
}
