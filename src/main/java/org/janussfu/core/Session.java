package org.janussfu.core;

import io.vertx.core.Context;

import java.util.HashMap;
import java.util.Map;

/**
 * One Janus session: an id, its handles and where its events go. Owned by the Vert.x context of the
 * transport connection that created it ({@link #context}); every mutation runs there, reached through
 * {@link #run}. {@link #sink} and {@link #lastActivityNanos} are volatile because the reaper and the
 * transports read them from other threads.
 */
final class Session {
    final long id;
    final Context context;
    private final Thread owner;
    /** Handles by id; touched only on {@link #context}. */
    final Map<Long, Handle> handles = new HashMap<>();
    volatile EventSink sink;
    volatile long lastActivityNanos;
    /** When the session lost its transport (reclaim window), or 0 while it has one. */
    volatile long orphanedAtNanos;
    volatile boolean destroyed;
    /** Wall-clock creation time (µs), and whether the event hook has been told of the session; core only. */
    final long createdMicros = System.currentTimeMillis() * 1000;
    volatile boolean announced;

    Session(long id, Context context, EventSink sink) {
        this.id = id;
        this.context = context;
        this.owner = Thread.currentThread();
        this.sink = sink;
        this.lastActivityNanos = System.nanoTime();
    }

    /** Runs {@code task} on the owning context: at once when already there, else queued to it. */
    void run(Runnable task) {
        if (Thread.currentThread() == owner) {
            task.run();
        } else {
            context.runOnContext(v -> task.run());
        }
    }

    boolean onOwner() {
        return Thread.currentThread() == owner;
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
    }
}
