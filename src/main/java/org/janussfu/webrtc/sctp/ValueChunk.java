package org.janussfu.webrtc.sctp;

/**
 * A chunk whose value the engine treats as opaque bytes: COOKIE-ECHO (the state cookie, RFC 9260 §3.3.11),
 * COOKIE-ACK, SHUTDOWN-ACK, SHUTDOWN-COMPLETE (no value), HEARTBEAT and HEARTBEAT-ACK (the Heartbeat Info
 * parameter, echoed unchanged, §3.3.5–3.3.6), ABORT and ERROR (a list of error causes, see {@link ErrorCauses}),
 * and chunk types we do not know (kept so that they can be reported per §3.2). Immutable; owner's context.
 */
record ValueChunk(int type, int flags, byte[] value) implements Chunk {

    static final byte[] EMPTY = new byte[0];

    static ValueChunk of(int type) {
        return new ValueChunk(type, 0, EMPTY);
    }

    @Override
    public int valueLength() {
        return value.length;
    }

    @Override
    public void writeValue(byte[] b, int off) {
        System.arraycopy(value, 0, b, off, value.length);
    }

    static ValueChunk decode(int type, int flags, byte[] b, int off, int len) {
        byte[] v = new byte[len];
        System.arraycopy(b, off, v, 0, len);
        return new ValueChunk(type, flags, v);
    }
}
