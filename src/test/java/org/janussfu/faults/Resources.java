package org.janussfu.faults;

import org.janussfu.testing.TestServer;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a test server holds at one moment, for leak checks: Janus sessions and handles, open PeerConnections (the
 * media engine's count, in-process client peers included), this JVM's file descriptors and its threads — less the
 * pooled ones that come and go by themselves (DTLS handshake workers, idle 60 s; the common fork-join pool; the
 * tests' own media timers). Read on the JUnit thread.
 */
record Resources(int sessions, int handles, long pcs, int fds, long threads) {
    static Resources of(TestServer s) {
        String[] fd = new File("/proc/self/fd").list();
        long threads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> !n.startsWith("dtls-") && !n.startsWith("ForkJoinPool") && !n.startsWith("media-probe"))
                .count();
        return new Resources(s.core().sessionCount(), s.core().handleCount(), s.server.media().openConnections(),
                fd == null ? -1 : fd.length, threads);
    }

    /** Polls (bounded) until everything is back to {@code base}; returns the last reading. */
    static Resources settle(TestServer s, Resources base, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        Resources r = of(s);
        while (!r.within(base) && System.currentTimeMillis() < end) {
            Thread.sleep(200);
            r = of(s);
        }
        return r;
    }

    /** Sessions, handles and connections exactly back; fds and threads back within a small slack (GC, JIT). */
    boolean within(Resources base) {
        return sessions == base.sessions && handles == base.handles && pcs == base.pcs && fds <= base.fds + 2
                && threads <= base.threads + 2;
    }

    void assertBackTo(Resources base, String when) {
        assertTrue(within(base), when + ": " + this + " vs baseline " + base);
    }

    /** Threads of the whole process from /proc (for child processes). */
    static int threadsOf(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
