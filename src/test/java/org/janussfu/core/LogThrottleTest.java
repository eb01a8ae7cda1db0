package org.janussfu.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogThrottleTest {

    @Test
    void writesAtMostTheLimitPerIntervalAndReportsWhatItSuppressed() {
        Logger logger = Logger.getLogger("test.logthrottle." + System.nanoTime());
        logger.setUseParentHandlers(false);
        List<String> lines = new ArrayList<>();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        LogThrottle t = new LogThrottle(logger, Level.WARNING, 3, 1000);
        long now = 1_000_000_000L;
        for (int i = 0; i < 10_000; i++) {
            t.log(now + i, () -> "flood");
        }
        assertEquals(3, lines.size());
        assertEquals(9_997, t.suppressed());
        assertFalse(t.log(now + 999_000_000L, () -> "flood"));
        assertTrue(t.log(now + 1_000_000_001L, () -> "flood"));
        assertEquals(4, lines.size());
        assertEquals("flood (9998 similar records suppressed)", lines.get(3));
    }
}
