package org.janussfu.webrtc.sctp;

/**
 * Tunables of one SCTP association. Defaults follow RFC 9260 §16 except where WebRTC stacks (Chromium's dcsctp,
 * usrsctp) deliberately differ: a shorter initial RTO (500 ms rather than 1 s) and a lower RTO ceiling (10 s rather
 * than 60 s), so that a data channel recovers from loss at interactive speed; Association.Max.Retrans stays 10.
 * The packet size is 1200 bytes of SCTP so that DTLS, UDP and IP headers stay under common path MTUs
 * (RFC 8261 §5). Immutable value; read by the association on its owning context.
 *
 * @param mtu                    largest SCTP packet we send, common header included
 * @param maxMessageSize         largest user message sent or reassembled (RFC 8841 §6 a=max-message-size)
 * @param sendBufferBytes        bytes queued or unacknowledged before {@code send} refuses
 * @param receiveWindow          bytes we buffer for reassembly; advertised as a_rwnd (RFC 9260 §6.2)
 * @param rtoInitialMillis       RTO.Initial (§6.3.1), also the first T1-init timeout
 * @param rtoMinMillis           RTO.Min
 * @param rtoMaxMillis           RTO.Max
 * @param maxRetransmissions     Association.Max.Retrans (§8.1): consecutive timeouts before the association fails
 * @param maxInitRetransmissions Max.Init.Retransmits (§5.1)
 * @param heartbeatIntervalMillis HB.interval on an idle path (§8.3)
 * @param delayedAckMillis       delayed SACK timeout (§6.2, at most 500 ms)
 * @param cookieLifetimeMillis   Valid.Cookie.Life (§5.1.3)
 */
public record SctpConfig(int mtu, int maxMessageSize, long sendBufferBytes, long receiveWindow,
                         long rtoInitialMillis, long rtoMinMillis, long rtoMaxMillis, int maxRetransmissions,
                         int maxInitRetransmissions, long heartbeatIntervalMillis, long delayedAckMillis,
                         long cookieLifetimeMillis) {

    /** SCTP packet budget inside DTLS over UDP (RFC 8261 §5: leave room for DTLS, UDP and IP headers). */
    public static final int DEFAULT_MTU = 1200;
    /** RFC 8841 §6: the default when the SDP carries no a=max-message-size. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 262144;

    public SctpConfig {
        if (mtu < 256 || mtu > 65535) {
            throw new IllegalArgumentException("mtu out of range: " + mtu);
        }
        if (maxMessageSize < 1 || sendBufferBytes < maxMessageSize || receiveWindow < 2L * mtu) {
            throw new IllegalArgumentException("inconsistent buffer sizes");
        }
        if (rtoMinMillis < 1 || rtoInitialMillis < rtoMinMillis || rtoMaxMillis < rtoInitialMillis) {
            throw new IllegalArgumentException("inconsistent RTO bounds");
        }
        if (maxRetransmissions < 1 || maxInitRetransmissions < 1 || heartbeatIntervalMillis < 1
                || delayedAckMillis < 1 || delayedAckMillis > 500 || cookieLifetimeMillis < 1000) {
            throw new IllegalArgumentException("invalid timer or retransmission settings");
        }
    }

    public static SctpConfig defaults() {
        return new SctpConfig(DEFAULT_MTU, DEFAULT_MAX_MESSAGE_SIZE, 4L << 20, 1L << 20, 500, 200, 10_000, 10, 8,
                30_000, 200, 60_000);
    }

    /** The largest SCTP packet (it must fit one DTLS record: RFC 8261 §5). */
    public SctpConfig withMtu(int bytes) {
        return new SctpConfig(bytes, maxMessageSize, sendBufferBytes, receiveWindow, rtoInitialMillis, rtoMinMillis,
                rtoMaxMillis, maxRetransmissions, maxInitRetransmissions, heartbeatIntervalMillis, delayedAckMillis,
                cookieLifetimeMillis);
    }

    /** Bytes of user data an association may hold unacknowledged before {@code send} refuses more. */
    public SctpConfig withSendBuffer(long bytes) {
        return new SctpConfig(mtu, maxMessageSize, bytes, receiveWindow, rtoInitialMillis, rtoMinMillis, rtoMaxMillis,
                maxRetransmissions, maxInitRetransmissions, heartbeatIntervalMillis, delayedAckMillis,
                cookieLifetimeMillis);
    }

    public SctpConfig withMaxMessageSize(int size) {
        return new SctpConfig(mtu, size, Math.max(sendBufferBytes, size), receiveWindow, rtoInitialMillis,
                rtoMinMillis, rtoMaxMillis, maxRetransmissions, maxInitRetransmissions, heartbeatIntervalMillis,
                delayedAckMillis, cookieLifetimeMillis);
    }

    public SctpConfig withRto(long initial, long min, long max) {
        return new SctpConfig(mtu, maxMessageSize, sendBufferBytes, receiveWindow, initial, min, max,
                maxRetransmissions, maxInitRetransmissions, heartbeatIntervalMillis, delayedAckMillis,
                cookieLifetimeMillis);
    }

    public SctpConfig withMaxRetransmissions(int max) {
        return new SctpConfig(mtu, maxMessageSize, sendBufferBytes, receiveWindow, rtoInitialMillis, rtoMinMillis,
                rtoMaxMillis, max, maxInitRetransmissions, heartbeatIntervalMillis, delayedAckMillis,
                cookieLifetimeMillis);
    }

    /** Largest user-data payload of one DATA chunk alone in a packet. */
    /** The largest DATA payload per packet: the chunk is padded to 4 bytes (RFC 9260 §3.2), so round down. */
    int maxFragment() {
        return (mtu - SctpPacket.HEADER - DataChunk.HEADER) & ~3;
    }
}
