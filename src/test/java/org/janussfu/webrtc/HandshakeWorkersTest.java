package org.janussfu.webrtc;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DTLS pools stay fixed under a storm of blocking handshakes, and records of live associations never wait. */
class HandshakeWorkersTest {

    @Test
    void blockedHandshakesUseAFixedNumberOfThreadsAndNeverDelayRecords() throws Exception {
        int threads = 3;
        int handshakes = 40;
        try (HandshakeWorkers w = new HandshakeWorkers(threads)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(threads);
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < handshakes; i++) {
                w.handshakes().execute(() -> {
                    ran.incrementAndGet();
                    started.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS); // a peer that stalls its handshake
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(started.await(10, TimeUnit.SECONDS), "the first handshakes never started");
            // Every handshake thread is held; the rest wait, and an established association's records still run.
            CountDownLatch record = new CountDownLatch(1);
            w.records().execute(record::countDown);
            assertTrue(record.await(10, TimeUnit.SECONDS), "a record drain waited behind stalled handshakes");
            assertEquals(threads, ran.get(), "more handshakes ran at once than the configured threads");
            assertEquals(handshakes - threads, w.handshakesQueued());
            assertTrue(w.threads() <= threads + HandshakeWorkers.RECORD_THREADS, "threads: " + w.threads());

            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ran.get() < handshakes && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(handshakes, ran.get(), "queued handshakes did not run once threads were free");
            assertTrue(w.threads() <= threads + HandshakeWorkers.RECORD_THREADS, "threads: " + w.threads());
        }
    }

    @Test
    void aStormBeyondTheQueueIsRefusedNotQueuedWithoutBound() {
        try (HandshakeWorkers w = new HandshakeWorkers(1)) {
            CountDownLatch release = new CountDownLatch(1);
            int refused = 0;
            for (int i = 0; i < HandshakeWorkers.QUEUE_LIMIT + 10; i++) {
                try {
                    w.handshakes().execute(() -> {
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    refused++;
                }
            }
            release.countDown();
            // One runs, QUEUE_LIMIT wait; the first submission may not have left the queue yet, so 9 or 10 refused.
            assertTrue(refused >= 9 && refused <= 10, "refused " + refused);
        }
    }
}
