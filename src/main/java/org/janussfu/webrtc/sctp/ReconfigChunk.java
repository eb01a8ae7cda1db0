package org.janussfu.webrtc.sctp;

import java.util.ArrayList;
import java.util.List;

/**
 * The RE-CONFIG chunk (RFC 6525 §3.1) and its parameters: Outgoing SSN Reset Request (§4.1), Incoming SSN Reset
 * Request (§4.2), Re-configuration Response (§4.4); the other requests (SSN/TSN reset §4.3, add streams §4.5–4.6)
 * and unknown types are kept as {@link Other} so that they can be answered "denied". Immutable; owner's context.
 */
record ReconfigChunk(List<Param> params) implements Chunk {

    static final int OUTGOING_RESET = 13;
    static final int INCOMING_RESET = 14;
    static final int SSN_TSN_RESET = 15;
    static final int RESPONSE = 16;

    /** Re-configuration result codes (RFC 6525 §4.4). */
    static final int RESULT_NOTHING_TO_DO = 0;
    static final int RESULT_PERFORMED = 1;
    static final int RESULT_DENIED = 2;
    static final int RESULT_BAD_SEQUENCE = 5;
    static final int RESULT_IN_PROGRESS = 6;

    /** One parameter of a RE-CONFIG chunk. */
    sealed interface Param permits OutgoingResetRequest, IncomingResetRequest, Response, Other {
        int paramType();

        int valueLength();

        void writeValue(byte[] b, int off);
    }

    /** RFC 6525 §4.1; an empty stream list means all streams. */
    record OutgoingResetRequest(int requestSeq, int responseSeq, int lastAssignedTsn, int[] streamIds)
            implements Param {
        public int paramType() {
            return OUTGOING_RESET;
        }

        public int valueLength() {
            return 12 + 2 * streamIds.length;
        }

        public void writeValue(byte[] b, int off) {
            WireBytes.put32(b, off, requestSeq);
            WireBytes.put32(b, off + 4, responseSeq);
            WireBytes.put32(b, off + 8, lastAssignedTsn);
            for (int i = 0; i < streamIds.length; i++) {
                WireBytes.put16(b, off + 12 + 2 * i, streamIds[i]);
            }
        }
    }

    /** RFC 6525 §4.2. */
    record IncomingResetRequest(int requestSeq, int[] streamIds) implements Param {
        public int paramType() {
            return INCOMING_RESET;
        }

        public int valueLength() {
            return 4 + 2 * streamIds.length;
        }

        public void writeValue(byte[] b, int off) {
            WireBytes.put32(b, off, requestSeq);
            for (int i = 0; i < streamIds.length; i++) {
                WireBytes.put16(b, off + 4 + 2 * i, streamIds[i]);
            }
        }
    }

    /** RFC 6525 §4.4 (the optional TSN fields, only meaningful for SSN/TSN reset, are not carried). */
    record Response(int responseSeq, int result) implements Param {
        public int paramType() {
            return RESPONSE;
        }

        public int valueLength() {
            return 8;
        }

        public void writeValue(byte[] b, int off) {
            WireBytes.put32(b, off, responseSeq);
            WireBytes.put32(b, off + 4, result);
        }
    }

    /** Any other parameter; {@code requestSeq} is its first 4 value bytes (all RFC 6525 requests start so). */
    record Other(int paramType, int requestSeq, byte[] value) implements Param {
        public int valueLength() {
            return value.length;
        }

        public void writeValue(byte[] b, int off) {
            System.arraycopy(value, 0, b, off, value.length);
        }
    }

    @Override
    public int type() {
        return RE_CONFIG;
    }

    @Override
    public int flags() {
        return 0;
    }

    @Override
    public int valueLength() {
        int n = 0;
        for (int i = 0; i < params.size(); i++) {
            int len = 4 + params.get(i).valueLength();
            n += i == params.size() - 1 ? len : WireBytes.pad4(len);
        }
        return n;
    }

    @Override
    public void writeValue(byte[] b, int off) {
        int p = off;
        for (Param param : params) {
            int len = 4 + param.valueLength();
            WireBytes.put16(b, p, param.paramType());
            WireBytes.put16(b, p + 2, len);
            param.writeValue(b, p + 4);
            int end = p + WireBytes.pad4(len);
            for (int i = p + len; i < end && i < b.length; i++) {
                b[i] = 0;
            }
            p = end;
        }
    }

    /** Null when a parameter's framing or fixed fields are malformed. */
    static ReconfigChunk decode(byte[] b, int off, int len) {
        List<Param> params = new ArrayList<>(2);
        int p = off;
        int end = off + len;
        while (end - p >= 4) {
            int type = WireBytes.u16(b, p);
            int plen = WireBytes.u16(b, p + 2);
            if (plen < 4 || plen > end - p) {
                return null;
            }
            int v = p + 4;
            int vlen = plen - 4;
            Param param = switch (type) {
                case OUTGOING_RESET -> vlen < 12 ? null
                        : new OutgoingResetRequest(WireBytes.i32(b, v), WireBytes.i32(b, v + 4),
                        WireBytes.i32(b, v + 8), streams(b, v + 12, vlen - 12));
                case INCOMING_RESET -> vlen < 4 ? null
                        : new IncomingResetRequest(WireBytes.i32(b, v), streams(b, v + 4, vlen - 4));
                case RESPONSE -> vlen < 8 ? null : new Response(WireBytes.i32(b, v), WireBytes.i32(b, v + 4));
                default -> {
                    byte[] raw = new byte[vlen];
                    System.arraycopy(b, v, raw, 0, vlen);
                    yield new Other(type, vlen >= 4 ? WireBytes.i32(b, v) : 0, raw);
                }
            };
            if (param == null) {
                return null;
            }
            params.add(param);
            p += Math.min(WireBytes.pad4(plen), end - p);
        }
        return params.isEmpty() ? null : new ReconfigChunk(params);
    }

    private static int[] streams(byte[] b, int off, int len) {
        int[] ids = new int[len / 2];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = WireBytes.u16(b, off + 2 * i);
        }
        return ids;
    }
}
