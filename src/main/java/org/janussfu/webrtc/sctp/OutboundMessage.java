package org.janussfu.webrtc.sctp;

/**
 * One user message on its way out: queued in {@link SendQueue} until it is fragmented, then tracked by its fragments
 * ({@link TxChunk}) in the {@link DataSender}. Carries the partial-reliability policy of RFC 3758 as RFC 8831 §6.1
 * exposes it: at most {@code maxRetransmits} retransmissions of any fragment, or a lifetime; abandoning one
 * fragment abandons the whole message (RFC 3758 §3.5 A2). Mutable, owned by the association's context.
 */
final class OutboundMessage {

    final int streamId;
    final int ppid;
    final byte[] data;
    final boolean unordered;
    /** -1: unlimited. */
    final int maxRetransmits;
    /** Long.MAX_VALUE: no lifetime. */
    final long expiresAtMillis;

    /** Enqueue order, for holding messages queued after a stream reset request (RFC 6525 §5.1.2). */
    long seq;
    int ssn;
    long firstTsn;
    int fragments;
    boolean abandoned;

    OutboundMessage(int streamId, int ppid, byte[] data, boolean unordered, int maxRetransmits,
                    long expiresAtMillis) {
        this.streamId = streamId;
        this.ppid = ppid;
        this.data = data;
        this.unordered = unordered;
        this.maxRetransmits = maxRetransmits;
        this.expiresAtMillis = expiresAtMillis;
    }
}
