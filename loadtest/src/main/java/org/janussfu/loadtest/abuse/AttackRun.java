package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs one {@link Attack} against a server of its own and measures it: a fresh janus-sfu process; warm-up probes;
 * <b>before</b> (threads, fds, RSS read from /proc, then heap after a forced GC); <b>during</b> (a sample a second
 * while the attack runs, then at its end — attacker still connected — the same reads and heap after GC);
 * <b>after</b> the attacker leaves (wait until fds and threads are back within 10 % or a settle time passes, read
 * them <i>before</i> any GC, then heap after GC). The {@link FreshClient} probes every 250 ms throughout. Then
 * SIGTERM, the log checked for OutOfMemoryError, and the criteria of issue 11 evaluated. Driver thread plus a
 * sampler thread.
 */
final class AttackRun {
    static final long HEAP_SLACK_KB = 64 * 1024;

    private final Path jar;
    private final Path outDir;
    private final boolean full;
    private final int nofile;
    private final int wsPort;
    private final int httpPort;

    AttackRun(Path jar, Path outDir, boolean full, int nofile, int wsPort, int httpPort) {
        this.jar = jar;
        this.outDir = outDir;
        this.full = full;
        this.nofile = nofile;
        this.wsPort = wsPort;
        this.httpPort = httpPort;
    }

    ObjectNode run(Attack attack) throws Exception {
        ObjectNode r = JanusCalls.JSON.createObjectNode();
        r.put("attack", attack.name());
        Path log = outDir.resolve("server-" + attack.name() + ".log");
        ServerProcess srv = ServerProcess.start(jar, wsPort, httpPort, nofile, log, outDir.resolve("server-" + attack.name() + "-gc.log"));
        Attack.Ctx ctx = new Attack.Ctx(full, srv);
        r.put("description", attack.describe(ctx));
        r.put("server_pid", srv.pid);
        say(attack, "server pid " + srv.pid + ": " + attack.describe(ctx));
        if (!srv.awaitReady(40)) {
            r.put("error", "server did not start (see " + log.getFileName() + ")");
            srv.stop();
            return r;
        }
        srv.heapAfterGcKb(); // first attach starts the JVM's Attach Listener thread: before "before", not after
        FreshClient probe = new FreshClient(wsPort);
        probe.phase = "warmup";
        probe.start();
        Sleep.ms(full ? 4000 : 1500);
        probe.quiesce();

        probe.phase = "before";
        ObjectNode before = snapshot(srv, true);
        r.set("before", before);
        Sleep.ms(full ? 2500 : 1000);
        say(attack, "before: " + brief(before));

        Sampler sampler = new Sampler(srv);
        sampler.start();
        probe.phase = "during";
        ObjectNode detail = r.putObject("attack_detail");
        long t0 = System.nanoTime();
        try {
            attack.run(ctx, detail);
        } catch (Exception e) {
            detail.put("error", Report.clip(e.toString(), 300));
        }
        r.put("attack_seconds", (System.nanoTime() - t0) / 1e9);
        ObjectNode during = snapshot(srv, true);
        r.set("during", during);
        say(attack, "during (end of attack, attacker connected): " + brief(during));

        probe.phase = "after";
        long l0 = System.nanoTime();
        attack.leave(ctx, detail);
        ctx.closeAll();
        long settle = full ? 20_000 : 8000;
        long end = System.currentTimeMillis() + settle;
        ServerProcess.Proc p = srv.proc();
        while (System.currentTimeMillis() < end && p.alive()
                && (p.fds() > within(before.path("fds").asInt()) || p.threads() > within(before.path("threads").asInt()))) {
            Sleep.ms(500);
            p = srv.proc();
        }
        r.put("settle_seconds", (System.nanoTime() - l0) / 1e9);
        ObjectNode after = snapshot(srv, true); // fds and threads are read before this snapshot forces a GC
        r.set("after", after);
        Sleep.ms(full ? 2500 : 1000);
        probe.close();
        sampler.stop();
        say(attack, "after: " + brief(after));
        r.set("samples", sampler.series);
        r.set("peak", sampler.peak());

        ObjectNode lat = r.putObject("fresh_client");
        for (String ph : List.of("before", "during", "after")) {
            lat.set(ph, probe.stats(ph));
        }
        boolean aliveAtEnd = srv.alive();
        Integer diedWith = srv.exitCodeIfDead();
        List<String> oom = srv.grep("OutOfMemoryError", 5);
        int exit = srv.stop();
        r.put("alive_at_end", aliveAtEnd);
        if (diedWith != null) {
            r.put("died_with_exit_code", diedWith);
            if (sampler.diedAfter >= 0) {
                r.put("died_after_s", sampler.diedAfter);
            }
        }
        r.put("sigterm_exit_code", exit);
        r.put("sigterm_stopped_it", !aliveAtEnd || exit >= 0);
        r.set("oom_log_lines", JanusCalls.JSON.valueToTree(oom));
        r.put("log_bytes_total", srv.logBytes());
        r.put("log_bytes_during", during.path("log_bytes").asLong() - before.path("log_bytes").asLong());
        r.put("log_lines_during", srv.logLines(before.path("log_bytes").asLong(), during.path("log_bytes").asLong()));
        r.set("criteria", criteria(r, attack, detail));
        return r;
    }

    /** 10 % above {@code v}, rounded up: the bound of "within 10 %" (only growth counts). */
    static int within(int v) {
        return v + (int) Math.ceil(v * 0.10);
    }

    private ObjectNode criteria(ObjectNode r, Attack attack, ObjectNode detail) {
        ObjectNode c = JanusCalls.JSON.createObjectNode();
        ObjectNode lat = (ObjectNode) r.path("fresh_client");
        int failures = 0;
        long max = -1;
        int probes = 0;
        for (String ph : List.of("before", "during", "after")) {
            failures += lat.path(ph).path("failures").asInt();
            probes += lat.path(ph).path("probes").asInt();
            max = Math.max(max, lat.path(ph).path("max_ms").asLong());
        }
        put(c, "fresh_client_within_1s", probes > 0 && failures == 0 && max <= 1000,
                probes + " probes, " + failures + " failed, max " + max + " ms, during p99 "
                        + lat.path("during").path("p99_ms").asLong() + " ms");
        int oom = r.path("oom_log_lines").size();
        put(c, "no_out_of_memory_error", oom == 0, oom == 0 ? "none in the log" : r.path("oom_log_lines").get(0).asText());
        put(c, "process_alive", r.path("alive_at_end").asBoolean(),
                r.path("alive_at_end").asBoolean() ? "alive" : "died (exit " + r.path("died_with_exit_code").asText("?") + ")");
        ObjectNode b = (ObjectNode) r.path("before");
        ObjectNode a = (ObjectNode) r.path("after");
        long hb = b.path("heap_after_gc_kb").asLong(-1);
        long ha = a.path("heap_after_gc_kb").asLong(-1);
        put(c, "heap_after_gc_within_64MB", hb >= 0 && ha >= 0 && ha - hb <= HEAP_SLACK_KB,
                ha < 0 ? "not measurable (server gone)" : mb(hb) + " -> " + mb(ha) + " MB (during " + mb(r.path("during")
                        .path("heap_after_gc_kb").asLong(-1)) + ")");
        for (String k : List.of("fds", "threads")) {
            int vb = b.path(k).asInt();
            int va = a.path(k).asInt();
            put(c, k + "_within_10pct", a.path("alive").asBoolean() && va <= within(vb),
                    a.path("alive").asBoolean() ? vb + " -> " + va + " (peak " + r.path("peak").path(k).asInt() + ", limit "
                            + within(vb) + ")" : "not measurable (server gone)");
        }
        attack.criteria(detail, c);
        boolean all = true;
        for (var e : c) {
            all &= e.path("pass").asBoolean();
        }
        r.put("pass", all);
        return c;
    }

    private static void put(ObjectNode c, String name, boolean pass, String value) {
        c.putObject(name).put("pass", pass).put("value", value);
    }

    static String mb(long kb) {
        return kb < 0 ? "?" : String.format("%.1f", kb / 1024.0);
    }

    /** /proc first (no GC has run yet), then log size, then heap after a forced GC. */
    private static ObjectNode snapshot(ServerProcess srv, boolean gc) {
        ServerProcess.Proc p = srv.proc();
        ObjectNode n = JanusCalls.JSON.createObjectNode();
        n.put("alive", p.alive());
        n.put("fds", p.fds());
        n.put("threads", p.threads());
        n.put("rss_mb", p.rssKb() / 1024.0);
        n.put("log_bytes", srv.logBytes());
        n.put("heap_after_gc_kb", gc ? srv.heapAfterGcKb() : -1);
        n.put("heap_info", srv.lastHeapInfo);
        listenQueue(n);
        return n;
    }

    /**
     * The kernel's listen-queue counters (TcpExt ListenOverflows / ListenDrops of /proc/net/netstat, this network
     * namespace): a connect the server's accept queue had no room for is dropped and retried by the client's
     * kernel after 1 s — a delay no server-side code sees.
     */
    private static void listenQueue(ObjectNode n) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(Path.of("/proc/net/netstat"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("TcpExt:") && lines.get(i + 1).startsWith("TcpExt:")) {
                    String[] k = lines.get(i).split("\\s+");
                    String[] v = lines.get(i + 1).split("\\s+");
                    for (int j = 1; j < k.length && j < v.length; j++) {
                        if (k[j].equals("ListenOverflows") || k[j].equals("ListenDrops")) {
                            n.put("tcp_" + k[j], Long.parseLong(v[j]));
                        }
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            n.put("tcp_listen_counters", "unreadable");
        }
    }

    private static String brief(ObjectNode s) {
        return (s.path("alive").asBoolean() ? "alive" : "DEAD") + ", heap after GC " + mb(s.path("heap_after_gc_kb").asLong())
                + " MB, RSS " + String.format("%.0f", s.path("rss_mb").asDouble()) + " MB, threads " + s.path("threads").asInt()
                + ", fds " + s.path("fds").asInt() + ", log " + s.path("log_bytes").asLong() + " B"
                + ", kernel listen overflows " + s.path("tcp_ListenOverflows").asLong();
    }

    private static void say(Attack a, String line) {
        System.out.println("[" + a.name() + "] " + line);
        System.out.flush();
    }

    /** One /proc sample a second (no GC): [seconds, RSS MB, threads, fds, log bytes]; a daemon thread. */
    private static final class Sampler {
        final ArrayNode series = JanusCalls.JSON.createArrayNode();
        private final ServerProcess srv;
        private final long t0 = System.nanoTime();
        private volatile boolean running = true;
        private final Thread thread;
        private double peakRss;
        private int peakThreads;
        private int peakFds;
        volatile double diedAfter = -1;

        Sampler(ServerProcess srv) {
            this.srv = srv;
            thread = new Thread(this::loop, "sampler");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void loop() {
            while (running) {
                ServerProcess.Proc p = srv.proc();
                if (!p.alive() && diedAfter < 0) {
                    diedAfter = (System.nanoTime() - t0) / 1e9;
                }
                synchronized (this) {
                    peakRss = Math.max(peakRss, p.rssKb() / 1024.0);
                    peakThreads = Math.max(peakThreads, p.threads());
                    peakFds = Math.max(peakFds, p.fds());
                    series.addArray().add(Math.round((System.nanoTime() - t0) / 1e8) / 10.0).add(Math.round(p.rssKb() / 1024.0))
                            .add(p.threads()).add(p.fds()).add(srv.logBytes());
                }
                Sleep.ms(1000);
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(3000);
        }

        synchronized ObjectNode peak() {
            return JanusCalls.JSON.createObjectNode().put("rss_mb", peakRss).put("threads", peakThreads).put("fds", peakFds);
        }
    }
}
