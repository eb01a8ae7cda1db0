package org.janussfu.webrtc.sctp;

import java.util.Random;

/**
 * Path liveness on an idle association (RFC 9260 §8.3): every HB.interval, if no DATA is outstanding, a HEARTBEAT
 * carrying a nonce and its send time in a Heartbeat Info parameter (§3.3.5); a HEARTBEAT-ACK echoing the current
 * nonce gives an RTT sample and clears the error counter, a missing one within an RTO counts one error. The
 * association drives it from its heartbeat timer; this class keeps the nonce and the outstanding flag. Owned by
 * the association; its context only.
 */
final class HeartbeatMonitor {

    private static final int INFO_PARAM = 1;

    private final Random random;
    private long nonce;
    private boolean outstanding;
    /** The outstanding heartbeat was answered and its RTO has not yet run out. */
    private boolean answered;

    HeartbeatMonitor(Random random) {
        this.random = random;
    }

    boolean outstanding() {
        return outstanding;
    }

    /** Marks the outstanding heartbeat as lost (its RTO passed). */
    void expire() {
        outstanding = false;
    }

    /**
     * Whether the latest heartbeat was answered since the last call (clears it): its RTO timer then starts the next
     * period (§8.3: a HEARTBEAT every RTO + HB.interval), rather than sending another HEARTBEAT at once.
     */
    boolean takeAnswered() {
        boolean a = answered;
        answered = false;
        return a;
    }

    ValueChunk newHeartbeat(long nowMillis) {
        nonce = random.nextLong();
        outstanding = true;
        answered = false;
        byte[] v = new byte[20];
        WireBytes.put16(v, 0, INFO_PARAM);
        WireBytes.put16(v, 2, 20);
        WireBytes.put32(v, 4, nonce >>> 32);
        WireBytes.put32(v, 8, nonce);
        WireBytes.put32(v, 12, nowMillis >>> 32);
        WireBytes.put32(v, 16, nowMillis);
        return new ValueChunk(Chunk.HEARTBEAT, 0, v);
    }

    /** Returns the RTT in ms if the ack answers the outstanding heartbeat, else -1. */
    long onAck(byte[] v, long nowMillis) {
        if (!outstanding || v.length < 20 || WireBytes.u16(v, 0) != INFO_PARAM) {
            return -1;
        }
        long n = (WireBytes.u32(v, 4) << 32) | WireBytes.u32(v, 8);
        if (n != nonce) {
            return -1;
        }
        outstanding = false;
        answered = true;
        long sent = (WireBytes.u32(v, 12) << 32) | WireBytes.u32(v, 16);
        return Math.max(0, nowMillis - sent);
    }
}
