package org.janussfu.media;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayList;

/**
 * One periodic timer per media context that drives the media checks of every {@link MediaLeg} homed there (no-media
 * detection, RTCP reports, slowlink; issue 13's idle cost). With a timer of its own per connection, 500 idle
 * connections scheduled 1,000 tasks a second on the loop, and Netty's loop wakes for each of them — and, within a
 * millisecond of the next deadline, polls instead of sleeping — so idle rooms kept the loops busy (`loadtest/run
 * scenarios/idle-500.json`, docs/performance.md). Here the loop wakes every {@value #TICK_MS} ms once and each
 * leg runs its checks when its own period has passed. Owned by its context (kept in the context's local data, one per
 * context): {@link #add}, {@link #remove} and the tick run only on it (the media loop for server connections).
 */
final class MediaTicker {
    static final long TICK_MS = 250;
    private static final String KEY = MediaTicker.class.getName();

    private final Vertx vertx;
    private final ArrayList<MediaLeg> members = new ArrayList<>();
    private long timer = -1;

    private MediaTicker(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The ticker of {@code context}, created on first use; call on that context. */
    static MediaTicker of(Vertx vertx, Context context) {
        MediaTicker t = context.get(KEY);
        if (t == null) {
            t = new MediaTicker(vertx);
            context.put(KEY, t);
        }
        return t;
    }

    /** Starts ticking {@code m} (its context); the timer starts with the first member. */
    void add(MediaLeg m) {
        members.add(m);
        if (timer < 0) {
            timer = vertx.setPeriodic(TICK_MS, id -> tick());
        }
    }

    /** Stops ticking {@code m} (its context); the timer stops with the last member. */
    void remove(MediaLeg m) {
        members.remove(m);
        if (members.isEmpty() && timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void tick() {
        long now = System.nanoTime();
        // backwards, and re-checked: a member's checks may remove it (or, rarely, another) from the list
        for (int i = members.size() - 1; i >= 0; i--) {
            if (i < members.size()) {
                members.get(i).tick(now);
            }
        }
    }
}
