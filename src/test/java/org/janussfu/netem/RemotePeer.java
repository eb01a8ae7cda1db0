package org.janussfu.netem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The parent's handle on a {@link RemotePeerMain} child JVM running inside a {@link NetLab} namespace: starts it
 * with {@code ip netns exec} on this JVM's own classpath, sends one command at a time and waits (bounded) for its
 * reply line. The child's stderr goes to a file under {@code target/}. Used from the JUnit thread only.
 */
public final class RemotePeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final PrintStream in;
    private final BufferedReader out;
    final File log;

    public RemotePeer(NetLab lab, String name) throws Exception {
        List<String> cmd = new ArrayList<>(lab.execPrefix());
        cmd.add(System.getProperty("java.home") + "/bin/java");
        cmd.addAll(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-Dice4j.harvest.mapping.aws.enabled=false",
                "-cp", System.getProperty("java.class.path"), RemotePeerMain.class.getName(), lab.nsAddress));
        log = new File("target/netem-" + name + "-" + ProcessHandle.current().pid() + ".log");
        log.getParentFile().mkdirs();
        process = new ProcessBuilder(cmd).redirectError(log).start();
        in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String ready = line(60);
        if (!"ok ready".equals(ready)) {
            throw new AssertionError("child peer did not start: " + ready + " (see " + log + ")");
        }
    }

    /** Sends one command and returns the payload of its {@code ok} reply (empty if none). */
    public String call(String command, int timeoutSeconds) throws Exception {
        in.println(command);
        String r = line(timeoutSeconds);
        if (r == null || !r.startsWith("ok")) {
            throw new AssertionError("child peer: " + command.split(" ")[0] + " -> " + r + " (see " + log + ")");
        }
        return r.length() > 3 ? r.substring(3) : "";
    }

    public String call(String command) throws Exception {
        return call(command, 40);
    }

    public String offer(String id, String template) throws Exception {
        return RemotePeerMain.unb64(call("offer " + id + " " + RemotePeerMain.b64(template)));
    }

    public void accept(String id, String answer) throws Exception {
        call("accept " + id + " " + RemotePeerMain.b64(answer));
    }

    public String answer(String id, String offer) throws Exception {
        return RemotePeerMain.unb64(call("answer " + id + " " + RemotePeerMain.b64(offer)));
    }

    public JsonNode stats(String id) throws Exception {
        return JSON.readTree(RemotePeerMain.unb64(call("stats " + id)));
    }

    private String line(int timeoutSeconds) throws Exception {
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (Exception e) {
                return "err " + e;
            }
        });
        return f.get(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** The peer vanishes: SIGKILL, no goodbye of any kind on any socket. */
    public void kill() throws Exception {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            in.println("quit");
            in.close();
        } catch (RuntimeException ignored) {
            // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
