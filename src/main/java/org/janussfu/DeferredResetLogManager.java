package org.janussfu;

import java.util.logging.LogManager;

/**
 * A JUL {@link LogManager} that ignores the JDK's reset at JVM shutdown, so that the graceful-shutdown
 * records (sessions destroyed, "stopped") still reach the console; {@link #resetNow} does the real reset
 * after the server has stopped. Installed by {@link Main} through {@code java.util.logging.manager}.
 */
public final class DeferredResetLogManager extends LogManager {
    private volatile boolean allowReset;

    @Override
    public void reset() {
        if (allowReset) {
            super.reset();
        }
    }

    void resetNow() {
        allowReset = true;
        reset();
    }

    static void resetIfInstalled() {
        if (LogManager.getLogManager() instanceof DeferredResetLogManager m) {
            m.resetNow();
        }
    }
}
