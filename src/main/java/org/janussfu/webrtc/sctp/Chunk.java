package org.janussfu.webrtc.sctp;

/**
 * One SCTP chunk (RFC 9260 §3.2): a type, 8 flag bits and a value. Each chunk type WebRTC uses is a record that
 * encodes its own value and decodes it from {@code (byte[], off, len)} without throwing; {@link SctpPacket} frames
 * them. Immutable; created and consumed on the association's owning context.
 */
sealed interface Chunk permits DataChunk, InitChunk, SackChunk, ForwardTsnChunk, ReconfigChunk, ShutdownChunk,
        ValueChunk {

    int DATA = 0;
    int INIT = 1;
    int INIT_ACK = 2;
    int SACK = 3;
    int HEARTBEAT = 4;
    int HEARTBEAT_ACK = 5;
    int ABORT = 6;
    int SHUTDOWN = 7;
    int SHUTDOWN_ACK = 8;
    int ERROR = 9;
    int COOKIE_ECHO = 10;
    int COOKIE_ACK = 11;
    int SHUTDOWN_COMPLETE = 14;
    /** RFC 6525 §3.1. */
    int RE_CONFIG = 130;
    /** RFC 3758 §3.2. */
    int FORWARD_TSN = 192;

    /** The T bit of ABORT and SHUTDOWN-COMPLETE (RFC 9260 §3.3.7, §3.3.13): the tag is the receiver's own. */
    int FLAG_T = 0x01;

    int type();

    int flags();

    /** Length of the value, without the 4-byte chunk header and without padding. */
    int valueLength();

    /** Writes the value (not the header) at {@code off}; the buffer has {@link #valueLength()} bytes there. */
    void writeValue(byte[] b, int off);

    /** Chunk length as written in the chunk header (header plus value, unpadded). */
    default int encodedLength() {
        return 4 + valueLength();
    }
}
