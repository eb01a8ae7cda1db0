package org.janussfu.rtp;

/**
 * A reusable packet holder for the forwarding path: a region of a {@code byte[]} (its own pooled array, or an
 * array lent by the network layer) plus the media kind. It has exactly one owner at a time — the thread
 * that acquired it, then whoever it was handed to — and goes back to its {@link PacketPool} with {@link #release}.
 * The own array keeps {@link #TAILROOM} spare bytes after the largest packet for the SRTP tag written in place.
 *
 * <p>A lent array ({@link #adopt(byte[], int, int, Lender, Object)}) goes back to its {@link Lender} exactly once:
 * when the holder is released or pointed at other bytes. That is how the network layer's receive buffers are
 * recycled without a copy.
 */
public final class PooledPacket {
    /** Whoever lent an array to a holder; takes it back (any thread, no lock, no allocation). */
    public interface Lender {
        /** {@code loan} — the object the lender gave out with the array — is free again. */
        void takeBack(Object loan);
    }

    /** Largest RTP/RTCP packet we carry (a full Ethernet MTU's worth). */
    public static final int MAX_PACKET = 1500;
    /** Spare bytes after a packet: SRTP writes its authentication tag in place (jitsi-srtp GCM needs ≥ 16). */
    public static final int TAILROOM = 32;

    private final PacketPool pool;
    private final byte[] own = new byte[MAX_PACKET + TAILROOM];
    private byte[] buf = own;
    private int off;
    private int len;
    private boolean video;
    private Lender lender;
    private Object loan;

    PooledPacket(PacketPool pool) {
        this.pool = pool;
    }

    /** Copies a region into the own array; false if it is larger than {@link #MAX_PACKET}. */
    public boolean copyFrom(byte[] src, int srcOff, int length, boolean isVideo) {
        if (length > MAX_PACKET || length < 0) {
            return false;
        }
        System.arraycopy(src, srcOff, own, 0, length);
        endLoan(); // after the copy: src may be the lent array itself
        buf = own;
        off = 0;
        len = length;
        video = isVideo;
        return true;
    }

    /** Points at a foreign array the caller gives up for good (nobody takes it back), without copying. */
    public void adopt(byte[] foreign, int foreignOff, int length) {
        adopt(foreign, foreignOff, length, null, null);
    }

    /**
     * Points at a lent array without copying; {@code lender.takeBack(loan)} runs when the holder is released or
     * repointed. A null lender means the array is simply given up.
     */
    public void adopt(byte[] foreign, int foreignOff, int length, Lender from, Object token) {
        endLoan();
        buf = foreign;
        off = foreignOff;
        len = length;
        video = false;
        lender = from;
        loan = token;
    }

    /** Points the holder back at its own array (offset 0, empty) and returns that array for writing. */
    public byte[] ownArray() {
        endLoan();
        buf = own;
        off = 0;
        len = 0;
        return own;
    }

    public byte[] buffer() {
        return buf;
    }

    public int offset() {
        return off;
    }

    public int length() {
        return len;
    }

    public void setLength(int length) {
        len = length;
    }

    public boolean isVideo() {
        return video;
    }

    /** Spare bytes after the packet in its array. */
    public int tailroom() {
        return buf.length - off - len;
    }

    /** Gives the holder back to its pool; the caller must not touch it afterwards. */
    public void release() {
        endLoan();
        buf = own;
        off = 0;
        len = 0;
        pool.release(this);
    }

    private void endLoan() {
        Lender l = lender;
        if (l != null) {
            Object token = loan;
            lender = null;
            loan = null;
            l.takeBack(token);
        }
    }
}
