package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One attack family of issue 11. {@link #run} attacks and returns with its connections still open (the "during"
 * measurement happens then), bounded in count and time by itself; {@link #leave} is the attacker going away.
 * Both write what they saw into {@code out}. Runs on the driver thread (plus threads of its own, all daemons).
 */
interface Attack {
    String name();

    /** One line: what this attack does at the given scale. */
    String describe(Ctx ctx);

    void run(Ctx ctx, ObjectNode out) throws Exception;

    void leave(Ctx ctx, ObjectNode out);

    /** Extra pass/fail criteria of this attack beyond the common five ({@code name -> passed}); none by default. */
    default void criteria(ObjectNode out, ObjectNode criteria) {
    }

    /**
     * What every attack gets: the scale, the server's ports, and a list of sockets to close when the attack's time is
     * up (a blocking write to a server that stopped reading would otherwise never return).
     */
    final class Ctx {
        final boolean full;
        final ServerProcess server;
        private final List<AutoCloseable> owned = new ArrayList<>();

        Ctx(boolean full, ServerProcess server) {
            this.full = full;
            this.server = server;
        }

        int ws() {
            return server.wsPort;
        }

        int http() {
            return server.httpPort;
        }

        /** {@code full} at full scale, a tenth (at least 1) at small scale. */
        int n(int full) {
            return this.full ? full : Math.max(1, full / 10);
        }

        long ms(long fullMs, long smallMs) {
            return full ? fullMs : smallMs;
        }

        synchronized <T extends AutoCloseable> T own(T c) {
            owned.add(c);
            return c;
        }

        /** Closes everything owned after {@code ms} unless {@link #closeAll} ran first; a daemon thread. */
        void watchdog(long ms) {
            Thread t = new Thread(() -> {
                Sleep.ms(ms);
                closeAll();
            }, "attack-watchdog");
            t.setDaemon(true);
            t.start();
        }

        synchronized void closeAll() {
            for (AutoCloseable c : owned) {
                try {
                    c.close();
                } catch (Exception e) {
                    // gone already
                }
            }
            owned.clear();
        }
    }

    /** {@code prefix} padded with 'x' to {@code bytes} ASCII bytes: distinct, huge client strings. */
    static String big(String prefix, int bytes) {
        return prefix + "x".repeat(Math.max(0, bytes - prefix.length()));
    }

    /** 250 KB, the size issue 11 uses: it fits the default 256 KiB message limit with the envelope. */
    int HUGE = 250_000;
}
