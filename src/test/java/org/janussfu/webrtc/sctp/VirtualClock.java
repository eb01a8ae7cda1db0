package org.janussfu.webrtc.sctp;

import java.util.PriorityQueue;

/** A virtual {@link SctpClock} for tests: time moves only when the test runs the next task. Single-threaded. */
final class VirtualClock implements SctpClock {

    private static final class Task implements Timer {
        final long at;
        final long seq;
        final Runnable run;
        boolean cancelled;

        Task(long at, long seq, Runnable run) {
            this.at = at;
            this.seq = seq;
            this.run = run;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now = 1_000_000;
    private long seq;

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        Task t = new Task(now + Math.max(0, delayMillis), seq++, task);
        tasks.add(t);
        return t;
    }

    /** Runs the next live task, moving time to it; false when none is due before {@code limit}. */
    boolean runNext(long limit) {
        while (!tasks.isEmpty() && tasks.peek().cancelled) {
            tasks.poll();
        }
        if (tasks.isEmpty() || tasks.peek().at > limit) {
            return false;
        }
        Task t = tasks.poll();
        now = Math.max(now, t.at);
        t.run.run();
        return true;
    }

    void advance(long millis) {
        long until = now + millis;
        while (runNext(until)) {
            // keep going
        }
        now = until;
    }
}
