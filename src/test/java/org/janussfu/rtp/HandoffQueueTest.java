package org.janussfu.rtp;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-off queue into a context: every item is delivered in order with no lost wake-up (one item at a time,
 * each waited for, from a foreign thread — the pattern that exposed a missing StoreLoad fence), a full queue refuses
 * and counts instead of blocking, a blocked consumer never blocks producers, and the slots allocated at the first
 * offer are shared by producers racing to make them.
 */
class HandoffQueueTest {
    Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        vertx.close();
    }

    @Test
    void singleItemsAreNeverStranded() throws Exception {
        Context ctx = vertx.getOrCreateContext();
        AtomicInteger seen = new AtomicInteger();
        HandoffQueue<Integer> q = new HandoffQueue<>(64, ctx, i -> seen.incrementAndGet());
        for (int i = 0; i < 20_000; i++) {
            q.offer(i);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (seen.get() <= i) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("item " + i + " stranded in the queue");
                }
                Thread.onSpinWait();
            }
        }
        assertEquals(20_000, seen.get());
    }

    @Test
    void fullQueueRefusesWithoutBlocking() throws Exception {
        Context ctx = vertx.getOrCreateContext();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        AtomicInteger seen = new AtomicInteger();
        HandoffQueue<Integer> q = new HandoffQueue<>(8, ctx, i -> seen.incrementAndGet());
        ctx.runOnContext(v -> {
            blocked.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);   // a stalled consumer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        int accepted = 0;
        for (int i = 0; i < 100; i++) {
            if (q.offer(i)) {
                accepted++;
            }
        }
        assertEquals(8, accepted);
        assertEquals(92, q.dropped());
        assertFalse(seen.get() > 0);
        release.countDown();
        long end = System.currentTimeMillis() + 5000;
        while (seen.get() < 8 && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertEquals(8, seen.get());
    }

    @Test
    void ringIsAllocatedByTheFirstOfRacingProducersOnly() throws Exception {
        Context ctx = vertx.getOrCreateContext();
        AtomicInteger seen = new AtomicInteger();
        for (int round = 0; round < 50; round++) {
            HandoffQueue<Integer> q = new HandoffQueue<>(1024, ctx, i -> seen.incrementAndGet());
            assertFalse(q.allocated(), "no slots before the first offer");
            int producers = 4;
            CountDownLatch go = new CountDownLatch(1);
            Thread[] threads = new Thread[producers];
            for (int t = 0; t < producers; t++) {
                threads[t] = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 100; i++) {
                        q.offer(i);
                    }
                });
                threads[t].start();
            }
            go.countDown();
            for (Thread t : threads) {
                t.join(5000);
            }
            assertTrue(q.allocated());
            assertEquals(0, q.dropped(), "racing first offers share one ring: none is lost to a discarded one");
            assertEquals(400, q.handedOff());
        }
        long end = System.currentTimeMillis() + 5000;
        while (seen.get() < 50 * 400 && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertEquals(50 * 400, seen.get(), "every item of every round was delivered");
    }
}
