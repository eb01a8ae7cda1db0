package org.janussfu.rtp;

/**
 * One stream a subscriber receives (audio or video): stamps our SSRC on forwarded packets and keeps sequence
 * numbers and timestamps continuous when the source changes (a publisher that renegotiates or restarts comes back
 * with a new SSRC, sequence and timestamp base — RFC 3550 §5.1 requires our stream not to jump). It counts what it
 * sends for sender reports (RFC 3550 §6.4.1) and, for video, keeps the last sent packets in a ring so that NACKs
 * (RFC 4585 §6.2.1) are answered by resending them unchanged: the receiver never got them, so SRTP replay
 * protection accepts them. Single owner: the subscriber's context; allocation-free.
 */
public final class OutboundStream {
    private final long ssrc;
    private final int clockRate;
    private final PooledPacket[] ring;
    private final int[] ringSeq;
    /** When each kept packet was rewritten (sent), for the NACK queue's age limit. */
    private final long[] ringNanos;
    private long lastRewriteNanos;
    private final int ringMask;
    private boolean started;
    private long sourceSsrc;
    private int seqOffset;
    private long tsOffset;
    private int lastSeq;
    private long lastTs;
    private long lastSentNanos;
    private long packets;
    private long octets;
    private long retransmitted;
    private long nackMisses;

    /** @param nackRing packets kept for retransmission (0 = none; rounded up to a power of two) */
    public OutboundStream(long ssrc, int clockRate, int nackRing) {
        this.ssrc = ssrc;
        this.clockRate = clockRate;
        int size = nackRing <= 0 ? 0 : Integer.highestOneBit(Math.max(2, nackRing - 1)) << 1;
        this.ring = new PooledPacket[size];
        this.ringSeq = new int[size];
        this.ringNanos = new long[size];
        this.ringMask = size - 1;
    }

    public long ssrc() {
        return ssrc;
    }

    /** Rewrites SSRC, sequence number and timestamp of an RTP packet in place; returns the new sequence number. */
    public int rewrite(byte[] b, int off, int len, long nowNanos) {
        long inSsrc = RtpHeader.ssrc(b, off);
        int inSeq = RtpHeader.sequence(b, off);
        long inTs = RtpHeader.timestamp(b, off);
        if (!started) {
            started = true;
            sourceSsrc = inSsrc;
            seqOffset = 0;
            tsOffset = 0;
        } else if (inSsrc != sourceSsrc) {
            // New source: continue right after what we sent, with the timestamp advanced by the elapsed time.
            sourceSsrc = inSsrc;
            seqOffset = (lastSeq + 1 - inSeq) & 0xffff;
            long elapsed = Math.max(1, (nowNanos - lastSentNanos) / 1000 * clockRate / 1_000_000);
            tsOffset = (lastTs + elapsed - inTs) & 0xffffffffL;
        }
        int outSeq = (inSeq + seqOffset) & 0xffff;
        long outTs = (inTs + tsOffset) & 0xffffffffL;
        RtpHeader.setSsrc(b, off, ssrc);
        b[off + 2] = (byte) (outSeq >>> 8);
        b[off + 3] = (byte) outSeq;
        b[off + 4] = (byte) (outTs >>> 24);
        b[off + 5] = (byte) (outTs >>> 16);
        b[off + 6] = (byte) (outTs >>> 8);
        b[off + 7] = (byte) outTs;
        if (packets == 0 || ((outSeq - lastSeq) & 0xffff) < 0x8000) {
            lastSeq = outSeq;
            lastTs = outTs;
            lastSentNanos = nowNanos;
        }
        packets++;
        octets += Math.max(0, len - RtpHeader.MIN_LENGTH);
        lastRewriteNanos = nowNanos;
        return outSeq;
    }

    /** Keeps a sent (protected) packet for retransmission, releasing the one it replaces. Takes ownership. */
    public void remember(PooledPacket p, int seq) {
        if (ring.length == 0) {
            p.release();
            return;
        }
        int slot = seq & ringMask;
        PooledPacket old = ring[slot];
        if (old != null) {
            old.release();
        }
        ring[slot] = p;
        ringSeq[slot] = seq;
        ringNanos[slot] = lastRewriteNanos;
    }

    /** The packet sent with {@code seq}, if still kept; counts hits and misses. */
    public PooledPacket find(int seq) {
        if (ring.length == 0) {
            nackMisses++;
            return null;
        }
        int slot = seq & ringMask;
        PooledPacket p = ring[slot];
        if (p != null && ringSeq[slot] == seq) {
            retransmitted++;
            return p;
        }
        nackMisses++;
        return null;
    }

    /**
     * As {@link #find(int)}, but a packet sent more than {@code maxAgeNanos} before {@code nowNanos} counts as no
     * longer kept (Janus' NACK queue in ms: {@code set_max_nack_queue}; 0 = nothing is retransmitted).
     */
    public PooledPacket find(int seq, long nowNanos, long maxAgeNanos) {
        int slot = seq & ringMask;
        if (ring.length > 0 && ring[slot] != null && ringSeq[slot] == seq && nowNanos - ringNanos[slot] > maxAgeNanos) {
            nackMisses++;
            return null;
        }
        return find(seq);
    }

    /** Releases every kept packet (the subscriber is gone). */
    public void clear() {
        for (int i = 0; i < ring.length; i++) {
            if (ring[i] != null) {
                ring[i].release();
                ring[i] = null;
            }
        }
    }

    public boolean started() {
        return started;
    }

    public long packets() {
        return packets;
    }

    public long octets() {
        return octets;
    }

    public long retransmitted() {
        return retransmitted;
    }

    public long nackMisses() {
        return nackMisses;
    }

    /** The RTP timestamp that corresponds to {@code nowNanos}, extrapolated from the last packet (for an SR). */
    public long rtpTimestampAt(long nowNanos) {
        long elapsed = (nowNanos - lastSentNanos) / 1000 * clockRate / 1_000_000;
        return (lastTs + elapsed) & 0xffffffffL;
    }
}
