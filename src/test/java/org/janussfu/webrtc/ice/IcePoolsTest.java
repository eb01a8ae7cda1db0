package org.janussfu.webrtc.ice;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ice4j's agent pool (a cached pool: one thread per concurrent task) stays at {@link IcePools#MAX_THREADS} under a
 * burst of concurrent tasks, and every task still runs (on the overflow pool), none refused.
 */
class IcePoolsTest {

    @Test
    void aBurstOfAgentTasksRunsOnBoundedThreads() throws Exception {
        assertTrue(IcePools.tune() >= 3, "ice4j's pools were not found");
        Field f = Class.forName("org.ice4j.ice.Agent").getDeclaredField("agentTasksExecutor");
        f.setAccessible(true);
        ThreadPoolExecutor agent = (ThreadPoolExecutor) f.get(null);
        int tasks = 60;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(tasks);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        for (int i = 0; i < tasks; i++) {
            agent.execute(() -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                    done.countDown();
                }
            });
        }
        assertTrue(agent.getPoolSize() <= IcePools.MAX_THREADS, "agent threads: " + agent.getPoolSize());
        assertTrue(IcePools.poolThreads() <= 4 * IcePools.MAX_THREADS + 2, "ice4j threads: " + IcePools.poolThreads());
        release.countDown();
        assertTrue(done.await(20, TimeUnit.SECONDS), "not every task ran: " + done.getCount() + " left");
        assertTrue(peak.get() <= IcePools.MAX_THREADS + 2, "tasks at once: " + peak.get());
        assertEquals(0, running.get());
    }
}
