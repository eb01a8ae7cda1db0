package org.janussfu;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Measures event-loop lag: one periodic timer per probe context (Vert.x spreads new contexts over its event loops)
 * fires every {@value #INTERVAL_MS} ms and records how late it ran — how long a task waits behind others on that
 * loop. {@link #maxLagNanos} is the worst of the probes' latest measurements. Each timer writes only its own slot of
 * an atomic array on its own loop; a metrics scrape reads them from any thread without locks.
 */
final class EventLoopProbe {
    static final long INTERVAL_MS = 500;

    private final Vertx vertx;
    private final AtomicLongArray lag;
    private final long[] timers;

    /** Where the probes run: null = new contexts spread over Vert.x's event loops; else this one context. */
    private final Context fixed;

    EventLoopProbe(Vertx vertx, int loops) {
        this(vertx, loops, null);
    }

    /** One probe on {@code context}'s loop (e.g. the media loop), or {@code loops} spread ones when null. */
    EventLoopProbe(Vertx vertx, int loops, Context context) {
        this.vertx = vertx;
        this.fixed = context;
        this.lag = new AtomicLongArray(loops);
        this.timers = new long[loops];
        java.util.Arrays.fill(timers, -1);
    }

    void start() {
        for (int i = 0; i < timers.length; i++) {
            int slot = i;
            Context ctx = fixed != null ? fixed : vertx.getOrCreateContext();
            ctx.runOnContext(v -> {
                long[] expected = {System.nanoTime() + INTERVAL_MS * 1_000_000L};
                timers[slot] = vertx.setPeriodic(INTERVAL_MS, id -> {
                    long now = System.nanoTime();
                    lag.set(slot, Math.max(0, now - expected[0]));
                    expected[0] = now + INTERVAL_MS * 1_000_000L;
                });
            });
        }
    }

    /** The worst latest lateness over the probes, in nanoseconds. */
    long maxLagNanos() {
        long w = 0;
        for (int i = 0; i < lag.length(); i++) {
            w = Math.max(w, lag.get(i));
        }
        return w;
    }

    void stop() {
        for (long t : timers) {
            if (t >= 0) {
                vertx.cancelTimer(t);
            }
        }
    }
}
