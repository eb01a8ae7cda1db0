package org.janussfu.webrtc;

import io.vertx.core.Context;
import org.janussfu.media.MediaTransport;
import org.janussfu.rtp.HandoffQueue;
import org.janussfu.rtp.PooledPacket;
import org.janussfu.webrtc.datachannel.DataChannel;
import org.janussfu.webrtc.dtls.DtlsFingerprint;
import org.janussfu.webrtc.dtls.DtlsRole;
import org.janussfu.webrtc.dtls.DtlsTransport;
import org.janussfu.webrtc.ice.IceBuffers;
import org.janussfu.webrtc.ice.IceTransport;
import org.janussfu.webrtc.ice.UdpEndpoint;
import org.janussfu.webrtc.sctp.SctpAssociation;
import org.janussfu.sdp.LocalTransport;
import org.janussfu.sdp.RemoteTransport;
import org.janussfu.sdp.SetupRole;
import org.janussfu.webrtc.srtp.SrtpKeys;
import org.janussfu.webrtc.srtp.SrtpProfile;
import org.janussfu.webrtc.srtp.SrtpTransformer;

import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * One WebRTC connection of a Janus handle: ICE ({@link IceTransport}), then DTLS ({@link DtlsTransport}) in the
 * role the SDP's {@code a=setup} gives (RFC 8842 §5), then SRTP/SRTCP ({@link SrtpTransformer}) with the exported
 * keys (RFC 5764 §4.2). Two owners (decision 0013): the <em>owner</em> context (the handle's session context) runs
 * signalling, lifecycle, DTLS events and SCTP/data channels, and calls {@link Listener#onConnected}, {@link
 * Listener#onClosed} and {@link Listener#onDataMessage}; the <em>media</em> context — the engine's {@link MediaLoop}
 * for a server connection, the owner for a client one — owns the media half ({@link SrtpLeg}: the SRTP contexts)
 * and runs {@link Listener#onRtp}, {@link Listener#onRtcp}, {@link #sendRtp}, {@link #resend} and {@link #sendRtcp}.
 * A datagram read on the media loop itself is decrypted and delivered on the spot; one read on a {@code UdpReader}
 * thread is handed to the media context through a bounded {@link HandoffQueue}. DTLS records go to the DTLS queue.
 * Nothing on the packet path takes a lock, logs or throws; failures are counted.
 */
public final class PeerConnection implements MediaTransport {
    /** Callbacks: RTP and RTCP on the media context, the others on the owner context. */
    public interface Listener {
        /** ICE and DTLS are up; media can flow (Janus' {@code webrtcup}). */
        void onConnected(SrtpProfile profile, String cipherSuite);

        /**
         * Media context, just before {@link #onConnected} is queued to the owner: the SRTP contexts exist, packets may
         * be sent and will be delivered from now on.
         */
        default void onMediaReady() {
        }

        /** The connection is gone: {@code ICE failed}, {@code DTLS alert}, {@code DTLS handshake failed: ...}. */
        void onClosed(String reason);

        /** A decrypted RTP packet, valid only during the call (the array is reused); media context. */
        void onRtp(byte[] buf, int off, int len);

        /** A decrypted compound RTCP packet, valid only during the call; media context. */
        void onRtcp(byte[] buf, int off, int len);

        /** One data-channel message (RFC 8831) on the channel {@code label}; the array is the listener's. */
        default void onDataMessage(String label, String protocol, boolean binary, byte[] data, int off, int len) {
        }
    }

    /** Our SCTP port in every SDP we write (RFC 8841 §5: a=sctp-port). */
    public static final int LOCAL_SCTP_PORT = 5000;
    /** Per-association send buffer: one slow receiver may hold this much before its messages are dropped. */
    static final long SCTP_SEND_BUFFER = 1 << 20;

    private static final Logger LOG = Logger.getLogger(PeerConnection.class.getName());

    private final MediaEngine engine;
    private final Context owner;
    private final Listener listener;
    private final IceTransport ice;
    /** The media half: SRTP contexts and the RTP path, on the media context (see the class comment). */
    private final SrtpLeg media;
    /** SCTP packets from the DTLS worker, in pooled holders, for the owner (the engine copies what it keeps). */
    private final HandoffQueue<PooledPacket> sctpInbound;
    private final boolean client;
    // Owner context only.
    private RemoteTransport remote;
    private SetupRole localSetup;
    private DtlsTransport dtls;
    private boolean started;
    private volatile boolean localRestart; // we restarted ICE for our next offer: the answer completes it
    /** The SCTP association and data channels, once negotiated and DTLS is up. */
    private final PeerDataChannels channels;
    private volatile boolean closed;
    private volatile boolean up;
    /** Establishment details for the Admin API; owner context. */
    private final ConnectionDetails details;

    final LongAdder unknownDropped = new LongAdder();

    PeerConnection(MediaEngine engine, Context owner, boolean client, Listener listener) {
        this.engine = engine;
        this.owner = owner;
        this.listener = listener;
        this.client = client;
        this.sctpInbound = new HandoffQueue<>(engine.config().inboundQueue(), owner, this::onSctp);
        // A socket of the connection's own (client and port-range mode) is read where its media runs: the owner's
        // event loop for a client, the engine's media loop for a server (decision 0013; no reader-thread hop).
        MediaLoop mediaLoop = client ? MediaLoop.ofOwner(owner) : engine.mediaLoop();
        IceTransport.Listener iceListener = new IceTransport.Listener() {
            @Override
            public void onEndpoint(UdpEndpoint endpoint) {
                if (mediaLoop != null) {
                    mediaLoop.adopt(endpoint);
                }
            }

            @Override
            public void onConnected(String pair) {
                owner.runOnContext(v -> iceConnected(pair));
            }

            @Override
            public void onFailed(String reason) {
                owner.runOnContext(v -> fail("ICE failed", reason));
            }

            @Override
            public void onPacket(byte[] buf, int off, int len, Object loan) {
                datagram(buf, off, len, loan);
            }
        };
        WebRtcConfig cfg = engine.config();
        this.ice = client ? IceTransport.client(cfg.ice(), true, iceListener)
                : cfg.portRange() ? IceTransport.ranged(cfg.ice(), cfg.icePortMin(), cfg.icePortMax(), iceListener)
                : new IceTransport(engine.harvesters(), false, iceListener);
        this.media = new SrtpLeg(engine, mediaLoop, owner, ice, listener, client);
        this.details = new ConnectionDetails(ice, media, unknownDropped);
        this.channels = new PeerDataChannels(engine, listener, details);
        engine.opened.increment();
    }

    /**
     * Our ICE credentials, DTLS fingerprint and candidates for an SDP in which we take {@code setup}. {@code actpass}
     * means we are writing an offer (JSEP, RFC 8829 §5.2.1), and the offerer is the controlling agent (RFC 8445
     * §6.1.1): the role is taken now, not when the answer arrives, because the answerer starts its checks as soon
     * as it has our offer and they may reach us before its answer does (RFC 8445 §7.3 expects that). An agent still
     * in its provisional controlled role would see a role conflict in those checks (both controlled) and, with the
     * smaller tie-breaker, answer 487 — turning the correctly controlled answerer into a controlling one, after
     * which ice4j could leave our side nominated but never completed while the peer's side was up (issue 15 soak:
     * subscriber connections whose DTLS never started on the server).
     */
    public LocalTransport localTransport(SetupRole setup) {
        if (setup == SetupRole.ACTPASS && !closed) {
            ice.setControlling(true);
        }
        return new LocalTransport(ice.localUfrag(), ice.localPassword(),
                engine.fingerprint(), setup, ice.localCandidates());
    }

    /**
     * Applies the peer's description (its offer, or its answer to ours) with the DTLS role we took in our own
     * description ({@code active} = DTLS client). A changed ufrag/pwd restarts ICE (RFC 8445 §9); the DTLS
     * association survives a restart. The first call starts ICE.
     */
    public void setRemote(RemoteTransport r, SetupRole ourSetup) {
        // JSEP (RFC 8829 §5.2.1, RFC 8842 §5): an offer always carries a=setup:actpass, an answer never does.
        setRemote(r, ourSetup, ourSetup == SetupRole.ACTPASS);
    }

    /**
     * As {@link #setRemote(RemoteTransport, SetupRole)}, saying whether we sent the offer ({@code r} is the peer's
     * answer): then ICE is controlling, else controlled (RFC 8445 §6.1.1), for this agent and any restart.
     */
    public void setRemote(RemoteTransport r, SetupRole ourSetup, boolean weOffered) {
        if (closed) {
            return;
        }
        ice.setControlling(weOffered);
        if (remote != null && localRestart && weOffered) {
            ice.setRemoteCredentials(r.ufrag(), r.pwd()); // the answer to our restart offer: its new generation
        } else if (remote != null && r.isIceRestart(remote.ufrag(), remote.pwd())) {
            ice.restart(r.ufrag(), r.pwd());
        } else if (remote == null) {
            ice.setRemoteCredentials(r.ufrag(), r.pwd());
        }
        for (String c : r.candidates()) {
            ice.addRemoteCandidate(c);
            details.remoteCandidate(c);
        }
        if (r.endOfCandidates()) {
            ice.endOfRemoteCandidates();
        }
        if (dtls == null) {
            localSetup = ourSetup == SetupRole.ACTPASS ? (r.setup() == SetupRole.ACTIVE ? SetupRole.PASSIVE : SetupRole.ACTIVE)
                    : ourSetup;
            DtlsRole role = localSetup == SetupRole.ACTIVE ? DtlsRole.CLIENT : DtlsRole.SERVER;
            details.dtlsRole = role;
            dtls = new DtlsTransport(role, engine.certificate(), DtlsFingerprint.parse(r.fingerprint().toString()),
                    engine.dtlsWorkers().handshakes(), engine.dtlsWorkers().records(), ice::send, new DtlsEvents(),
                    engine.config().dtlsHandshakeTimeout());
        }
        remote = r;
        localRestart = false;
        details.remoteFingerprint = r.fingerprint();
        if (!started) {
            started = true;
            details.iceStartedMicros = ConnectionDetails.nowMicros();
            ice.start();
        }
    }

    /**
     * An ICE restart we start (RFC 8445 §9; RFC 8839 §4.4.1.1.1): the next {@link #localTransport} carries new
     * credentials and candidates for our offer; the peer's answer ({@link #setRemote} with {@code weOffered}) gives
     * the new agent its remote credentials, and the old agent keeps carrying media until the new one is up. DTLS
     * and SRTP are untouched. No effect before the first remote description or after close; a second call before
     * the answer keeps the pending restart.
     */
    public void restartIce() {
        if (closed || remote == null || localRestart) {
            return;
        }
        localRestart = true;
        ice.restart(null, null);
    }

    /** True between {@link #restartIce} and the peer's answer (Janus' handle flag {@code ice-restart}). */
    public boolean iceRestartPending() {
        return localRestart;
    }

    /** A trickled candidate ({@code candidate:...} value, RFC 8839 §5.1); junk is ignored and counted by ICE. */
    public void addRemoteCandidate(String candidate) {
        if (!closed) {
            ice.addRemoteCandidate(candidate);
            details.remoteCandidate(candidate);
        }
    }

    public void endOfRemoteCandidates() {
        if (!closed) {
            ice.endOfRemoteCandidates();
        }
    }

    /**
     * The negotiated SDPs accepted an application m-line: SCTP (RFC 8261) starts on this connection once DTLS is up,
     * towards the peer's {@code a=sctp-port}, with its {@code a=max-message-size} (RFC 8841 §6; 65536 if absent).
     */
    public void enableDataChannels(int peerSctpPort, int peerMaxMessageSize) {
        channels.enable(peerSctpPort, peerMaxMessageSize);
    }

    /**
     * Sends a message on the channel with {@code label}, opening a reliable ordered one if there is none (as Janus
     * core does for relayed data). False (counted by the channel layer) when not up or the buffer is full.
     */
    public boolean sendData(String label, String protocol, boolean binary, byte[] data, int off, int len) {
        return channels.send(up, label, protocol, binary, data, off, len);
    }

    /** Opens a channel of ours (RFC 8832 §6); null when SCTP is not up yet or no stream id is free. */
    public DataChannel openDataChannel(String label, boolean ordered, int maxRetransmits) {
        return channels.open(label, ordered, maxRetransmits);
    }

    /** The SCTP engine under the data channels (for counters), or null. */
    SctpAssociation association() {
        return channels.association();
    }

    /** Whether the SCTP association under the data channels is up. */
    public boolean dataChannelsReady() {
        return channels.ready();
    }

    public boolean hasRemote() {
        return remote != null;
    }

    public boolean isUp() {
        return up;
    }

    /**
     * Protects {@code buf[off, off+len)} in place (SRTP, RFC 3711 §3.3; the array needs {@link
     * SrtpTransformer#MIN_TAILROOM} spare bytes) and sends it. Media context only. Returns the protected length
     * (the bytes now in the array, which {@link #resend} can send again), or -1 when not up or on error.
     */
    public int sendRtp(byte[] buf, int off, int len) {
        return media.sendRtp(buf, off, len);
    }

    /** Sends an already protected packet again (a NACKed retransmission, RFC 4585 §6.2.1). Media context. */
    public boolean resend(byte[] buf, int off, int len) {
        return media.resend(buf, off, len);
    }

    /** As {@link #sendRtp} for a compound RTCP packet (SRTCP, RFC 3711 §3.4). Media context. */
    public boolean sendRtcp(byte[] buf, int off, int len) {
        return media.sendRtcp(buf, off, len);
    }

    /** The context that owns this connection's media (SRTP, RTP/RTCP callbacks, sending): see the class comment. */
    public Context mediaContext() {
        return media.context();
    }

    /** Whether the caller runs on the media context's thread (where media may be sent without a hop). */
    public boolean onMediaThread() {
        return media.onThread();
    }

    /** This connection's ICE transport (tests reach the selected pair through it). */
    IceTransport iceTransport() {
        return ice;
    }

    /**
     * Installs (or, with null, removes) the observer of this connection's media in the clear (any thread; it sees
     * the packets processed after the volatile write).
     */
    public void setTap(PacketTap tap) {
        media.tap = tap;
    }

    /** ICE, DTLS and data-channel details for the Admin API's {@code handle_info} (owner context). */
    public ConnectionDetails details() {
        return details;
    }

    /** Tears everything down without calling the listener. Idempotent; owner context. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        up = false;
        channels.abort();
        if (dtls != null) {
            dtls.close();
        }
        ice.close();
        media.close(owner);
        engine.closed.increment();
    }

    public boolean isClosed() {
        return closed;
    }

    // ---- network threads -------------------------------------------------------------------------------------

    /**
     * RFC 7983 §7: 20..63 DTLS, 128..191 RTP/RTCP; STUN never reaches here (ice4j consumes it). SRTP goes to the
     * media leg with its loan ({@link SrtpLeg#datagram}: processed at once on the media loop, else one hop); for
     * everything else, copied or dropped, the loan ends here.
     */
    private void datagram(byte[] buf, int off, int len, Object loan) {
        int b0 = len < 1 || closed ? -1 : buf[off] & 0xff;
        if (b0 >= 128 && b0 <= 191) {
            media.datagram(buf, off, len, loan); // the loan is the media leg's from here
            return;
        }
        DtlsTransport d = dtls;
        if (b0 >= 20 && b0 <= 63 && d != null) {
            d.receive(buf, off, len); // copied into its queue
        } else if (b0 >= 0) {
            unknownDropped.increment();
        }
        IceBuffers.LENDER.giveBack(loan);
    }

    // ---- owner context ---------------------------------------------------------------------------------------

    /** Owner context: one SCTP packet into the engine, which copies what it keeps; the holder goes back. */
    private void onSctp(PooledPacket p) {
        if (!closed) {
            channels.receive(p.buffer(), p.offset(), p.length());
        }
        p.release();
    }

    private void iceConnected(String pair) {
        if (closed) {
            return;
        }
        LOG.fine(() -> "ice connected pair=\"" + pair + "\"");
        details.selectedPair = pair;
        details.iceConnectedMicros = ConnectionDetails.nowMicros();
        if (dtls != null) {
            if (details.dtlsStartedMicros == 0) {
                details.dtlsStartedMicros = details.iceConnectedMicros;
            }
            dtls.start();
            DtlsTransport d = dtls;
            long ms = Math.max(1, engine.config().dtlsHandshakeTimeout().toMillis());
            owner.owner().setTimer(ms, t -> d.expireIfWaiting()); // a server still waiting for the ClientHello
        }
    }

    private void fail(String reason) {
        fail(reason, null);
    }

    /** As {@link #fail(String)}; {@code detail} (why ICE failed: no pair, connect timeout, consent lost) is logged. */
    private void fail(String reason, String detail) {
        if (closed) {
            return;
        }
        LOG.info(() -> "peer connection closed reason=\"" + reason + "\""
                + (detail == null ? "" : " detail=\"" + detail + "\""));
        details.closeReason = reason;
        details.iceFailed = reason.startsWith("ICE");
        details.dtlsFailed = reason.startsWith("DTLS");
        close();
        listener.onClosed(reason);
    }

    /** DTLS callbacks arrive on a DTLS worker; each hops to the owner. */
    private final class DtlsEvents implements DtlsTransport.Listener {
        @Override
        public void onConnected(SrtpProfile profile, SrtpKeys keys, String cipherSuite) {
            // The SRTP contexts are the media context's; the owner hears of it after them (runOnContext keeps order).
            media.context().runOnContext(v -> {
                if (closed) {
                    keys.wipe();
                    return;
                }
                media.start(keys);
                keys.wipe();
                listener.onMediaReady();
                owner.runOnContext(w -> ownerConnected(profile, cipherSuite));
            });
        }

        private void ownerConnected(SrtpProfile profile, String cipherSuite) {
            if (closed) {
                return;
            }
            up = true;
            details.dtlsConnectedMicros = ConnectionDetails.nowMicros();
            details.profile = profile;
            details.cipherSuite = cipherSuite;
            engine.dtlsHandshakeDone(dtls.handshakeNanos());
            channels.start(dtls);
            LOG.info(() -> "dtls up role=" + dtls.role() + " srtp=" + profile + " cipher=" + cipherSuite
                    + " handshake_ms=" + dtls.handshakeNanos() / 1_000_000);
            listener.onConnected(profile, cipherSuite);
        }

        @Override
        public void onFailed(String reason) {
            if (!closed) {
                engine.dtlsHandshakeFailed(reason.contains("timeout"));
            }
            owner.runOnContext(v -> fail("DTLS handshake failed: " + reason));
        }

        @Override
        public void onClosed(String reason) {
            owner.runOnContext(v -> fail("DTLS alert"));
        }

        /**
         * SCTP packets (RFC 8261) from the DTLS worker, whose buffer is reused after this call: copied into a pooled
         * holder and handed to the owner, which runs the engine — no allocation per packet.
         */
        @Override
        public void onApplicationData(byte[] buf, int off, int len) {
            PooledPacket p = engine.pool().acquire();
            if (!p.copyFrom(buf, off, len, false)) {
                p.release();
                unknownDropped.increment();
                return;
            }
            if (!sctpInbound.offer(p)) {
                p.release();
            }
        }
    }
}
