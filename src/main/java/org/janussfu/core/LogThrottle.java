package org.janussfu.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A log line for one cause (e.g. "flooding websocket closed") that an attacker may trigger at will: at most
 * {@code perInterval} records per interval are written, and the first record of the next interval says how many
 * were suppressed, so that the log stays readable and bounded however fast the cause repeats (the counter that
 * goes with the cause keeps the exact number). One instance per cause, usually a static field; lock-free and
 * callable from any thread (the window is a CAS on two atomics, so a record or two more than the limit may slip
 * through when threads race at a window boundary — the bound per interval still holds within that slack).
 */
public final class LogThrottle {
    private final Logger logger;
    private final Level level;
    private final int perInterval;
    private final long intervalNanos;
    private final AtomicLong windowStart = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong inWindow = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    public LogThrottle(Logger logger, Level level, int perInterval, long intervalMillis) {
        if (perInterval < 1 || intervalMillis < 1) {
            throw new IllegalArgumentException("perInterval and intervalMillis must be >= 1");
        }
        this.logger = logger;
        this.level = level;
        this.perInterval = perInterval;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** A throttle of 5 records per 10 s, the default for causes a client can repeat. */
    public static LogThrottle of(Logger logger, Level level) {
        return new LogThrottle(logger, level, 5, 10_000);
    }

    /** Logs {@code message} unless this cause already logged {@code perInterval} records in the current interval. */
    public void log(Supplier<String> message) {
        log(System.nanoTime(), message);
    }

    /** As {@link #log(Supplier)} at a given time (tests). Returns whether a record was written. */
    boolean log(long nowNanos, Supplier<String> message) {
        if (!logger.isLoggable(level)) {
            return false;
        }
        long start = windowStart.get();
        if (start == Long.MIN_VALUE || nowNanos - start >= intervalNanos) {
            if (windowStart.compareAndSet(start, nowNanos)) {
                inWindow.set(0);
            }
        }
        if (inWindow.incrementAndGet() > perInterval) {
            suppressed.incrementAndGet();
            return false;
        }
        long skipped = suppressed.getAndSet(0);
        if (skipped > 0) {
            logger.log(level, () -> message.get() + " (" + skipped + " similar records suppressed)");
        } else {
            logger.log(level, message);
        }
        return true;
    }

    /** Records suppressed since the last written one (tests). */
    long suppressed() {
        return suppressed.get();
    }
}
