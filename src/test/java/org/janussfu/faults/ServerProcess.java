package org.janussfu.faults;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * janus-sfu as a separate process ({@code org.janussfu.Main} on this JVM's classpath — the same code as
 * {@code java -jar target/janus-sfu.jar}), on loopback ports chosen once, so that it can be killed (SIGKILL or
 * SIGTERM) and started again on exactly the same WebSocket, HTTP, ICE (UDP) and admin ports. Output goes to
 * {@code target/faults-server-<pid>.log}, appended across restarts. Used from the JUnit thread.
 */
final class ServerProcess implements AutoCloseable {
    final int wsPort;
    final int httpPort;
    final int icePort;
    final int adminHttpPort;
    final int adminWsPort;
    final File log;
    private final Map<String, String> extraEnv;
    private Process process;

    ServerProcess(Map<String, String> extraEnv) throws IOException {
        this.extraEnv = extraEnv;
        wsPort = freeTcp();
        httpPort = freeTcp();
        adminHttpPort = freeTcp();
        adminWsPort = freeTcp();
        try (DatagramSocket d = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            icePort = d.getLocalPort();
        }
        log = new File("target/faults-server-" + ProcessHandle.current().pid() + "-" + wsPort + ".log");
        log.getParentFile().mkdirs();
    }

    /** Starts the server and waits (bounded) until its WebSocket port accepts; returns the milliseconds it took. */
    long start() throws Exception {
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(List.of(System.getProperty("java.home") + "/bin/java", "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), "org.janussfu.Main"));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("JANUS_SFU_"));
        env.put("JANUS_SFU_TRANSPORT_WS_HOST", "127.0.0.1");
        env.put("JANUS_SFU_TRANSPORT_WS_PORT", Integer.toString(wsPort));
        env.put("JANUS_SFU_TRANSPORT_HTTP_HOST", "127.0.0.1");
        env.put("JANUS_SFU_TRANSPORT_HTTP_PORT", Integer.toString(httpPort));
        env.put("JANUS_SFU_WEBRTC_ICE_BIND_ADDRESSES", "[\"127.0.0.1\"]");
        env.put("JANUS_SFU_WEBRTC_ICE_PORT", Integer.toString(icePort));
        env.put("JANUS_SFU_ADMIN_HTTP_PORT", Integer.toString(adminHttpPort));
        env.put("JANUS_SFU_ADMIN_WS_PORT", Integer.toString(adminWsPort));
        env.putAll(extraEnv);
        process = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + " (see " + log + ")");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", wsPort), 500);
                return (System.nanoTime() - t0) / 1_000_000;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("server not listening within 60 s (see " + log + ")");
    }

    /**
     * The last {@code max} lines of the server log (all runs so far) that match {@code pattern}, for failure
     * messages: CI shows the assertion, not the log file.
     */
    String logLines(String pattern, int max) {
        try {
            Pattern p = Pattern.compile(pattern);
            List<String> all = Files.readAllLines(log.toPath()).stream().filter(l -> p.matcher(l).find())
                    .collect(Collectors.toList());
            return String.join("\n", all.subList(Math.max(0, all.size() - max), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(server log unreadable: " + e + ")";
        }
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no close frame, nothing flushed; returns the exit status (137). */
    int kill() throws Exception {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("server survived SIGKILL");
        }
        return process.exitValue();
    }

    /** SIGTERM: the graceful stop of Main's shutdown hook; returns the exit status. */
    int stop() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("server did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    private static int freeTcp() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }
}
