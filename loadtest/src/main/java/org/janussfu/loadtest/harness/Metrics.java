package org.janussfu.loadtest.harness;

import org.HdrHistogram.Recorder;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The generator's shared measurement sinks for one step: one-way latency per kind (µs, HdrHistogram Recorders,
 * which take concurrent writers), join latencies (µs), arrival counters, and the first errors seen. Written by every
 * participant's context, read by the {@link Runner} thread; {@link #measuring} gates what counts.
 */
final class Metrics {
    private static final long MAX_US = 120_000_000L;

    volatile boolean measuring;
    final Recorder[] latency = {new Recorder(MAX_US, 3), new Recorder(MAX_US, 3), new Recorder(MAX_US, 3)};
    /**
     * Clustered runs ({@link Nodes}): how many nodes, latency of same-node and cross-node streams (index 0 RTP, 1
     * data-channel messages; the step adds the two for all streams), arrivals per node.
     */
    volatile int nodes = 1;
    final Recorder[] sameNodeBy = {new Recorder(MAX_US, 3), new Recorder(MAX_US, 3)};
    final Recorder[] crossNodeBy = {new Recorder(MAX_US, 3), new Recorder(MAX_US, 3)};
    final LongAdder[] arrivalsByNode = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    final Recorder joinReply = new Recorder(MAX_US, 3);
    final Recorder publisherUp = new Recorder(MAX_US, 3);
    final Recorder subscriberUp = new Recorder(MAX_US, 3);
    final Recorder userReady = new Recorder(MAX_US, 3);
    /** Every stamped arrival, measured or not (progress lines). */
    final LongAdder arrivals = new LongAdder();
    final LongAdder subscriptionsUp = new LongAdder();
    final LongAdder publishersUp = new LongAdder();
    /** Subscriptions and publishers that failed before coming up (setup stops waiting for them). */
    final LongAdder setupFailures = new LongAdder();
    final LongAdder failures = new LongAdder();
    /**
     * Churn races, not errors: a subscription whose target left while it was being set up — the server answered
     * "Can't subscribe to a nonexistent publisher." for a user its join reply or join event had just listed, or the
     * target's {@code leave} arrived (and the subscription was abandoned) before the set-up finished.
     */
    final LongAdder churnRaces = new LongAdder();
    /** Negotiated "SRTP profile / DTLS cipher suite" → PeerConnections, as the client saw them come up. */
    final java.util.concurrent.ConcurrentHashMap<String, LongAdder> negotiated = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger errorCount = new AtomicInteger();
    final Queue<String> errors = new ConcurrentLinkedQueue<>();

    void error(String what) {
        failures.increment();
        if (errorCount.incrementAndGet() <= 20) {
            errors.add(what);
            System.err.println("  ! " + what);
        }
    }

    void negotiated(Object srtpProfile, String cipherSuite) {
        negotiated.computeIfAbsent(srtpProfile + " / " + cipherSuite, k -> new LongAdder()).increment();
    }

    static long micros(long nanos) {
        return Math.max(0, Math.min(MAX_US, nanos / 1000));
    }
}
