package org.janussfu.webrtc.sctp;

/**
 * The SHUTDOWN chunk (RFC 9260 §3.3.8): carries the sender's cumulative TSN ack, which the receiver treats as a
 * SACK without gaps (§9.2). Immutable; owner's context.
 */
record ShutdownChunk(int cumulativeTsnAck) implements Chunk {

    @Override
    public int type() {
        return SHUTDOWN;
    }

    @Override
    public int flags() {
        return 0;
    }

    @Override
    public int valueLength() {
        return 4;
    }

    @Override
    public void writeValue(byte[] b, int off) {
        WireBytes.put32(b, off, cumulativeTsnAck);
    }

    static ShutdownChunk decode(byte[] b, int off, int len) {
        return len < 4 ? null : new ShutdownChunk(WireBytes.i32(b, off));
    }
}
