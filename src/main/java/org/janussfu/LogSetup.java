package org.janussfu;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes java.util.logging (ours, Vert.x's and later ice4j's) to one console handler with {@link
 * LogFormatter}, at the configured level, keeps the chatty libraries at WARNING and bounds how often each library
 * logger may write ({@link LibraryLogFilter}). Called once by {@link
 * Main} before anything logs.
 */
final class LogSetup {
    private LogSetup() {
    }

    static void install(LogConfig config) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(Level.ALL);
        console.setFormatter(new LogFormatter(config.json()));
        console.setFilter(new LibraryLogFilter());
        root.addHandler(console);
        root.setLevel(Level.WARNING);
        Logger.getLogger("org.janussfu").setLevel(config.level());
        Logger.getLogger("io.netty").setLevel(Level.WARNING);
        Logger.getLogger("io.vertx").setLevel(Level.WARNING);
    }
}
