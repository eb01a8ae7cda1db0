package org.janussfu.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-connection token bucket, driven with explicit clock values. */
class RateLimiterTest {
    @Test
    void burstThenRate() {
        RateLimiter r = new RateLimiter(10, 5);
        long t = System.nanoTime();
        int ok = 0;
        for (int i = 0; i < 20; i++) {
            if (r.tryAcquire(t)) {
                ok++;
            }
        }
        assertEquals(5, ok, "the burst");
        assertFalse(r.tryAcquire(t + 50_000_000L), "half a token after 50 ms");
        assertTrue(r.tryAcquire(t + 110_000_000L), "one token after 100 ms");
    }

    @Test
    void zeroMeansUnlimited() {
        RateLimiter r = new RateLimiter(0, 1);
        for (int i = 0; i < 1000; i++) {
            assertTrue(r.tryAcquire(0));
        }
    }
}
