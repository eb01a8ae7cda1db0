package org.janussfu.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The overload verdict from readings: thresholds, hysteresis, and "100 = never". */
class OverloadGuardTest {
    private static final long HEAP = Runtime.getRuntime().maxMemory();

    private static CoreLimits limits(int pcs, int heapPercent, int fdPercent) {
        CoreLimits d = CoreLimits.defaults();
        return new CoreLimits(d.maxSessions(), d.maxSessionsPerConnection(), d.maxHandles(), d.maxHandlesPerSession(),
                d.maxTransactionBytes(), d.maxOpaqueIdBytes(), d.maxPluginNameBytes(), d.maxCandidateBytes(),
                d.maxCandidatesPerHandle(), pcs, heapPercent, fdPercent);
    }

    @Test
    void eachBudgetTripsAtItsThresholdAndRecoversTenPointsBelow() {
        OverloadGuard g = new OverloadGuard(limits(100, 85, 90), () -> 0);
        assertNull(g.evaluate(HEAP * 84 / 100, 10, 1000, 0, false));
        assertEquals("memory", g.evaluate(HEAP * 86 / 100, 10, 1000, 0, false));
        assertEquals("memory", g.evaluate(HEAP * 80 / 100, 10, 1000, 0, true), "hysteresis: still over 75 %");
        assertNull(g.evaluate(HEAP * 74 / 100, 10, 1000, 0, true));
        assertEquals("file descriptors", g.evaluate(0, 900, 1000, 0, false));
        assertNull(g.evaluate(0, 899, 1000, 0, false));
        assertEquals("PeerConnections", g.evaluate(0, 10, 1000, 100, false));
        assertEquals("PeerConnections", g.evaluate(0, 10, 1000, 95, true));
        assertNull(g.evaluate(0, 10, 1000, 89, true));
    }

    @Test
    void hundredPercentMeansNever() {
        OverloadGuard g = new OverloadGuard(limits(100, 100, 100), () -> 0);
        assertNull(g.evaluate(HEAP, 1000, 1000, 0, false));
    }

    @Test
    void heapAfterGcIsReadFromGcNotifications() throws InterruptedException {
        OverloadGuard g = new OverloadGuard(limits(100, 85, 90), () -> 0);
        g.start();
        try {
            System.gc(); // only to produce a GC notification; the reading must follow it
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (g.heapAfterGc() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(g.heapAfterGc() > 0, "a GC notification updates the reading");
            assertTrue(g.heapAfterGc() < HEAP);
        } finally {
            g.stop();
        }
        assertTrue(OverloadGuard.openFds() > 0);
    }
}
