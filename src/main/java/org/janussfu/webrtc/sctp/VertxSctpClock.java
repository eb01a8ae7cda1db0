package org.janussfu.webrtc.sctp;

import io.vertx.core.Vertx;

/**
 * The production {@link SctpClock}: monotonic time from {@link System#nanoTime()} and timers from
 * {@link Vertx#setTimer}. Create it and call {@link #schedule} on the association's event-loop context — Vert.x then
 * runs each timer on that same context, which is what the engine's single-owner model requires. Stateless apart
 * from the Vert.x reference; cancelling an already fired timer is harmless.
 */
public final class VertxSctpClock implements SctpClock {

    private final Vertx vertx;

    public VertxSctpClock(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public long nowMillis() {
        return System.nanoTime() / 1_000_000L;
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        long id = vertx.setTimer(Math.max(1, delayMillis), t -> task.run());
        return () -> vertx.cancelTimer(id);
    }
}
