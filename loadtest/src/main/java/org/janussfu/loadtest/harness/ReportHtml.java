package org.janussfu.loadtest.harness;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders report.html: a self-contained page (inline CSS and SVG only) with the headline comparison table, the
 * figures against N (loss, one-way latency percentiles, server CPU µs per forwarded packet, CPU use of server and
 * generator, join latency), and every step's numbers per server. Stateless; the Report's thread.
 */
final class ReportHtml {
    private ReportHtml() {
    }

    static String render(JsonNode summary, Map<String, JsonNode> runs, boolean signalling) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>janus-sfu load test: ")
                .append(Svg.esc(summary.path("scenario").asText())).append("</title><style>")
                .append("body{font-family:sans-serif;margin:24px;max-width:1260px;color:#222}")
                .append("h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:26px 0 8px}")
                .append("table{border-collapse:collapse;font-size:13px;margin:6px 0}td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}")
                .append("th{background:#f1f1f1}td:first-child,th:first-child{text-align:left}td.obj{text-align:left;max-width:360px;word-break:break-all;font-size:12px}")
                .append(".note{background:#fff8e0;border:1px solid #e6d48a;padding:8px 12px;margin:10px 0;font-size:14px}")
                .append(".warn{background:#fde8e6;border-color:#e3a39b}.figs{display:flex;flex-wrap:wrap;gap:14px}")
                .append(".figs svg{border:1px solid #ddd}.muted{color:#666;font-size:13px}.bad{color:#b3261e;font-weight:bold}")
                .append("</style></head><body>");
        h.append("<h1>Load test: ").append(Svg.esc(summary.path("scenario").asText())).append("</h1>");
        h.append("<div class='muted'>").append(Svg.esc(summary.path("description").asText())).append("<br>")
                .append(Svg.esc(summary.path("host").path("cpu").asText())).append(", kernel ")
                .append(Svg.esc(summary.path("host").path("kernel").asText())).append(", ")
                .append(Svg.esc(summary.path("host").path("java").asText())).append(" — generated ")
                .append(Svg.esc(summary.path("generated_utc").asText())).append("</div>");
        h.append("<div class='note'>Servers: ").append(String.join(" and ", runs.keySet()))
                .append(". Server pinned to CPU 0, load generator (one JVM, every simulated participant) pinned to CPU 1 of a 2-core box. ")
                .append(Svg.esc(summary.path("baseline_note").asText()))
                .append(" Janus runs in a private network namespace created by the harness (libnice ignores loopback), janus-sfu on 127.0.0.1.</div>");
        for (JsonNode n : summary.path("notes")) {
            h.append("<div class='note warn'>").append(Svg.esc(n.asText())).append("</div>");
        }
        headline(h, summary, runs);
        h.append("<h2>Figures</h2><div class='figs'>");
        if (signalling) {
            h.append(Svg.chart("Join cycles per second", "N (concurrent clients)", "cycles/s",
                    Report.series(runs, "", false, s -> s.path("cycles_per_second").asDouble())));
            List<Svg.Series> lat = new ArrayList<>(Report.series(runs, " p99", false, s -> s.path("cycle_ms").path("p99").asDouble(-1)));
            lat.addAll(Report.series(runs, " p50", true, s -> s.path("cycle_ms").path("p50").asDouble(-1)));
            h.append(Svg.chart("Join cycle latency", "N (concurrent clients)", "ms", lat));
            h.append(Svg.chart("Server CPU per join cycle", "N (concurrent clients)", "µs per cycle",
                    Report.series(runs, "", false, s -> s.path("cpu_us_per_cycle").asDouble())));
        } else {
            h.append(Svg.chart("Loss (all streams)", "N", "% lost", Report.series(runs, "", false, s -> s.path("loss_pct").asDouble())));
            List<Svg.Series> lat = new ArrayList<>(Report.series(runs, " p99", false, s -> s.path("latency_ms").path("p99").asDouble(-1)));
            lat.addAll(Report.series(runs, " p50", true, s -> s.path("latency_ms").path("p50").asDouble(-1)));
            h.append(Svg.chart("One-way latency (generator → server → generator)", "N", "ms", lat));
            h.append(Svg.chart("Server CPU per forwarded packet", "N", "µs per packet or message received",
                    Report.series(runs, "", false, s -> s.path("cpu_us_per_forwarded").asDouble())));
            List<Svg.Series> cpu = new ArrayList<>(Report.series(runs, " server", false, s -> s.path("server").path("cores").asDouble()));
            cpu.addAll(Report.series(runs, " generator", true, s -> s.path("generator").path("cores").asDouble()));
            h.append(Svg.chart("CPU used (cores; each side pinned to one)", "N", "cores", cpu));
            List<Svg.Series> join = new ArrayList<>(Report.series(runs, " ready p99", false,
                    s -> s.path("join_ms").path("user_ready").path("p99").asDouble(-1)));
            join.addAll(Report.series(runs, " ready p50", true, s -> s.path("join_ms").path("user_ready").path("p50").asDouble(-1)));
            h.append(Svg.chart("User ready: connect → publisher + all subscriptions up", "N", "ms", join));
            List<Svg.Series> jr = new ArrayList<>(Report.series(runs, " p99", false,
                    s -> s.path("join_ms").path("join_reply").path("p99").asDouble(-1)));
            jr.addAll(Report.series(runs, " p50", true, s -> s.path("join_ms").path("join_reply").path("p50").asDouble(-1)));
            h.append(Svg.chart("Join request → reply", "N", "ms", jr));
        }
        h.append("</div>");
        for (var e : runs.entrySet()) {
            steps(h, e.getKey(), e.getValue(), signalling);
        }
        h.append("<h2>How to read this</h2><ul class='muted'>")
                .append("<li><b>Loss</b>: measured packets and messages sent × receivers that should get them, minus unique arrivals (with churn: sequence gaps per stream).</li>")
                .append("<li><b>Latency</b>: receive time − send time stamped in every RTP payload and data message (same JVM clock); includes both hops, SRTP/DTLS work and the generator's own scheduling, so a saturated generator inflates it.</li>")
                .append("<li><b>CPU µs per forwarded packet</b>: server utime+stime during the window ÷ (RTP packets + data messages received by subscribers).</li>")
                .append("<li><b>Within bounds</b>: every subscription up, loss ≤ 0.5 %, p99 ≤ 20 ms, server ≤ 0.95 of its pinned core.</li>")
                .append("<li>Hover a point for its value. Raw numbers: summary.json and the per-server JSON files next to this page.</li></ul>");
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void headline(StringBuilder h, JsonNode summary, Map<String, JsonNode> runs) {
        h.append("<h2>Headline</h2><table><tr><th>metric</th>");
        for (String s : runs.keySet()) {
            h.append("<th>").append(s).append("</th>");
        }
        boolean both = runs.size() == 2;
        if (both) {
            h.append("<th>ratio janus-sfu / janus</th>");
        }
        h.append("</tr>");
        JsonNode servers = summary.path("servers");
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        for (String s : runs.keySet()) {
            servers.path(s).fieldNames().forEachRemaining(keys::add);
        }
        if (summary.has("compared_at_n")) {
            h.insert(h.lastIndexOf("<table>"), "<p>Both servers compared at N = " + summary.path("compared_at_n").asInt()
                    + " (the largest N both ran); max_n_within_bounds is each server's own.</p>");
        }
        keys.remove(COUNTERS);
        keys.forEach(k -> {
            h.append("<tr><td>").append(k).append("</td>");
            for (String s : runs.keySet()) {
                JsonNode v = servers.path(s).path(k);
                h.append(v.isContainerNode() ? "<td class='obj'>" : "<td>")
                        .append(Svg.esc(v.isContainerNode() ? v.toString() : v.asText("-"))).append("</td>");
            }
            if (both) {
                String r = "";
                for (JsonNode x : summary.path("ratios")) {
                    if (x.path("metric").asText().equals(k)) {
                        r = x.path("ratio").asText();
                    }
                }
                h.append("<td>").append(r).append("</td>");
            }
            h.append("</tr>");
        });
        h.append("</table>");
        JsonNode counters = servers.path("janus-sfu").path(COUNTERS);
        if (counters.isObject()) {
            h.append("<h2>janus-sfu's own counters (whole run, warm-up included)</h2><table><tr><th>counter</th><th>value</th></tr>");
            counters.properties().forEach(group -> group.getValue().properties().forEach(c ->
                    h.append("<tr><td>").append(Svg.esc(group.getKey() + "." + c.getKey())).append("</td><td>")
                            .append(Svg.esc(c.getValue().asText())).append("</td></tr>")));
            h.append("</table>");
        }
    }

    private static final String COUNTERS = "server_counters_whole_run";

    private static void steps(StringBuilder h, String server, JsonNode run, boolean signalling) {
        h.append("<h2>Steps: ").append(server).append("</h2>");
        if (run.has("stopped")) {
            h.append("<div class='muted'>stopped: ").append(Svg.esc(run.path("stopped").asText())).append("</div>");
        }
        if (run.has("error")) {
            h.append("<div class='note warn'>error: ").append(Svg.esc(run.path("error").asText())).append("</div>");
        }
        if (signalling) {
            h.append("<table><tr><th>N</th><th>cycles/s</th><th>cycle p50 ms</th><th>cycle p99 ms</th><th>join p99 ms</th>")
                    .append("<th>server cores</th><th>µs/cycle</th><th>errors</th></tr>");
            for (JsonNode s : run.path("steps")) {
                h.append("<tr>").append(td(s, "n")).append(td(s, "cycles_per_second")).append(td(s.path("cycle_ms"), "p50"))
                        .append(td(s.path("cycle_ms"), "p99")).append(td(s.path("join_ms").path("join_reply"), "p99"))
                        .append(td(s.path("server"), "cores")).append(td(s, "cpu_us_per_cycle")).append(td(s, "errors")).append("</tr>");
            }
            h.append("</table>");
            return;
        }
        h.append("<table><tr><th>N</th><th>users</th><th>subs up</th><th>fwd/s</th><th>loss %</th><th>p50 ms</th><th>p99 ms</th>")
                .append("<th>p99.9 ms</th><th>jitter ms</th><th>server cores</th><th>µs/fwd</th><th>gen cores</th><th>RSS MB</th>")
                .append("<th>threads</th><th>fds</th><th>UDP rcvbuf err</th><th>join p50/p99 ms</th><th>ready p99 ms</th>")
                .append("<th>setup CPU ms/PC</th><th>GC pauses max ms (server / generator)</th><th>within bounds</th></tr>");
        for (JsonNode s : run.path("steps")) {
            boolean ok = Report.ok(s);
            h.append("<tr>").append(td(s, "n")).append(td(s, "users"))
                    .append("<td>").append(s.path("subscriptions_up").asLong()).append('/').append(s.path("subscriptions_expected").asLong()).append("</td>")
                    .append(td(s, "forwarded_per_second")).append(td(s, "loss_pct")).append(td(s.path("latency_ms"), "p50"))
                    .append(td(s.path("latency_ms"), "p99")).append(td(s.path("latency_ms"), "p999")).append(td(s.path("jitter_ms"), "mean"))
                    .append(td(s.path("server"), "cores")).append(td(s, "cpu_us_per_forwarded")).append(td(s.path("generator"), "cores"))
                    .append(td(s.path("server"), "rss_mb")).append(td(s.path("server"), "threads")).append(td(s.path("server"), "fds"))
                    .append(td(s.path("udp"), "rcvbuf_errors"))
                    .append("<td>").append(s.path("join_ms").path("join_reply").path("p50").asText("-")).append(" / ")
                    .append(s.path("join_ms").path("join_reply").path("p99").asText("-")).append("</td>")
                    .append(td(s.path("join_ms").path("user_ready"), "p99")).append(td(s.path("server"), "setup_cpu_ms_per_pc"))
                    .append("<td>").append(s.path("gc_pauses").path("server").path("max_ms").asText("-")).append(" / ")
                    .append(s.path("gc_pauses").path("generator").path("max_ms").asText("-")).append("</td>")
                    .append(ok ? "<td>yes</td>" : "<td class='bad'>no</td>").append("</tr>");
        }
        h.append("</table>");
    }

    private static String td(JsonNode n, String k) {
        return "<td>" + Svg.esc(n.path(k).asText("-")) + "</td>";
    }
}
