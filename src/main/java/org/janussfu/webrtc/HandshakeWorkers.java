package org.janussfu.webrtc;

import org.janussfu.webrtc.dtls.DtlsTransport;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two fixed thread pools behind every {@link DtlsTransport} of the process, so that the thread count does not
 * grow with PeerConnections (issue 13): {@link #handshakes()} runs Bouncy Castle's blocking handshakes, at most
 * {@code handshakeThreads} at once — more wait in a bounded queue, their handshake deadline running, and beyond
 * {@link #QUEUE_LIMIT} are refused ("DTLS worker rejected the handshake"); {@link #records()} (two threads) feeds
 * the records of established associations (data channels), so a burst of handshakes, or peers stalling in
 * theirs, never delays an established connection's data. Both pools end a thread idle for {@link #IDLE_SECONDS} s,
 * so a quiet server gives back what a storm took. Owned by the {@link MediaEngine} (built on the main thread, shut
 * down with it); thread-safe.
 */
final class HandshakeWorkers implements AutoCloseable {
    /** Handshakes that may wait for a thread; a storm beyond it is refused rather than queued without bound. */
    static final int QUEUE_LIMIT = 4096;
    static final int RECORD_THREADS = 2;
    /** How long a pool thread may idle before it ends (and a later handshake starts a new one, ~0.1 ms). */
    static final int IDLE_SECONDS = 3;

    private final ThreadPoolExecutor handshakes;
    private final ThreadPoolExecutor records;

    HandshakeWorkers(int handshakeThreads) {
        if (handshakeThreads < 1) {
            throw new IllegalArgumentException("handshakeThreads must be >= 1");
        }
        this.handshakes = pool(handshakeThreads, new LinkedBlockingQueue<>(QUEUE_LIMIT), "dtls-");
        this.records = pool(RECORD_THREADS, new LinkedBlockingQueue<>(), "dtls-records-");
    }

    private static ThreadPoolExecutor pool(int threads, LinkedBlockingQueue<Runnable> queue, String prefix) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor e = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, queue, r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** Runs handshakes (each blocks its thread until it ends or times out). */
    ExecutorService handshakes() {
        return handshakes;
    }

    /** Runs the record drains of established associations. */
    ExecutorService records() {
        return records;
    }

    /** Handshakes waiting for a thread now. */
    int handshakesQueued() {
        return handshakes.getQueue().size();
    }

    /** Handshakes running now. */
    int handshakesRunning() {
        return handshakes.getActiveCount();
    }

    /** Threads of both pools alive now (at most handshake threads + {@link #RECORD_THREADS}). */
    int threads() {
        return handshakes.getPoolSize() + records.getPoolSize();
    }

    @Override
    public void close() {
        handshakes.shutdownNow();
        records.shutdownNow();
    }
}
