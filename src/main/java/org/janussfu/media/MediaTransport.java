package org.janussfu.media;

import io.vertx.core.Context;

/**
 * What a {@link MediaLeg} needs from the connection it sends on: SRTP/SRTCP sending and the media context that owns
 * it. The WebRTC layer's {@code PeerConnection} implements it (the leg never sees that package); tests and
 * benchmarks drive the leg through fakes of it. Implemented by the connection, which owns its thread rules (decision
 * 0013): the send methods are called only on {@link #mediaContext()}, per packet, and must not block, lock, log,
 * throw or allocate; {@link #mediaContext()} and {@link #onMediaThread()} may be called from any thread.
 */
public interface MediaTransport {
    /**
     * Protects {@code buf[off, off+len)} in place (SRTP; the array has the tailroom of a pooled packet) and sends it.
     * Returns the protected length (the bytes now in the array, which {@link #resend} can send again), or -1.
     */
    int sendRtp(byte[] buf, int off, int len);

    /** Sends an already protected packet again (a NACKed retransmission, RFC 4585 §6.2.1). */
    boolean resend(byte[] buf, int off, int len);

    /** As {@link #sendRtp} for a compound RTCP packet (SRTCP); true when it was sent. */
    boolean sendRtcp(byte[] buf, int off, int len);

    /** The context that owns this connection's media: the leg's packet state lives and runs there. */
    Context mediaContext();

    /** Whether the caller runs on the media context's thread (where media may be sent without a hop). */
    boolean onMediaThread();
}
