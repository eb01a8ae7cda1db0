package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code loadtest/run-abuse}: runs the attack families of issue 11 one after the other, each against
 * a fresh janus-sfu process ({@link AttackRun}), and writes {@code summary.json} and {@code summary.md} into the
 * output directory, printing the Markdown summary at the end. Exit status 0 when every criterion of every attack
 * passed, 3 when some failed, 2 when nothing could run.
 *
 * <pre>--jar target/janus-sfu.jar --out DIR [--scale full|small] [--only a,b] [--server-nofile N]
 * [--ws-port 18488] [--http-port 18489]</pre>
 * Runs on the main thread.
 */
public final class AbuseMain {
    private AbuseMain() {
    }

    static List<Attack> all() {
        return List.of(new BlockAttack(), new AttachAttack(), new SlowReaderAttack(), new HttpQueueAttack(),
                new BigJoinAttack(), new IdleConnAttack(), new FloodAttack(), new StrictInputCheck());
    }

    public static void main(String[] args) throws Exception {
        // The attacker's HTTP client must not keep idle connections to the server after an attack (they would count
        // as the server's fds "after"): close them after 1 s idle. Read when java.net.http first loads.
        System.setProperty("jdk.httpclient.keepalive.timeout", "1");
        Path jar = Path.of("target/janus-sfu.jar");
        Path out = null;
        boolean full = true;
        List<String> only = null;
        int nofile = 0;
        int wsPort = 18488;
        int httpPort = 18489;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--scale" -> full = !"small".equals(args[++i]);
                case "--only" -> only = Arrays.asList(args[++i].split(","));
                case "--server-nofile" -> nofile = Integer.parseInt(args[++i]);
                case "--ws-port" -> wsPort = Integer.parseInt(args[++i]);
                case "--http-port" -> httpPort = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (out == null) {
            System.err.println("--out DIR is required");
            System.exit(2);
        }
        Files.createDirectories(out);
        List<Attack> attacks = new ArrayList<>();
        for (Attack a : all()) {
            if (only == null || only.contains(a.name())) {
                attacks.add(a);
            }
        }
        if (attacks.isEmpty()) {
            System.err.println("no attack named " + only + "; known: " + all().stream().map(Attack::name).toList());
            System.exit(2);
        }
        ObjectNode summary = JanusCalls.JSON.createObjectNode();
        summary.put("scale", full ? "full" : "small");
        summary.put("started", Instant.now().toString());
        summary.put("host", Runtime.getRuntime().availableProcessors() + " CPU(s) for the attacker, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + ", Java " + System.getProperty("java.version"));
        summary.put("server_nofile", nofile > 0 ? Integer.toString(nofile) : "inherited");
        summary.put("attacker_nofile", IdleConnAttack.ownFdLimit());
        ArrayNode results = summary.putArray("attacks");
        AttackRun runner = new AttackRun(jar.toAbsolutePath(), out.toAbsolutePath(), full, nofile, wsPort, httpPort);
        boolean allPass = true;
        long t0 = System.nanoTime();
        for (Attack a : attacks) {
            long s = System.nanoTime();
            ObjectNode r = runner.run(a);
            r.put("total_seconds", (System.nanoTime() - s) / 1e9);
            results.add(r);
            allPass &= r.path("pass").asBoolean();
            System.out.println("[" + a.name() + "] " + (r.has("error") ? "ERROR " + r.path("error").asText()
                    : r.path("pass").asBoolean() ? "PASS" : "FAIL") + " " + r.path("criteria").toString());
            Files.writeString(out.resolve("summary.json"), JanusCalls.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        }
        summary.put("total_seconds", (System.nanoTime() - t0) / 1e9);
        Files.writeString(out.resolve("summary.json"), JanusCalls.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        String md = Report.markdown(summary);
        Files.writeString(out.resolve("summary.md"), md);
        System.out.println();
        System.out.println(md);
        System.out.println("== results: " + out.resolve("summary.md") + "  " + out.resolve("summary.json"));
        System.exit(allPass ? 0 : 3);
    }
}
