package org.janussfu.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the transports (bad frames, throttled requests, dropped events, connections), shared by all
 * instances of the WebSocket and HTTP verticles and written lock-free from their event loops.
 */
public final class TransportCounters {
    public final LongAdder connectionsOpened = new LongAdder();
    public final LongAdder connectionsClosed = new LongAdder();
    public final LongAdder badFrames = new LongAdder();
    public final LongAdder throttled = new LongAdder();
    public final LongAdder closedForFlooding = new LongAdder();
    public final LongAdder eventsDroppedClosed = new LongAdder();
    public final LongAdder eventsDroppedQueueFull = new LongAdder();
    public final LongAdder longPolls = new LongAdder();
}
