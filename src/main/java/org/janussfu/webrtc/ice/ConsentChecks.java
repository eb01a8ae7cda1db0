package org.janussfu.webrtc.ice;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Our own consent checks on a connected generation's selected pair (RFC 7675 §5.1), in place of ice4j's keep-alive
 * runner ({@code org.ice4j.NO_KEEP_ALIVES}, set by {@link IceTransport}): ice4j sent them from its agent executor
 * and timer threads and took the responses through its STUN stack, ~0.7 % of a core for 500 idle connections of
 * issue 13's idle budget (docs/performance.md). Here the {@link ConsentSweep} (thread {@code ice-events}) calls
 * {@link #due} every second ({@link ConsentSweep#PERIOD_MS}); a due check is a Binding request built once per send ({@link StunWire#bindingRequest}),
 * sent on the media route, and its success response — MESSAGE-INTEGRITY already checked by the {@link UdpEndpoint}
 * against the remote password — is matched here by transaction ID on the endpoint's reading thread
 * ({@link #answered}), never reaching ice4j. One check every {@link #INTERVAL_MS} ms × 0.8–1.2 (§5.1), the first
 * {@link #FIRST_MS} after connecting, and once a second while two intervals went unanswered, each with a new
 * transaction ID (§5.1); the last {@value #OUTSTANDING} stay valid so that a late response still counts. With consent
 * freshness off, a Binding indication every 15 s keeps NAT bindings open instead (RFC 8445 §11) and nothing is
 * expected back. Owned by its {@link IceGeneration}; {@link #due} on {@code ice-events} only, {@link #answered} on
 * the reading thread, {@link #lastResponseMillis} anywhere.
 */
final class ConsentChecks {
    static final long INTERVAL_MS = 5_000;
    static final long FIRST_MS = 1_000;
    static final long URGENT_MS = 1_000;
    static final long KEEPALIVE_MS = 15_000;
    static final int OUTSTANDING = 8;
    private static final SecureRandom IDS = new SecureRandom();
    /** Process-wide: checks sent and answered (tests and the idle measurements read them). */
    static final LongAdder SENT = new LongAdder();
    static final LongAdder ANSWERED = new LongAdder();

    private final byte[] username;
    private final long priority;
    private final boolean controlling;
    private final long tieBreaker;
    /** The remote password as HMAC key; null: keepalive indications only. */
    private final byte[] remoteKey;
    private final long interval;
    private final AtomicReferenceArray<byte[]> outstanding = new AtomicReferenceArray<>(OUTSTANDING);
    private int slot; // ice-events
    private long nextMillis; // ice-events
    private volatile long lastResponseMillis = -1;

    /**
     * @param remoteKey the remote ICE password's key (null: consent freshness off, send keepalives)
     * @param consentTimeoutMillis how long consent lasts without a response: the interval is at most a quarter of it
     */
    ConsentChecks(String remoteUfrag, String localUfrag, long priority, boolean controlling, long tieBreaker,
                  byte[] remoteKey, long consentTimeoutMillis, long nowMillis) {
        this.username = (remoteUfrag + ":" + localUfrag).getBytes(StandardCharsets.UTF_8);
        this.priority = priority;
        this.controlling = controlling;
        this.tieBreaker = tieBreaker;
        this.remoteKey = remoteKey;
        this.interval = remoteKey == null ? KEEPALIVE_MS : Math.min(INTERVAL_MS, consentTimeoutMillis / 4);
        this.nextMillis = nowMillis + (remoteKey == null ? KEEPALIVE_MS : FIRST_MS);
    }

    /**
     * {@code ice-events}: the check (or keepalive) to send now, or null when none is due. A new transaction ID each
     * time; the next is scheduled a randomised interval later, or a second later while consent is at risk.
     */
    byte[] due(long nowMillis, long connectedAtMillis) {
        if (nowMillis - nextMillis < 0) {
            return null;
        }
        byte[] id = new byte[12];
        IDS.nextBytes(id);
        long base = Math.max(lastResponseMillis, connectedAtMillis);
        boolean atRisk = remoteKey != null && nowMillis - base > 2 * interval;
        nextMillis = nowMillis + (atRisk ? URGENT_MS
                : (long) (interval * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
        if (remoteKey != null) {
            outstanding.set(slot, id);
            slot = (slot + 1) % OUTSTANDING;
        }
        SENT.increment();
        return StunWire.bindingRequest(id, username, priority, controlling, tieBreaker, remoteKey);
    }

    /**
     * The reading thread: whether the Binding success response at {@code off} (integrity already verified) answers
     * one of our outstanding checks — then consent is fresh as of now.
     */
    boolean answered(byte[] b, int off, long nowMillis) {
        for (int i = 0; i < OUTSTANDING; i++) {
            byte[] id = outstanding.get(i);
            if (id != null && StunWire.sameTransaction(b, off, id)) {
                outstanding.compareAndSet(i, id, null); // a duplicate of the response counts once
                lastResponseMillis = nowMillis;
                ANSWERED.increment();
                return true;
            }
        }
        return false;
    }

    /** The time of the last answered check, or -1. */
    long lastResponseMillis() {
        return lastResponseMillis;
    }

    /** The interval between checks (for tests). */
    long intervalMillis() {
        return interval;
    }
}
