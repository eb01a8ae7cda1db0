package org.janussfu.admin;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the Admin API (requests, refusals for a wrong or missing secret, errors, bad frames, packet captures), shared by its
 * HTTP and WebSocket listeners and written lock-free from their event loops; read by the metrics.
 */
public final class AdminCounters {
    public final LongAdder requests = new LongAdder();
    public final LongAdder unauthorized = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final LongAdder badFrames = new LongAdder();
    public final LongAdder connectionsRefused = new LongAdder();
    public final LongAdder scrapes = new LongAdder();
    /** Packet captures running now (a gauge), and packets they wrote and dropped (ring full, file size cap). */
    public final LongAdder capturesRunning = new LongAdder();
    public final LongAdder captureWritten = new LongAdder();
    public final LongAdder captureDropped = new LongAdder();
}
