package org.janussfu.webrtc.sctp;

/**
 * One DATA chunk in the sender's retransmission queue (RFC 9260 §6.3, §7.2.4): its TSN (unwrapped to 64 bits), the
 * encoded chunk, and its transmission state — sent count (Karn's rule), in flight, gap-acked, marked for
 * retransmission (and whether by fast retransmit), miss indications, abandoned (RFC 3758). Mutable, owned by the
 * {@link DataSender} on the association's context.
 */
final class TxChunk {

    final long tsn;
    final DataChunk chunk;
    final OutboundMessage message;
    int transmissions;
    long sentAtMillis;
    boolean inFlight;
    boolean acked;
    boolean abandoned;
    boolean retransmit;
    boolean fast;
    boolean fastRetransmitted;
    int misses;

    TxChunk(long tsn, DataChunk chunk, OutboundMessage message) {
        this.tsn = tsn;
        this.chunk = chunk;
        this.message = message;
    }

    int length() {
        return chunk.dataLen();
    }

    int wireSize() {
        return SctpPacket.paddedSize(chunk);
    }
}
