package org.janussfu.webrtc;

/**
 * An observer of one {@link PeerConnection}'s media in the clear: every RTP and RTCP packet right after SRTP/SRTCP
 * removed its protection (incoming, RFC 3711 §3.3/§3.4) and right before it is protected (outgoing). Retransmissions
 * of an already protected packet ({@link PeerConnection#resend}) are not seen. Called on the connection's media
 * context, per packet: an implementation must not block, lock, log, throw or allocate, and must copy what it keeps
 * ({@code buf} is only valid during the call). Installed with {@link PeerConnection#setTap}.
 */
public interface PacketTap {
    /**
     * @param outgoing true for a packet we send, false for one the peer sent
     * @param rtcp     true for a compound RTCP packet, false for RTP
     */
    void onPacket(boolean outgoing, boolean rtcp, byte[] buf, int off, int len);
}
