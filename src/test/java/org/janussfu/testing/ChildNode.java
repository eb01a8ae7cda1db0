package org.janussfu.testing;

import java.io.BufferedReader;
import java.nio.file.Path;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A janus-sfu node in a JVM of its own ({@code org.janussfu.Main} on the test's class path), configured through
 * environment variables like {@link TestServer} (loopback listeners on free ports, ICE on 127.0.0.1), plus whatever the
 * test adds (cluster keys). Its log lines are collected by a reader thread; the JUnit thread waits on them.
 * {@link #kill} ends it with SIGKILL (a node dying), {@link #close} with SIGTERM.
 */
public final class ChildNode implements AutoCloseable {
    public final Process process;
    public final int wsPort;
    public final int httpPort;
    public final int adminHttpPort;
    public final int adminWsPort;
    public final List<String> log = new CopyOnWriteArrayList<>();
    private final String name;
    private final Thread pump;

    private ChildNode(String name, Process process, int ws, int http, int adminHttp, int adminWs) {
        this.name = name;
        this.process = process;
        this.wsPort = ws;
        this.httpPort = http;
        this.adminHttpPort = adminHttp;
        this.adminWsPort = adminWs;
        this.pump = new Thread(this::pump, "child-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    public static ChildNode start(String name, Map<String, String> env) throws IOException {
        int ws = TestServer.freePort();
        int http = TestServer.freePort();
        int adminHttp = TestServer.freePort();
        int adminWs = TestServer.freePort();
        Map<String, String> all = new HashMap<>();
        all.put("JANUS_SFU_TRANSPORT_WS_HOST", "127.0.0.1");
        all.put("JANUS_SFU_TRANSPORT_WS_PORT", Integer.toString(ws));
        all.put("JANUS_SFU_TRANSPORT_WS_INSTANCES", "1");
        all.put("JANUS_SFU_TRANSPORT_HTTP_HOST", "127.0.0.1");
        all.put("JANUS_SFU_TRANSPORT_HTTP_PORT", Integer.toString(http));
        all.put("JANUS_SFU_TRANSPORT_HTTP_INSTANCES", "1");
        all.put("JANUS_SFU_WEBRTC_ICE_BIND_ADDRESSES", "[\"127.0.0.1\"]");
        all.put("JANUS_SFU_WEBRTC_ICE_PORT", "0");
        all.put("JANUS_SFU_ADMIN_HTTP_PORT", Integer.toString(adminHttp));
        all.put("JANUS_SFU_ADMIN_WS_PORT", Integer.toString(adminWs));
        all.putAll(env);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true", "-Dice4j.harvest.mapping.aws.enabled=false",
                "-cp", System.getProperty("java.class.path"), "org.janussfu.Main"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("JANUS_SFU_"));
        pb.environment().putAll(all);
        return new ChildNode(name, pb.start(), ws, http, adminHttp, adminWs);
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                log.add(line);
                if (Boolean.getBoolean("janus.test.childlog")) {
                    System.out.println("[" + name + "] " + line);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Waits until a log line matches; fails (with the log's tail) after {@code seconds} or if the process ends. */
    public String awaitLog(Predicate<String> p, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (String l : log) {
                if (p.test(l)) {
                    return l;
                }
            }
            if (!process.isAlive()) {
                pump.join(5000); // the rest of its output
                throw new AssertionError(name + " exited " + process.exitValue() + ": " + tail());
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + ": no matching log line in " + seconds + " s: " + tail());
    }

    public String tail() {
        int n = log.size();
        return String.join("\n", log.subList(Math.max(0, n - 40), n));
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: the node dies without any goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
