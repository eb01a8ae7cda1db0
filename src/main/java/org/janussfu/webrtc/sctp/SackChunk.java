package org.janussfu.webrtc.sctp;

/**
 * The SACK chunk (RFC 9260 §3.3.4): cumulative TSN ack, advertised receiver window, gap ack blocks (offsets from the
 * cumulative TSN ack, 16-bit, start ≤ end) and duplicate TSNs. Immutable; owner's context.
 */
record SackChunk(int cumulativeTsnAck, long aRwnd, int[] gapStarts, int[] gapEnds, int[] duplicates)
        implements Chunk {

    @Override
    public int type() {
        return SACK;
    }

    @Override
    public int flags() {
        return 0;
    }

    @Override
    public int valueLength() {
        return 12 + 4 * gapStarts.length + 4 * duplicates.length;
    }

    @Override
    public void writeValue(byte[] b, int off) {
        WireBytes.put32(b, off, cumulativeTsnAck);
        WireBytes.put32(b, off + 4, aRwnd);
        WireBytes.put16(b, off + 8, gapStarts.length);
        WireBytes.put16(b, off + 10, duplicates.length);
        int p = off + 12;
        for (int i = 0; i < gapStarts.length; i++, p += 4) {
            WireBytes.put16(b, p, gapStarts[i]);
            WireBytes.put16(b, p + 2, gapEnds[i]);
        }
        for (int d : duplicates) {
            WireBytes.put32(b, p, d);
            p += 4;
        }
    }

    /** Null when the counts do not match the length. */
    static SackChunk decode(byte[] b, int off, int len) {
        if (len < 12) {
            return null;
        }
        int gaps = WireBytes.u16(b, off + 8);
        int dups = WireBytes.u16(b, off + 10);
        if (12 + 4L * gaps + 4L * dups > len) {
            return null;
        }
        int[] starts = new int[gaps];
        int[] ends = new int[gaps];
        int p = off + 12;
        for (int i = 0; i < gaps; i++, p += 4) {
            starts[i] = WireBytes.u16(b, p);
            ends[i] = WireBytes.u16(b, p + 2);
        }
        int[] dup = new int[dups];
        for (int i = 0; i < dups; i++, p += 4) {
            dup[i] = WireBytes.i32(b, p);
        }
        return new SackChunk(WireBytes.i32(b, off), WireBytes.u32(b, off + 4), starts, ends, dup);
    }
}
