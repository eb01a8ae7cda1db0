package org.janussfu.admin;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Janus' log levels ({@code debug.h}: 0 none, 1 fatal, 2 error, 3 warning, 4 info, 5 verbose, 6 huge, 7 debug)
 * mapped onto java.util.logging levels of the {@code org.janussfu} logger, for the Admin API's
 * {@code set_log_level} and {@code get_status}. Holds that logger strongly (java.util.logging keeps only weak
 * references, and a collected logger would forget its level). Any thread.
 */
final class LogLevels {
    static final int MAX = 7;
    private static final Logger OURS = Logger.getLogger("org.janussfu");
    private static final Level[] JUL = {Level.OFF, Level.SEVERE, Level.SEVERE, Level.WARNING, Level.INFO,
            Level.FINE, Level.FINER, Level.FINEST};

    private LogLevels() {
    }

    /** Janus level → JUL level. */
    static Level toJul(int janus) {
        return JUL[janus];
    }

    /** JUL level → the Janus level that maps onto it (the highest Janus level at or above its severity). */
    static int toJanus(Level level) {
        if (level == null) {
            return 4; // inherits the root's; LogSetup sets INFO by default
        }
        int v = level.intValue();
        if (v == Level.OFF.intValue()) {
            return 0;
        }
        if (v >= Level.SEVERE.intValue()) {
            return 2;
        }
        if (v >= Level.WARNING.intValue()) {
            return 3;
        }
        if (v >= Level.INFO.intValue()) {
            return 4;
        }
        if (v >= Level.FINE.intValue()) {
            return 5;
        }
        if (v >= Level.FINER.intValue()) {
            return 6;
        }
        return 7;
    }

    static void set(int janus) {
        OURS.setLevel(toJul(janus));
    }

    static int current() {
        return toJanus(OURS.getLevel());
    }
}
