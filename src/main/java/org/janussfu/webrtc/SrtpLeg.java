package org.janussfu.webrtc;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import org.janussfu.rtp.HandoffQueue;
import org.janussfu.rtp.PooledPacket;
import org.janussfu.webrtc.ice.IceBuffers;
import org.janussfu.webrtc.ice.IceTransport;
import org.janussfu.webrtc.srtp.SrtpKeys;
import org.janussfu.webrtc.srtp.SrtpTransformer;

import java.util.concurrent.atomic.LongAdder;

/**
 * The media half of one {@link PeerConnection} (decision 0013): its SRTP/SRTCP contexts ({@link SrtpTransformer})
 * and the RTP packet path in and out. Owned by the connection's <em>media context</em> — the engine's {@link
 * MediaLoop} for a server connection, the connection's owner for a client one (whose own socket is then read on the
 * owner's event loop, {@link MediaLoop#ofOwner}) — where the transformer is made,
 * used and closed and where {@link PeerConnection.Listener#onRtp}/{@link PeerConnection.Listener#onRtcp} run. A
 * datagram read on the media loop is decrypted and delivered on the spot, in the read buffer; one read on a
 * {@code UdpReader} thread reaches the media context through a bounded {@link HandoffQueue} (one hop). Nothing per
 * packet locks, logs, throws or allocates; failures are counted.
 */
final class SrtpLeg {
    private final MediaEngine engine;
    private final Context context;
    /** The media loop when it is {@link #context}: datagrams read on its thread need no hand-off. */
    private final MediaLoop loop;
    private final PeerConnection.Listener listener;
    private final IceTransport ice;
    /** Where this leg counts datagrams decrypted where they were read, and ones handed off: server or client figures. */
    private final LongAdder inlineCount;
    private final LongAdder handedOffCount;
    private final HandoffQueue<PooledPacket> inbound;
    private final Handler<Void> closeTask = v -> closeHere();
    // Media context only.
    private SrtpTransformer srtp;
    private boolean up;
    /** The observer of packets in the clear (captures, per-leg statistics), or null; read per packet. */
    volatile PacketTap tap;

    final LongAdder rtpIn = new LongAdder();
    final LongAdder rtcpIn = new LongAdder();
    final LongAdder rtpOut = new LongAdder();
    final LongAdder rtcpOut = new LongAdder();
    final LongAdder srtpDropped = new LongAdder();
    final LongAdder notUpDropped = new LongAdder();
    final LongAdder copyFailed = new LongAdder();

    /** @param loop the engine's media loop (server connections), or null: then {@code owner} is the media context */
    SrtpLeg(MediaEngine engine, MediaLoop loop, Context owner, IceTransport ice, PeerConnection.Listener listener,
            boolean client) {
        this.engine = engine;
        this.loop = loop;
        this.context = loop == null ? owner : loop.context();
        this.ice = ice;
        this.listener = listener;
        this.inlineCount = client ? engine.clientSrtpInline : engine.srtpInline;
        this.handedOffCount = client ? engine.clientSrtpHandedOff : engine.srtpHandedOff;
        this.inbound = new HandoffQueue<>(engine.config().inboundQueue(), context, this::onQueued);
    }

    Context context() {
        return context;
    }

    /** Whether the caller runs on the media context's thread. */
    boolean onThread() {
        return loop != null ? loop.inLoop() : Context.isOnEventLoopThread() && Vertx.currentContext() == context;
    }

    /** Media context: DTLS exported {@code keys} (RFC 5764 §4.2); the leg is up from now on. */
    void start(SrtpKeys keys) {
        srtp = new SrtpTransformer(keys);
        up = true;
    }

    /**
     * One SRTP/SRTCP datagram (RFC 7983 §7 first byte 128..191), on the thread that read it: processed here on the
     * media loop; elsewhere handed to the media context — a non-null {@code loan} lends {@code buf} to the holder (no
     * copy), a null one means the array is only valid during the call (copied). The caller's loan ends here.
     */
    void datagram(byte[] buf, int off, int len, Object loan) {
        if (loop != null && loop.inLoop()) {
            if (up) {
                inlineCount.increment();
                unprotectAndDeliver(buf, off, len);
            } else {
                notUpDropped.increment();
            }
            IceBuffers.LENDER.giveBack(loan);
            return;
        }
        PooledPacket p = engine.pool().acquire();
        if (loan != null) {
            p.adopt(buf, off, len, IceBuffers.LENDER, loan); // no copy; the array goes back on release
        } else if (!p.copyFrom(buf, off, len, false)) {
            p.release();
            copyFailed.increment();
            return;
        }
        if (!inbound.offer(p)) {
            p.release();
        } else {
            handedOffCount.increment();
        }
    }

    private void onQueued(PooledPacket p) {
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
                PacketTap t = tap;
                if (t != null) {
                    t.onPacket(false, true, buf, off, n);
                }
                listener.onRtcp(buf, off, n);
            } else {
                srtpDropped.increment(); // RFC 3711 §3.4: failed authentication or replay, dropped
                engine.srtpAuthFailed.increment();
            }
        } else {
            int n = srtp.unprotectRtp(buf, off, len);
            if (n > 0) {
                rtpIn.increment();
                PacketTap t = tap;
                if (t != null) {
                    t.onPacket(false, false, buf, off, n);
                }
                listener.onRtp(buf, off, n);
            } else {
                srtpDropped.increment(); // RFC 3711 §3.3: failed authentication or replay, dropped
                engine.srtpAuthFailed.increment();
            }
        }
    }

    /** See {@link PeerConnection#sendRtp}. Media context. */
    int sendRtp(byte[] buf, int off, int len) {
        if (!up) {
            notUpDropped.increment();
            return -1;
        }
        PacketTap t = tap;
        if (t != null) {
            t.onPacket(true, false, buf, off, len);
        }
        int n = srtp.protectRtp(buf, off, len);
        if (n < 0) {
            srtpDropped.increment();
            return -1;
        }
        rtpOut.increment();
        ice.sendMedia(buf, off, n);
        return n;
    }

    /** See {@link PeerConnection#resend}. Media context. */
    boolean resend(byte[] buf, int off, int len) {
        if (!up) {
            return false;
        }
        rtpOut.increment();
        return ice.sendMedia(buf, off, len);
    }

    /** See {@link PeerConnection#sendRtcp}. Media context. */
    boolean sendRtcp(byte[] buf, int off, int len) {
        if (!up) {
            notUpDropped.increment();
            return false;
        }
        PacketTap t = tap;
        if (t != null) {
            t.onPacket(true, true, buf, off, len);
        }
        int n = srtp.protectRtcp(buf, off, len);
        if (n < 0) {
            srtpDropped.increment();
            return false;
        }
        rtcpOut.increment();
        return ice.sendMedia(buf, off, n);
    }

    /** Any thread: the SRTP contexts go on the media context, after any packet already running or queued there. */
    void close(Context caller) {
        if (caller == context) {
            closeHere();
        } else {
            context.runOnContext(closeTask);
        }
    }

    private void closeHere() {
        up = false;
        if (srtp != null) {
            srtp.close();
            srtp = null;
        }
    }
}
