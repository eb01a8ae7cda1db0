package org.janussfu.webrtc.sctp;

/**
 * One restartable timer of the association (T1-init, T2-shutdown, T3-rtx, delayed SACK, heartbeat, RE-CONFIG) on
 * top of {@link SctpClock}. A generation number makes a task that was cancelled too late (already queued on the
 * event loop) a no-op. Single-threaded: used and fired on the owning context.
 */
final class TimerSlot {

    private final SctpClock clock;
    private SctpClock.Timer handle;
    private long generation;

    TimerSlot(SctpClock clock) {
        this.clock = clock;
    }

    void start(long delayMillis, Runnable task) {
        stop();
        long gen = generation;
        handle = clock.schedule(Math.max(1, delayMillis), () -> {
            if (gen == generation) {
                handle = null;
                generation++;
                task.run();
            }
        });
    }

    void stop() {
        generation++;
        if (handle != null) {
            SctpClock.Timer h = handle;
            handle = null;
            h.cancel();
        }
    }

    boolean running() {
        return handle != null;
    }
}
