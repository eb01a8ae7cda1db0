package org.janussfu.transport;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the transports (bad frames, throttled requests, dropped events, connections and why they were
 * refused or closed), the bytes queued to WebSockets, and the shared {@link ConnectionBudget}; one instance per
 * server, shared by all instances of the WebSocket and HTTP verticles and written lock-free from their loops.
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
    /** Janus API requests answered per transport, and their error replies by code. */
    public final RequestCounters wsRequests = new RequestCounters();
    public final RequestCounters httpRequests = new RequestCounters();

    /** TCP connections refused at accept: over {@code transport.max-connections} / the per-address ceiling. */
    public final LongAdder refusedTotalCeiling = new LongAdder();
    public final LongAdder refusedAddressCeiling = new LongAdder();
    /** Connections accepted that have not sent a byte yet (held by the acceptor, {@link SilentConnections}), those
     *  that spoke and went on to the server, and those closed silent: after the silent timeout, for a newcomer when
     *  all places were held, or at once because the other listener held every place. */
    public final AtomicLong silentHeld = new AtomicLong();
    public final LongAdder silentPromoted = new LongAdder();
    public final LongAdder closedSilentTimeout = new LongAdder();
    public final LongAdder closedSilentEvicted = new LongAdder();
    public final LongAdder closedSilentRefused = new LongAdder();
    /** Waiting (idle or slow) connections closed to make room for a newcomer at the total ceiling. */
    public final LongAdder evictedWaiting = new LongAdder();
    /** Connections closed because the WebSocket upgrade, request headers or a request body were too slow. */
    public final LongAdder closedUpgradeTimeout = new LongAdder();
    public final LongAdder closedHeaderTimeout = new LongAdder();
    public final LongAdder closedBodyTimeout = new LongAdder();
    /** WebSockets closed (1008) because a frame's bytes trickled in for longer than the frame timeout. */
    public final LongAdder closedFrameTimeout = new LongAdder();
    /** WebSockets closed with 1008 because they did not drain their queue: over the byte budget / too slowly. */
    public final LongAdder closedQueueOverBudget = new LongAdder();
    public final LongAdder closedDrainTimeout = new LongAdder();
    /** WebSockets closed with 1008 because all sockets together were at {@code max-queued-bytes-total}. */
    public final LongAdder closedQueueOverTotal = new LongAdder();
    /** WebSockets closed for a protocol error (1002), invalid UTF-8 (1007) or an oversized message (1009). */
    public final LongAdder closedProtocolError = new LongAdder();
    public final LongAdder closedInvalidUtf8 = new LongAdder();
    public final LongAdder closedMessageTooBig = new LongAdder();
    /** Frames that arrived after the server had closed the socket (not processed). */
    public final LongAdder framesAfterClose = new LongAdder();
    /** HTTP requests answered with an error by the transport itself (bad JSON, empty body, 413, 408, 500). */
    public final LongAdder httpBadRequests = new LongAdder();
    /** HTTP long-poll events dropped because the session's queue was over {@code max-queued-bytes}. */
    public final LongAdder eventsDroppedQueueBytes = new LongAdder();
    /** HTTP long-poll events dropped because all sessions together were at {@code max-queued-bytes-total}. */
    public final LongAdder eventsDroppedQueueTotal = new LongAdder();
    /** Bytes of undelivered events held by all HTTP sessions now. */
    public final AtomicLong httpQueuedBytes = new AtomicLong();

    /** Bytes queued to all WebSockets now (checked against the total budget), the most ever queued to one
     *  socket, and the most ever queued to all of them (tests, metrics). */
    public final AtomicLong wsQueuedBytes = new AtomicLong();
    public final AtomicLong wsQueuedBytesPeak = new AtomicLong();
    public final AtomicLong wsQueuedBytesTotalPeak = new AtomicLong();

    /** The live connections of both transports against their ceilings. */
    public final ConnectionBudget connections = new ConnectionBudget();

    /** Every counter by name (snake_case) into {@code o}, for the server's counters line and load tests. */
    public void toJson(com.fasterxml.jackson.databind.node.ObjectNode o) {
        for (java.lang.reflect.Field f : TransportCounters.class.getFields()) {
            try {
                Object v = f.get(this);
                String name = f.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
                if (v instanceof LongAdder a) {
                    o.put(name, a.sum());
                } else if (v instanceof AtomicLong a) {
                    o.put(name, a.get());
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        o.put("connections_open", connections.open());
    }
}
