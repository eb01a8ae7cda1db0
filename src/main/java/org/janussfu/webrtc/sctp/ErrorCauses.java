package org.janussfu.webrtc.sctp;

import java.nio.charset.StandardCharsets;

/**
 * Error causes carried by ABORT and ERROR chunks (RFC 9260 §3.3.10): building the few the engine sends and rendering
 * received ones as text for {@code onClosed}. Stateless; any thread.
 */
final class ErrorCauses {

    static final int INVALID_STREAM = 1;
    static final int UNRECOGNIZED_CHUNK = 6;
    static final int NO_USER_DATA = 9;
    static final int USER_INITIATED_ABORT = 12;
    static final int PROTOCOL_VIOLATION = 13;

    private ErrorCauses() {
    }

    /** One cause TLV, padded to 4 bytes. */
    static byte[] cause(int code, byte[] info, int off, int len) {
        byte[] out = new byte[WireBytes.pad4(4 + len)];
        WireBytes.put16(out, 0, code);
        WireBytes.put16(out, 2, 4 + len);
        System.arraycopy(info, off, out, 4, len);
        return out;
    }

    static byte[] text(int code, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        return cause(code, t, 0, Math.min(t.length, 256));
    }

    /** Invalid Stream Identifier (§3.3.10.1): the stream id and 2 reserved bytes. */
    static byte[] invalidStream(int streamId) {
        byte[] v = new byte[4];
        WireBytes.put16(v, 0, streamId);
        return cause(INVALID_STREAM, v, 0, 4);
    }

    /** Human-readable summary of a cause list, never throwing on malformed input. */
    static String describe(byte[] causes) {
        StringBuilder sb = new StringBuilder();
        int p = 0;
        while (causes.length - p >= 4 && sb.length() < 300) {
            int code = WireBytes.u16(causes, p);
            int len = WireBytes.u16(causes, p + 2);
            if (len < 4 || len > causes.length - p) {
                break;
            }
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(name(code));
            if ((code == USER_INITIATED_ABORT || code == PROTOCOL_VIOLATION) && len > 4) {
                sb.append(": ").append(new String(causes, p + 4, Math.min(len - 4, 200), StandardCharsets.UTF_8)
                        .replaceAll("\\p{Cntrl}", "?"));
            }
            p += WireBytes.pad4(len);
        }
        return sb.length() == 0 ? "no cause" : sb.toString();
    }

    private static String name(int code) {
        return switch (code) {
            case INVALID_STREAM -> "invalid stream identifier";
            case 2 -> "missing mandatory parameter";
            case 3 -> "stale cookie";
            case 4 -> "out of resource";
            case UNRECOGNIZED_CHUNK -> "unrecognized chunk type";
            case 7 -> "invalid mandatory parameter";
            case 8 -> "unrecognized parameters";
            case NO_USER_DATA -> "no user data";
            case 10 -> "cookie received while shutting down";
            case 11 -> "restart with new addresses";
            case USER_INITIATED_ABORT -> "user-initiated abort";
            case PROTOCOL_VIOLATION -> "protocol violation";
            default -> "cause " + code;
        };
    }
}
