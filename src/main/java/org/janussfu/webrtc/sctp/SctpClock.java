package org.janussfu.webrtc.sctp;

/**
 * Time and timers for the SCTP engine, so that production runs its timers on the owning Vert.x context and tests
 * run them on a virtual clock. {@link #schedule} runs the task on the owning context after the delay.
 */
public interface SctpClock {

    /** A scheduled task that can be cancelled. */
    interface Timer {
        void cancel();
    }

    long nowMillis();

    Timer schedule(long delayMillis, Runnable task);
}
