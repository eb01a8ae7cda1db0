package org.janussfu.transport;


import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import org.janussfu.core.Utf8;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbound byte budget of one WebSocket: counts the UTF-8 bytes of every reply and event from the moment it
 * is handed to Vert.x until its write completes (Vert.x's cross-thread queue and Netty's outbound buffer both
 * count, since a write future completes only once Netty has written the frame to the socket). A message that
 * would take the socket over {@code max-queued-bytes}, or all sockets together over {@code max-queued-bytes-total},
 * is not queued: the socket is closed with 1008. Above the
 * high-water mark (a quarter of the budget) the socket is not read, so that its own requests stop, and it must
 * drain below half of that mark within {@code drain-timeout} or be closed with 1008. {@link #write} may be
 * called from any thread (an atomic counter); the pause, resume and drain timer run on the socket's loop.
 */
final class WsOutbound {
    /** Which budget a socket broke. */
    enum Breach { SOCKET, TOTAL, DRAIN }

    /** What the owner does when the budget is broken: close with 1008 (called on the socket's loop). */
    interface Violation {
        void overBudget(Breach breach);
    }

    private final Vertx vertx;
    private final Context context;
    private final ServerWebSocket ws;
    private final WebSocketConfig config;
    private final TransportCounters counters;
    private final Violation violation;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean overHighWater = new AtomicBoolean();
    private long drainTimer = -1;
    private boolean paused;
    private volatile boolean stopped;

    WsOutbound(Vertx vertx, Context context, ServerWebSocket ws, WebSocketConfig config, TransportCounters counters,
               Violation violation) {
        this.vertx = vertx;
        this.context = context;
        this.ws = ws;
        this.config = config;
        this.counters = counters;
        this.violation = violation;
    }

    /** Queues one text message, or refuses it (returns false) when it would break the budget. Any thread. */
    boolean write(String text) {
        if (stopped) {
            return false;
        }
        long n = Utf8.encodedLength(text);
        long q = queued.addAndGet(n);
        if (q > config.maxQueuedBytes()) {
            queued.addAndGet(-n);
            context.runOnContext(v -> violation.overBudget(Breach.SOCKET));
            return false;
        }
        long total = counters.wsQueuedBytes.addAndGet(n);
        if (total > config.maxQueuedBytesTotal()) {
            // The server's budget for all sockets together is spent: the socket that would go over it is closed.
            queued.addAndGet(-n);
            counters.wsQueuedBytes.addAndGet(-n);
            context.runOnContext(v -> violation.overBudget(Breach.TOTAL));
            return false;
        }
        counters.wsQueuedBytesPeak.accumulateAndGet(q, Math::max);
        counters.wsQueuedBytesTotalPeak.accumulateAndGet(total, Math::max);
        if (q > config.highWaterBytes() && overHighWater.compareAndSet(false, true)) {
            context.runOnContext(v -> startDraining());
        }
        ws.writeTextMessage(text).onComplete(ar -> written(n));
        return true;
    }

    /** Whether this budget paused reading the socket (its peer is behind); called on the socket's loop. */
    boolean readingPaused() {
        return paused;
    }

    /** Bytes queued to this socket now. */
    long queued() {
        return queued.get();
    }

    /** Stops counting (the socket closed); what was queued is given back as Netty fails or flushes it. */
    void stop() {
        stopped = true;
        cancelTimer();
    }

    private void written(long n) {
        long left = queued.addAndGet(-n);
        counters.wsQueuedBytes.addAndGet(-n);
        if (left < config.highWaterBytes() / 2 && overHighWater.get()) {
            overHighWater.set(false);
            cancelTimer();
            if (paused && !stopped) {
                paused = false;
                ws.resume();
            }
        }
    }

    private void startDraining() {
        if (stopped || !overHighWater.get()) {
            return;
        }
        if (!paused) {
            paused = true;
            ws.pause();
        }
        if (drainTimer < 0) {
            drainTimer = vertx.setTimer(TimeUnit.SECONDS.toMillis(config.drainTimeoutSeconds()), t -> {
                drainTimer = -1;
                if (overHighWater.get() && !stopped) {
                    violation.overBudget(Breach.DRAIN);
                }
            });
        }
    }

    private void cancelTimer() {
        if (drainTimer >= 0) {
            vertx.cancelTimer(drainTimer);
            drainTimer = -1;
        }
    }
}
