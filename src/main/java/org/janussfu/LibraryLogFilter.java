package org.janussfu;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Bounds what third-party libraries (ice4j, Netty, Vert.x, Bouncy Castle, Hazelcast) may write to the log when a
 * peer can trigger their messages at will — e.g. ice4j logs SEVERE with a stack trace for every malformed STUN
 * attribute an authenticated peer sends (docs/fuzzing.md): at most {@link #PER_WINDOW} records per logger and level
 * per {@link #WINDOW_NANOS}; the first record of a later window says how many were dropped. Our own code
 * ({@code org.janussfu}) is not filtered here: it throttles its repeatable causes itself ({@code core.LogThrottle}).
 * Installed on the console handler by {@link LogSetup}; any thread; the map holds one entry per library logger and
 * level (bounded by the libraries' code, not by peers).
 */
final class LibraryLogFilter implements Filter {
    static final int PER_WINDOW = 5;
    static final long WINDOW_NANOS = 10_000_000_000L;

    private static final class Window {
        final AtomicLong start = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong count = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
    }

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    @Override
    public boolean isLoggable(LogRecord record) {
        return isLoggable(record, System.nanoTime());
    }

    boolean isLoggable(LogRecord record, long now) {
        String name = record.getLoggerName();
        if (name == null || name.startsWith("org.janussfu")) {
            return true;
        }
        Window w = windows.computeIfAbsent(name + '|' + record.getLevel().intValue(), k -> new Window());
        long start = w.start.get();
        if ((start == Long.MIN_VALUE || now - start >= WINDOW_NANOS) && w.start.compareAndSet(start, now)) {
            w.count.set(0);
        }
        if (w.count.incrementAndGet() > PER_WINDOW) {
            w.dropped.incrementAndGet();
            return false;
        }
        long dropped = w.dropped.getAndSet(0);
        if (dropped > 0) {
            record.setMessage(record.getMessage() + " (" + dropped + " similar records from this library dropped)");
        }
        return true;
    }
}
