package org.janussfu;

import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A library that logs per packet cannot flood the log; our own loggers pass untouched. */
class LibraryLogFilterTest {

    private static LogRecord record(String logger) {
        LogRecord r = new LogRecord(Level.SEVERE, "Failed to decode a stun message!");
        r.setLoggerName(logger);
        return r;
    }

    @Test
    void aLibraryLoggerWritesAFewRecordsPerWindowThenSaysHowManyItDropped() {
        LibraryLogFilter f = new LibraryLogFilter();
        long t = 1_000_000_000L;
        int passed = 0;
        for (int i = 0; i < 100_000; i++) {
            if (f.isLoggable(record("org.ice4j.stack.NetAccessManager"), t + i)) {
                passed++;
            }
        }
        assertEquals(LibraryLogFilter.PER_WINDOW, passed);
        LogRecord next = record("org.ice4j.stack.NetAccessManager");
        assertTrue(f.isLoggable(next, t + LibraryLogFilter.WINDOW_NANOS + 1));
        assertTrue(next.getMessage().endsWith("(99995 similar records from this library dropped)"), next.getMessage());
        int ours = 0;
        for (int i = 0; i < 1000; i++) {
            ours += f.isLoggable(record("org.janussfu.core.JanusCore"), t) ? 1 : 0;
        }
        assertEquals(1000, ours);
    }
}
