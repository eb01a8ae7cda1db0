package org.janussfu.webrtc.dtls;

/**
 * Record-header checks made on a datagram before it is queued for Bouncy Castle (RFC 6347 §4.1). Stateless; any
 * thread, no allocation.
 *
 * <p>Once the handshake is over, every record the peer legitimately sends is protected (epoch ≥ 1) — except a
 * retransmission of its last handshake flight, which is never an alert. A plaintext (epoch 0) alert then is
 * unauthenticated: anyone who can put a datagram on the validated 5-tuple could forge it, so it is dropped like any
 * other invalid record (RFC 6347 §4.1.2.7) instead of ending the association. A real close_notify or fatal alert from
 * the peer is protected and still closes.
 */
final class DtlsRecords {
    /** RFC 6347 §4.1: content type (1), version (2), epoch (2), sequence number (6), length (2). */
    static final int HEADER = 13;
    private static final int ALERT = 21;

    private DtlsRecords() {
    }

    /** Whether any record in {@code buf[off, off+len)} is an epoch-0 alert (or the record framing is broken). */
    static boolean hasPlaintextAlert(byte[] buf, int off, int len) {
        int p = off;
        int end = off + len;
        while (p < end) {
            if (end - p < HEADER) {
                return true; // a truncated header: nothing Bouncy Castle could use either
            }
            int type = buf[p] & 0xFF;
            int epoch = ((buf[p + 3] & 0xFF) << 8) | (buf[p + 4] & 0xFF);
            int length = ((buf[p + 11] & 0xFF) << 8) | (buf[p + 12] & 0xFF);
            if (type == ALERT && epoch == 0) {
                return true;
            }
            p += HEADER + length;
        }
        return false;
    }
}
