package org.janussfu.webrtc.ice;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one periodic task behind the RFC 7675 §5.1 consent deadline of every connected {@link IceTransport} (issue 13,
 * idle cost): with a scheduled task per connection, 500 idle connections woke {@code ice-events} 500 times a second;
 * here it wakes every {@value #PERIOD_MS} ms and runs each registered check, which costs a lock and a clock read
 * when nothing expired. A transport {@link #add}s its check when a generation connects and cancels it when its timers
 * stop. Process-wide; {@link #add} and {@link Entry#cancel} from any thread, the checks run on the executor's one
 * thread ({@code ice-events}), so they never run concurrently with each other or with the transports' other events.
 */
final class ConsentSweep {
    /** How often the deadlines are read and due consent checks sent (RFC 7675: seconds matter, not milliseconds). */
    static final long PERIOD_MS = 1000;
    private static final Logger LOG = Logger.getLogger(ConsentSweep.class.getName());

    private final ScheduledExecutorService executor;
    private final ConcurrentHashMap<Entry, Runnable> checks = new ConcurrentHashMap<>();
    private boolean started; // guarded by this

    ConsentSweep(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** One registered check; {@link #cancel} it once (more calls do nothing). */
    final class Entry {
        void cancel() {
            checks.remove(this);
        }
    }

    /** Runs {@code check} every period from now on, until the returned entry is cancelled. */
    Entry add(Runnable check) {
        Entry e = new Entry();
        checks.put(e, check);
        synchronized (this) {
            if (!started) {
                started = true; // one task for the life of the process: 4 wake-ups a second however many connections
                executor.scheduleWithFixedDelay(this::sweep, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
            }
        }
        return e;
    }

    /** Checks registered now (for tests). */
    int size() {
        return checks.size();
    }

    private void sweep() {
        // ConcurrentHashMap's iterator tolerates a check cancelling itself (a lost consent stops its own timers)
        for (Runnable check : checks.values()) {
            try {
                check.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "consent check threw; the others go on", e);
            }
        }
    }
}
