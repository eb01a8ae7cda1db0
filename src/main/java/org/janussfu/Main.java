package org.janussfu;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Entry point of {@code java -jar janus-sfu.jar [--config FILE]}: loads and validates the configuration
 * (exit 78 on a bad one), installs logging, starts the {@link Server} and stops it gracefully on SIGTERM or
 * SIGINT — always: a stop that cannot finish (a wedged event loop) is cut short by a halt. Runs on the main thread;
 * the server runs on Vert.x threads. Launch it with {@code -XX:+ExitOnOutOfMemoryError}; {@link FatalErrors}
 * ends the process the same way where the flag is missing.
 */
public final class Main {
    private static final int EXIT_CONFIG = 78;
    private static final int SHUTDOWN_DEADLINE_SECONDS = 10;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", DeferredResetLogManager.class.getName());
        }
        // ice4j (media plane) must never reach the AWS metadata address: set before any ice4j class loads.
        System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        ServerConfig config;
        try {
            config = ConfigLoader.load(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("janus-sfu: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        LogSetup.install(config.log());
        FatalErrors.install();
        Logger log = Logger.getLogger(Main.class.getName());
        Server server = new Server(config, vertx -> Plugins.production(vertx, config));
        try {
            server.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.severe("janus-sfu failed to start: " + e.getCause());
            server.stop();
            System.exit(1);
        }
        server.vertx().exceptionHandler(FatalErrors::onUncaught);
        int drain = config.cluster().drainTimeoutSeconds();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            FatalErrors.haltAfter(drain + SHUTDOWN_DEADLINE_SECONDS + 5);
            if (drain > 0) {
                // Rolling upgrade: refuse new sessions (/health 503), let the existing ones end, then stop.
                try {
                    server.drain(drain).toCompletionStage().toCompletableFuture().get(drain + 2L, TimeUnit.SECONDS);
                } catch (Exception e) {
                    log.warning("drain did not finish: " + e);
                }
            }
            try {
                server.stop().toCompletionStage().toCompletableFuture().get(SHUTDOWN_DEADLINE_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warning("graceful shutdown did not finish: " + e);
            }
            DeferredResetLogManager.resetIfInstalled();
        }, "shutdown"));
    }
}
