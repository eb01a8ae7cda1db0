package org.janussfu.loadtest.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Writes {@code summary.json} and a self-contained {@code report.html} (inline SVG, no scripts or external resources)
 * from the per-server result files in a results directory ({@code janus-sfu.json}, {@code janus.json}). Headline
 * numbers: server CPU µs per forwarded packet, the largest N within bounds (loss ≤ 0.5 %, p99 one-way ≤ 20 ms, server
 * ≤ 0.95 of its one pinned core), join latencies; with both servers, every figure shows both and a table gives
 * janus-sfu / Janus ratios. Thread: main. Usage: Report DIR
 */
public final class Report {
    static final String[] SERVERS = {"janus-sfu", "janus"};
    static final Map<String, String> COLORS = Map.of("janus-sfu", "#1f6fb4", "janus", "#c8372d");

    /**
     * Adds {@code gc_pauses: {server, generator}} to every measured step from the GC logs {@code run} wrote (the
     * server's only for janus-sfu; Janus has no collector). Returns whether anything was added.
     */
    private static boolean addGcPauses(Path dir, String server, JsonNode run) throws java.io.IOException {
        boolean added = false;
        for (JsonNode step : run.path("steps")) {
            if (!step.has("window_start_ms") || !(step instanceof ObjectNode)) {
                continue;
            }
            long from = step.path("window_start_ms").asLong();
            long to = step.path("window_end_ms").asLong();
            ObjectNode gc = JanusWs.JSON.createObjectNode();
            ObjectNode srv = GcLog.pauses(dir.resolve(server + "-gc.log"), from, to);
            ObjectNode gen = GcLog.pauses(dir.resolve("generator-" + server + "-gc.log"), from, to);
            if (srv != null) {
                gc.set("server", srv);
            }
            if (gen != null) {
                gc.set("generator", gen);
            }
            if (!gc.isEmpty()) {
                ((ObjectNode) step).set("gc_pauses", gc);
                added = true;
            }
        }
        return added;
    }

    /**
     * janus-sfu's own counters, from the {@code counters {...}} line it logs at INFO when it stops (forwarded, queue
     * drops, NACKs, keyframe requests, data relayed, pool allocations) — totals for the whole run, warm-up included.
     */
    static JsonNode serverCounters(Path log) throws java.io.IOException {
        if (!Files.isRegularFile(log)) {
            return null;
        }
        JsonNode found = null;
        for (String line : Files.readAllLines(log)) {
            int i = line.indexOf("counters {");
            if (i >= 0) {
                try {
                    found = JanusWs.JSON.readTree(line.substring(i + "counters ".length()));
                } catch (java.io.IOException e) {
                    // a truncated line: keep the previous one
                }
            }
        }
        return found;
    }

    public static void main(String[] argv) throws Exception {
        Path dir = Path.of(argv[0]);
        Map<String, JsonNode> runs = new LinkedHashMap<>();
        for (String s : SERVERS) {
            Path f = dir.resolve(s + ".json");
            if (Files.exists(f)) {
                JsonNode run = JanusWs.JSON.readTree(Files.readString(f));
                if (addGcPauses(dir, s, run)) {
                    Files.writeString(f, run.toPrettyString());
                }
                runs.put(s, run);
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalStateException("no results in " + dir);
        }
        List<String> notes = new ArrayList<>();
        Path nf = dir.resolve("notes.txt");
        if (Files.exists(nf)) {
            Files.readAllLines(nf).stream().filter(l -> !l.isBlank()).forEach(notes::add);
        }
        JsonNode any = runs.values().iterator().next();
        boolean signalling = any.path("steps").size() > 0 && any.path("steps").get(0).has("cycles");
        ObjectNode summary = JanusWs.JSON.createObjectNode();
        summary.put("scenario", any.path("scenario").asText()).put("description", any.path("description").asText())
                .put("generated_utc", java.time.Instant.now().toString());
        summary.set("host", any.path("host"));
        ArrayNode na = summary.putArray("notes");
        notes.forEach(na::add);
        summary.put("baseline_note", "The baseline is Janus 1.1.2 (Debian) running ../shared/baseline/janus-sfu-duktape.js in Janus' "
                + "Duktape plugin: its RTP relay is Janus' own C code, but its data-channel relay and signalling run in script (Duktape).");
        ObjectNode servers = summary.putObject("servers");
        int commonN = commonN(runs);
        if (commonN > 0) {
            summary.put("compared_at_n", commonN);
        }
        for (var e : runs.entrySet()) {
            servers.set(e.getKey(), headline(e.getValue(), signalling, commonN));
        }
        JsonNode counters = serverCounters(dir.resolve("janus-sfu.log"));
        if (counters != null && servers.has("janus-sfu")) {
            ((ObjectNode) servers.path("janus-sfu")).set("server_counters_whole_run", counters);
        }
        ArrayNode ratios = summary.putArray("ratios");
        if (runs.size() == 2) {
            JsonNode a = servers.path("janus-sfu");
            JsonNode b = servers.path("janus");
            a.fieldNames().forEachRemaining(k -> {
                if (a.path(k).isNumber() && b.path(k).isNumber() && b.path(k).asDouble() != 0
                        && !k.equals("steps_run") && !k.equals("at_n") && !k.equals("n")) {
                    ratios.addObject().put("metric", k).put("janus-sfu", a.path(k).asDouble()).put("janus", b.path(k).asDouble())
                            .put("ratio", StepReport.round(a.path(k).asDouble() / b.path(k).asDouble()));
                }
            });
        }
        Files.writeString(dir.resolve("summary.json"), summary.toPrettyString());
        Files.writeString(dir.resolve("report.html"), ReportHtml.render(summary, runs, signalling));
        System.out.println("report: " + dir.resolve("report.html"));
        for (var e : servers.properties()) {
            System.out.println("  " + e.getKey() + ": " + e.getValue());
        }
        for (JsonNode r : ratios) {
            System.out.printf(Locale.ROOT, "  ratio %-34s %10.3f / %10.3f = %.2f%n", r.path("metric").asText(),
                    r.path("janus-sfu").asDouble(), r.path("janus").asDouble(), r.path("ratio").asDouble());
        }
    }

    /** A step is within bounds: complete, loss ≤ 0.5 %, p99 ≤ 20 ms, server ≤ 0.95 of its pinned core. */
    static boolean ok(JsonNode s) {
        return outOfBounds(s).isEmpty();
    }

    /** Which of the capacity bounds (performance.md G2.1) a step broke; empty when it is within bounds. */
    static List<String> outOfBounds(JsonNode s) {
        List<String> r = new ArrayList<>();
        if (s.path("subscriptions_up").asLong() < s.path("subscriptions_expected").asLong()) {
            r.add("subscriptions " + s.path("subscriptions_up").asLong() + "/" + s.path("subscriptions_expected").asLong());
        }
        if (s.path("forwarded").asLong() <= 0) {
            r.add("nothing forwarded");
        }
        if (s.path("loss_pct").asDouble() > 0.5) {
            r.add("loss " + s.path("loss_pct").asDouble() + " % > 0.5 %");
        }
        if (s.path("latency_ms").path("p99").asDouble() > 20) {
            r.add("p99 " + s.path("latency_ms").path("p99").asDouble() + " ms > 20 ms");
        }
        if (s.path("server").path("cores").asDouble() > 0.95) {
            r.add("server " + s.path("server").path("cores").asDouble() + " cores > 0.95");
        }
        return r;
    }

    /**
     * With two servers, the largest N at which both ran a step — ratios between two servers mean something only at
     * the same load — else 0 (each server's headline is then its largest step within bounds).
     */
    static int commonN(Map<String, JsonNode> runs) {
        if (runs.size() < 2) {
            return 0;
        }
        java.util.Set<Integer> common = null;
        for (JsonNode run : runs.values()) {
            java.util.Set<Integer> ns = new java.util.HashSet<>();
            run.path("steps").forEach(st -> ns.add(st.path("n").asInt()));
            if (common == null) {
                common = ns;
            } else {
                common.retainAll(ns);
            }
        }
        return common == null ? 0 : common.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /**
     * The numbers compared between servers: at {@code atN} when both servers ran it, else at the largest N this
     * server completed within bounds (its first step if none). {@code max_n_within_bounds} is always this server's
     * own, and {@code first_out_of_bounds} says why the next step failed and whether the generator was saturated
     * there (then the limit is the box's, not the server's).
     */
    static ObjectNode headline(JsonNode run, boolean signalling, int atN) {
        ObjectNode h = JanusWs.JSON.createObjectNode();
        JsonNode steps = run.path("steps");
        h.put("steps_run", steps.size());
        if (steps.isEmpty()) {
            return h;
        }
        if (signalling) {
            JsonNode last = steps.get(steps.size() - 1);
            h.put("n", last.path("n").asInt()).put("cycles_per_second", last.path("cycles_per_second").asDouble())
                    .put("cycle_p50_ms", last.path("cycle_ms").path("p50").asDouble())
                    .put("cycle_p99_ms", last.path("cycle_ms").path("p99").asDouble())
                    .put("join_reply_p99_ms", last.path("join_ms").path("join_reply").path("p99").asDouble())
                    .put("server_cpu_us_per_cycle", last.path("cpu_us_per_cycle").asDouble());
            return h;
        }
        int maxOk = 0;
        for (JsonNode s : steps) {
            if (ok(s)) {
                maxOk = Math.max(maxOk, s.path("n").asInt());
            }
        }
        JsonNode ref = steps.get(0);
        for (JsonNode s : steps) {
            if (atN > 0 ? s.path("n").asInt() == atN : ok(s)) {
                ref = s;
            }
        }
        for (JsonNode s : steps) {
            if (!ok(s)) {
                ObjectNode f = h.putObject("first_out_of_bounds");
                f.put("n", s.path("n").asInt());
                ArrayNode why = f.putArray("reasons");
                outOfBounds(s).forEach(why::add);
                f.put("generator_cores", s.path("generator").path("cores").asDouble())
                        .put("generator_saturated", s.path("generator").path("cores").asDouble() > 0.9);
                break;
            }
        }
        h.put("max_n_within_bounds", maxOk).put("at_n", ref.path("n").asInt())
                .put("cpu_us_per_forwarded", ref.path("cpu_us_per_forwarded").asDouble())
                .put("server_cores", ref.path("server").path("cores").asDouble())
                .put("loss_pct", ref.path("loss_pct").asDouble())
                .put("latency_p50_ms", ref.path("latency_ms").path("p50").asDouble())
                .put("latency_p99_ms", ref.path("latency_ms").path("p99").asDouble())
                .put("join_reply_p50_ms", ref.path("join_ms").path("join_reply").path("p50").asDouble())
                .put("join_reply_p99_ms", ref.path("join_ms").path("join_reply").path("p99").asDouble())
                .put("subscriber_up_p50_ms", ref.path("join_ms").path("subscriber_up").path("p50").asDouble())
                .put("subscriber_up_p99_ms", ref.path("join_ms").path("subscriber_up").path("p99").asDouble())
                .put("user_ready_p50_ms", ref.path("join_ms").path("user_ready").path("p50").asDouble())
                .put("user_ready_p99_ms", ref.path("join_ms").path("user_ready").path("p99").asDouble())
                .put("server_rss_mb", ref.path("server").path("rss_mb").asDouble())
                .put("generator_cores", ref.path("generator").path("cores").asDouble())
                .put("gc_pause_max_ms_server", ref.path("gc_pauses").path("server").path("max_ms").asDouble())
                .put("gc_pause_max_ms_generator", ref.path("gc_pauses").path("generator").path("max_ms").asDouble());
        if (ref.has("negotiated")) {
            h.set("negotiated", ref.path("negotiated"));
        }
        return h;
    }

    /** One series per server of f(step) against N. */
    static List<Svg.Series> series(Map<String, JsonNode> runs, String suffix, boolean dashed, ToDoubleFunction<JsonNode> f) {
        List<Svg.Series> out = new ArrayList<>();
        for (var e : runs.entrySet()) {
            List<double[]> pts = new ArrayList<>();
            for (JsonNode s : e.getValue().path("steps")) {
                double v = f.applyAsDouble(s);
                if (v >= 0) {
                    pts.add(new double[]{s.path("n").asDouble(), v});
                }
            }
            out.add(new Svg.Series(e.getKey() + suffix, COLORS.getOrDefault(e.getKey(), "#555"), dashed, pts));
        }
        return out;
    }
}
