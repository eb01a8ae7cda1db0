package org.janussfu;

/**
 * The process-level answer to errors the server cannot recover from: an {@link OutOfMemoryError} (or any other
 * {@link VirtualMachineError}) thrown anywhere — an event loop, a worker, ice4j's threads — ends the process at once
 * with exit code 3, so that a supervisor restarts it instead of a zombie that accepts connections and serves none
 * (docs/security.md "Overload and failure"). {@code -XX:+ExitOnOutOfMemoryError} in the launch command does the same
 * inside the JVM, also for errors that are caught and swallowed; this class covers a launch without the flag for the
 * errors that reach an uncaught-exception handler (the default handler, and Vert.x's context exception handler).
 * Also bounds how long a shutdown may take. Static; callable from any thread.
 */
final class FatalErrors {
    static final int EXIT_FATAL = 3;

    private FatalErrors() {
    }

    /** Installs the default uncaught-exception handler; once, at start. */
    static void install() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (!isFatal(e)) {
                if (previous != null) {
                    previous.uncaughtException(t, e);
                } else {
                    System.err.println("uncaught exception in thread " + t.getName() + ": " + e);
                }
                return;
            }
            halt(e);
        });
    }

    /** For Vert.x's exception handler: fatal errors halt, anything else is left to Vert.x' own logging. */
    static void onUncaught(Throwable e) {
        if (isFatal(e)) {
            halt(e);
        }
    }

    static boolean isFatal(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof VirtualMachineError) {
                return true;
            }
        }
        return false;
    }

    private static void halt(Throwable e) {
        // No logging framework here: it may need memory we do not have. A preallocated message on stderr only.
        System.err.println("janus-sfu: fatal " + e.getClass().getName() + ", exiting");
        Runtime.getRuntime().halt(EXIT_FATAL);
    }

    /** Starts a daemon that halts the process after {@code seconds} unless it exited before (a stuck shutdown). */
    static void haltAfter(int seconds) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("janus-sfu: shutdown did not finish in " + seconds + " s, halting");
            Runtime.getRuntime().halt(1);
        }, "shutdown-deadline");
        t.setDaemon(true);
        t.start();
    }
}
