package org.janussfu.webrtc.sctp;

/**
 * The FORWARD-TSN chunk (RFC 3758 §3.2): the new cumulative TSN the receiver should move to, and for each ordered
 * stream whose messages were skipped the largest skipped stream sequence number. Immutable; owner's context.
 */
record ForwardTsnChunk(int newCumulativeTsn, int[] streamIds, int[] ssns) implements Chunk {

    @Override
    public int type() {
        return FORWARD_TSN;
    }

    @Override
    public int flags() {
        return 0;
    }

    @Override
    public int valueLength() {
        return 4 + 4 * streamIds.length;
    }

    @Override
    public void writeValue(byte[] b, int off) {
        WireBytes.put32(b, off, newCumulativeTsn);
        for (int i = 0; i < streamIds.length; i++) {
            WireBytes.put16(b, off + 4 + 4 * i, streamIds[i]);
            WireBytes.put16(b, off + 6 + 4 * i, ssns[i]);
        }
    }

    /** Null when shorter than the new cumulative TSN; a trailing partial pair is ignored. */
    static ForwardTsnChunk decode(byte[] b, int off, int len) {
        if (len < 4) {
            return null;
        }
        int n = (len - 4) / 4;
        int[] ids = new int[n];
        int[] ssns = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = WireBytes.u16(b, off + 4 + 4 * i);
            ssns[i] = WireBytes.u16(b, off + 6 + 4 * i);
        }
        return new ForwardTsnChunk(WireBytes.i32(b, off), ids, ssns);
    }
}
