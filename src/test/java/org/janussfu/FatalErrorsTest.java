package org.janussfu;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An OutOfMemoryError anywhere ends the process with exit code 3 (no zombie that accepts connections and serves
 * none): checked in child JVMs, one where the error is thrown on a Vert.x event loop and one on a plain thread,
 * both launched without {@code -XX:+ExitOnOutOfMemoryError}.
 */
class FatalErrorsTest {

    /** The child process: installs the handlers as Main does, throws, then would idle for a minute. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            FatalErrors.install();
            if (args[0].equals("vertx")) {
                Vertx vertx = Vertx.vertx();
                vertx.exceptionHandler(FatalErrors::onUncaught);
                vertx.runOnContext(v -> {
                    throw new OutOfMemoryError("Java heap space (test)");
                });
            } else {
                new Thread(() -> {
                    throw new OutOfMemoryError("Java heap space (test)");
                }, "worker").start();
            }
            Thread.sleep(60_000);
            System.exit(0);
        }
    }

    private static int run(String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(), mode))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean ended = p.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, mode + ": the process must end by itself");
        return p.exitValue();
    }

    @Test
    void outOfMemoryOnAnEventLoopEndsTheProcess() throws Exception {
        assertEquals(FatalErrors.EXIT_FATAL, run("vertx"));
    }

    @Test
    void outOfMemoryOnAnyThreadEndsTheProcess() throws Exception {
        assertEquals(FatalErrors.EXIT_FATAL, run("thread"));
    }

    @Test
    void onlyVirtualMachineErrorsAreFatal() {
        assertTrue(FatalErrors.isFatal(new OutOfMemoryError()));
        assertTrue(FatalErrors.isFatal(new RuntimeException(new StackOverflowError())));
        assertFalse(FatalErrors.isFatal(new IllegalStateException("bug")));
    }
}
