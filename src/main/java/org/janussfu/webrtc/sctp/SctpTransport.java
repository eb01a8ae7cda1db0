package org.janussfu.webrtc.sctp;

/**
 * One SCTP association over a DTLS connection (RFC 8261), the WebRTC subset of RFC 9260 plus RFC 3758
 * (FORWARD-TSN, partial reliability) and RFC 6525 (stream reset): the seam between the data-channel layer (DCEP,
 * RFC 8832) and the SCTP engine. Single owner: every method is called, and every {@link Listener} callback made,
 * on the owning context (the connection's event loop); timers run through {@link SctpClock} on that same context.
 * Nothing here throws on bad network input: it is dropped and counted.
 */
public interface SctpTransport {

    /** Events of the association, on the owning context. */
    interface Listener {
        /** The association is up (COOKIE-ACK received or sent). */
        void onEstablished();

        /** One complete user message (reassembled); the array belongs to the listener. */
        void onMessage(int streamId, int ppid, byte[] data, int off, int len);

        /** The peer reset these incoming streams (RFC 6525 §5.2.2): their channels are closed. */
        void onStreamsReset(int[] streamIds);

        /** The association ended: SHUTDOWN completed, ABORT received or sent, or too many retransmissions. */
        void onClosed(String reason);
    }

    /** Starts the association: both WebRTC peers send INIT (simultaneous open on the SDP's sctp-port, RFC 8841). */
    void start();

    /** An SCTP packet received from the DTLS layer. */
    void receive(byte[] buf, int off, int len);

    /**
     * Queues one user message on a stream with a payload protocol identifier (RFC 8831 §8: 51 text, 53 binary, 56/57
     * empty, 50 DCEP). {@code maxRetransmits} and {@code maxLifetimeMillis} are -1 for full reliability (at most one
     * of them is set, RFC 8831 §6.1). Returns false (and counts the drop) when the send buffer is full or the message
     * is larger than {@link #maxMessageSize()}.
     */
    boolean send(int streamId, int ppid, byte[] data, int off, int len, boolean unordered, int maxRetransmits,
                 int maxLifetimeMillis);

    /** Resets our outgoing streams (RFC 6525 §4.1) to close their channels. */
    void resetStreams(int[] streamIds);

    /** Bytes queued or in flight, not yet acknowledged. */
    long bufferedAmount();

    /** The largest user message accepted (the peer's a=max-message-size, RFC 8841 §6). */
    int maxMessageSize();

    boolean isEstablished();

    /** Graceful SHUTDOWN (RFC 9260 §9.2). */
    void close();

    /** ABORT (RFC 9260 §9.1) with a reason for the logs. */
    void abort(String reason);
}
