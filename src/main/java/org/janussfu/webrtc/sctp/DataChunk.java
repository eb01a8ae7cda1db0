package org.janussfu.webrtc.sctp;

/**
 * The DATA chunk (RFC 9260 §3.3.1): flags I/U/B/E, TSN, stream identifier, stream sequence number, payload protocol
 * identifier and user data. The payload is a slice of {@code data}: on the send side it points into the user
 * message (fragmentation without copying), on the receive side it is a private copy of the packet bytes.
 * Immutable by convention (the array is never written after construction); owned by the association's context.
 */
record DataChunk(int flags, int tsn, int streamId, int ssn, int ppid, byte[] data, int dataOff, int dataLen)
        implements Chunk {

    /** Ending fragment (RFC 9260 §3.3.1). */
    static final int FLAG_E = 0x01;
    /** Beginning fragment. */
    static final int FLAG_B = 0x02;
    /** Unordered. */
    static final int FLAG_U = 0x04;
    /** Immediate: the receiver should SACK without delay (RFC 7053, RFC 9260 §3.3.1). */
    static final int FLAG_I = 0x08;

    static final int HEADER = 16;

    @Override
    public int type() {
        return DATA;
    }

    boolean beginning() {
        return (flags & FLAG_B) != 0;
    }

    boolean ending() {
        return (flags & FLAG_E) != 0;
    }

    boolean unordered() {
        return (flags & FLAG_U) != 0;
    }

    @Override
    public int valueLength() {
        return 12 + dataLen;
    }

    @Override
    public void writeValue(byte[] b, int off) {
        WireBytes.put32(b, off, tsn);
        WireBytes.put16(b, off + 4, streamId);
        WireBytes.put16(b, off + 6, ssn);
        WireBytes.put32(b, off + 8, ppid);
        System.arraycopy(data, dataOff, b, off + 12, dataLen);
    }

    /** Decodes a DATA value; null when it is too short for the fixed fields. */
    static DataChunk decode(int flags, byte[] b, int off, int len) {
        if (len < 12) {
            return null;
        }
        byte[] copy = new byte[len - 12];
        System.arraycopy(b, off + 12, copy, 0, copy.length);
        return new DataChunk(flags, WireBytes.i32(b, off), WireBytes.u16(b, off + 4), WireBytes.u16(b, off + 6),
                WireBytes.i32(b, off + 8), copy, 0, copy.length);
    }
}
