package org.janussfu.webrtc.datachannel;

/**
 * The SCTP payload protocol identifiers of WebRTC data channels (RFC 8831 §8, IANA "SCTP Payload Protocol
 * Identifiers"): DCEP control messages, user text and binary messages, their empty-message variants (RFC 8831
 * §6.6) and the two deprecated "partial" identifiers old browsers used to split large messages. Constants only;
 * any thread.
 */
public final class DataChannelPpid {

    /** DCEP control messages, DATA_CHANNEL_OPEN and DATA_CHANNEL_ACK (RFC 8832 §8.1). */
    public static final int DCEP = 50;
    /** A non-empty text message, UTF-8 (RFC 8831 §6.6, "WebRTC String"). */
    public static final int STRING = 51;
    /** A fragment of a binary message, final part sent as {@link #BINARY} ("WebRTC Binary Partial", deprecated). */
    public static final int BINARY_PARTIAL = 52;
    /** A non-empty binary message ("WebRTC Binary"). */
    public static final int BINARY = 53;
    /** A fragment of a text message, final part sent as {@link #STRING} ("WebRTC String Partial", deprecated). */
    public static final int STRING_PARTIAL = 54;
    /** An empty text message, sent as one byte that the receiver ignores (RFC 8831 §6.6, "WebRTC String Empty"). */
    public static final int STRING_EMPTY = 56;
    /** An empty binary message, sent as one ignored byte (RFC 8831 §6.6, "WebRTC Binary Empty"). */
    public static final int BINARY_EMPTY = 57;

    private DataChannelPpid() {
    }

    /** The identifier a user message of this kind and length is sent with (RFC 8831 §6.6). */
    public static int forMessage(boolean binary, int length) {
        if (length == 0) {
            return binary ? BINARY_EMPTY : STRING_EMPTY;
        }
        return binary ? BINARY : STRING;
    }

    /** Whether the identifier carries binary user data (complete, partial or empty). */
    public static boolean isBinary(int ppid) {
        return ppid == BINARY || ppid == BINARY_PARTIAL || ppid == BINARY_EMPTY;
    }
}
