package org.janussfu.transport;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The budget of accepted TCP connections that have not sent a byte yet, shared by every {@link ParkingServerChannel}
 * of the server (one per listening port): how many may be held ({@code transport.max-silent-connections}), for how
 * long ({@code transport.silent-timeout}), how many are held now, and what became of them. Such a connection costs
 * the acceptor one socket and one selector key; the HTTP/WebSocket set-up on an event loop (the expensive part of a
 * connection, ~100 µs on Vert.x/Netty NIO) waits for its first byte, so a flood of idle connections cannot delay a
 * client that speaks (issue 11, `docs/security.md`). Written lock-free from the acceptor thread(s).
 */
public final class SilentConnections {
    final int max;
    final long timeoutNanos;
    /** Places held now: the {@code silentHeld} counter itself. */
    private final AtomicLong held;
    private final LongAdder promoted;
    private final LongAdder closedTimeout;
    private final LongAdder closedEvicted;
    private final LongAdder closedRefused;

    public SilentConnections(ConnectionLimits limits, TransportCounters counters) {
        this.max = limits.maxSilent();
        this.timeoutNanos = limits.silentTimeoutSeconds() * 1_000_000_000L;
        this.held = counters.silentHeld;
        this.promoted = counters.silentPromoted;
        this.closedTimeout = counters.closedSilentTimeout;
        this.closedEvicted = counters.closedSilentEvicted;
        this.closedRefused = counters.closedSilentRefused;
    }

    /** Takes a place; false when all {@code max} are held. */
    boolean tryHold() {
        if (held.incrementAndGet() > max) {
            held.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives a place back because the connection spoke (it goes on to the HTTP/WebSocket server). */
    void promoted() {
        release();
        promoted.increment();
    }

    /** Gives a place back because the connection was closed: by its deadline, or for a newcomer. */
    void closed(boolean byDeadline) {
        release();
        (byDeadline ? closedTimeout : closedEvicted).increment();
    }

    /** Counts a newcomer closed at once: every place was held by another listener's connections. */
    void closedRefused() {
        closedRefused.increment();
    }

    /** Gives a place back because the connection went away by itself or the listener closed. */
    void released() {
        release();
    }

    private void release() {
        held.decrementAndGet();
    }
}
