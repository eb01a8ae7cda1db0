package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Attack 6: ~20,000 TCP connections that never send a byte (half to the WebSocket port, half to HTTP) and ~300
 * slowloris connections (an upgrade, request headers, or a POST body, one byte every 5 s), held for a fixed time.
 * One process cannot hold more sockets than its fd limit (this box: 20,000, which root cannot raise in a
 * container), so the connections are spread over {@link ConnHolder} child JVMs of at most {@value #PER_HOLDER}
 * each; {@link #run} returns when every holder reports {@code HELD} (connections still open), {@link #leave} closes
 * their stdin and they close everything. Driver thread; the holders are child processes.
 */
final class IdleConnAttack implements Attack {
    static final int PER_HOLDER = 9000;
    private final List<Process> holders = new ArrayList<>();

    @Override
    public String name() {
        return "idle-connections";
    }

    @Override
    public String describe(Ctx ctx) {
        return ctx.n(20_000) + " TCP connections that never send (half WS, half HTTP) + " + ctx.n(300)
                + " slowloris (upgrade / headers / body, 1 byte per 5 s), held " + hold(ctx) / 1000 + " s";
    }

    private static long hold(Ctx ctx) {
        return ctx.ms(75_000, 12_000);
    }

    static long ownFdLimit() {
        return ConnHolder.ownFdLimit();
    }

    @Override
    public void run(Ctx ctx, ObjectNode out) throws Exception {
        int idle = ctx.n(20_000);
        int slow = ctx.n(300);
        int n = (idle + PER_HOLDER - 1) / PER_HOLDER;
        out.put("idle_planned", idle);
        out.put("slow_planned", slow);
        out.put("holder_processes", n);
        out.put("holder_fd_limit", ownFdLimit());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<BufferedReader> outs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int share = idle / n + (i < idle % n ? 1 : 0);
            // The holders run at the lowest CPU priority: they share this machine (and its second core) with the
            // fresh client, whose latency must measure the server, not an attacker starving the probe of CPU —
            // on the internet the attacker's connect loop runs on its own machine.
            List<String> cmd = new ArrayList<>(nice());
            cmd.addAll(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    ConnHolder.class.getName(), Integer.toString(ctx.ws()), Integer.toString(ctx.http()),
                    Integer.toString(share), Integer.toString(i == 0 ? slow : 0), Long.toString(hold(ctx)),
                    Long.toString(ctx.ms(40_000, 8000))));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            holders.add(p);
            outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }
        List<JsonNode> reports = new ArrayList<>();
        for (BufferedReader r : outs) { // each prints HELD after the hold time (bounded by it)
            String line;
            while ((line = r.readLine()) != null && !line.startsWith("HELD ")) {
                // nothing else is printed
            }
            reports.add(line == null ? JanusCalls.JSON.createObjectNode().put("error", "holder died")
                    : JanusCalls.JSON.readTree(line.substring(5)));
        }
        long opened = 0;
        long failed = 0;
        long slowOpened = 0;
        ObjectNode closed = out.putObject("closed_by_server");
        for (JsonNode r : reports) {
            opened += r.path("idle_opened").asLong();
            failed += r.path("idle_connect_failed_or_timed_out").asLong();
            slowOpened += r.path("slow_opened").asLong();
            for (String k : List.of("scaled_down", "error", "idle_connect_error", "slow_connect_error")) {
                if (r.has(k)) {
                    out.put(k, r.path(k).asText());
                }
            }
            r.path("closed_by_server").fields().forEachRemaining(e -> {
                ObjectNode c = closed.has(e.getKey()) ? (ObjectNode) closed.get(e.getKey()) : closed.putObject(e.getKey());
                c.put("count", c.path("count").asLong() + e.getValue().path("count").asLong());
                c.put("within_10s", c.path("within_10s").asLong() + e.getValue().path("within_10s").asLong());
                c.put("max_s", Math.max(c.path("max_s").asDouble(-1), e.getValue().path("max_s").asDouble()));
            });
        }
        out.put("idle_opened", opened);
        out.put("idle_connect_failed_or_timed_out", failed);
        out.put("slow_opened", slowOpened);
    }

    private static List<String> nice() {
        for (String dir : List.of("/usr/bin", "/bin")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "nice"))) {
                return List.of(dir + "/nice", "-n", "19");
            }
        }
        return List.of();
    }

    @Override
    public void leave(Ctx ctx, ObjectNode out) {
        for (Process p : holders) {
            try {
                p.getOutputStream().close();
            } catch (java.io.IOException e) {
                // gone
            }
        }
        for (Process p : holders) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        holders.clear();
    }
}
