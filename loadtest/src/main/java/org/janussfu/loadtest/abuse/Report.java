package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Turns the abuse results into Markdown: per attack, the pass/fail table of issue 11's criteria, the numbers
 * before / during / after (heap after GC, RSS, threads, fds, log, fresh-client latency), and what the attack itself
 * saw (its detail JSON, compact). Also {@link #clip} for every quoted server answer. Stateless; any thread.
 */
final class Report {
    private Report() {
    }

    static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max) + "…(" + s.length() + " chars)";
    }

    static String markdown(ObjectNode summary) {
        StringBuilder md = new StringBuilder();
        md.append("# janus-sfu abuse run (issue 11), scale ").append(summary.path("scale").asText()).append("\n\n");
        md.append("- started ").append(summary.path("started").asText()).append(", ").append(summary.path("host").asText())
                .append("\n- server: `java -Xmx512m -XX:+ExitOnOutOfMemoryError -jar target/janus-sfu.jar` (default config, loopback)")
                .append(", fd limit ").append(summary.path("server_nofile").asText())
                .append("; attacker fd limit ").append(summary.path("attacker_nofile").asText())
                .append("\n- a fresh server per attack; fresh client = new WebSocket: create + attach + join + reply, every 250 ms\n\n");
        md.append("| attack | result | fresh client ≤ 1 s | no OOM | alive | heap ≤ +64 MB | fds ≤ +10 % | threads ≤ +10 % | extra |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode a : summary.path("attacks")) {
            JsonNode c = a.path("criteria");
            md.append("| ").append(a.path("attack").asText()).append(" | ")
                    .append(a.has("error") ? "ERROR" : a.path("pass").asBoolean() ? "**PASS**" : "**FAIL**");
            for (String k : List.of("fresh_client_within_1s", "no_out_of_memory_error", "process_alive",
                    "heap_after_gc_within_64MB", "fds_within_10pct", "threads_within_10pct")) {
                md.append(" | ").append(mark(c.path(k)));
            }
            md.append(" | ").append(c.has("strict_input_cases") ? mark(c.path("strict_input_cases")) + " "
                    + c.path("strict_input_cases").path("value").asText() : "").append(" |\n");
        }
        for (JsonNode a : summary.path("attacks")) {
            md.append("\n## ").append(a.path("attack").asText()).append(": ")
                    .append(a.has("error") ? "ERROR" : a.path("pass").asBoolean() ? "PASS" : "FAIL").append("\n\n");
            md.append(a.path("description").asText()).append(". Attack ran ")
                    .append(String.format("%.1f", a.path("attack_seconds").asDouble())).append(" s; after leaving, settled in ")
                    .append(String.format("%.1f", a.path("settle_seconds").asDouble())).append(" s.\n\n");
            if (a.has("error")) {
                md.append("Error: ").append(a.path("error").asText()).append("\n");
                continue;
            }
            md.append("| criterion | pass | value |\n|---|---|---|\n");
            a.path("criteria").fields().forEachRemaining(e -> md.append("| ").append(e.getKey()).append(" | ")
                    .append(mark(e.getValue())).append(" | ").append(esc(e.getValue().path("value").asText())).append(" |\n"));
            md.append("\n| | before | during (end of attack) | peak | after |\n|---|---|---|---|---|\n");
            JsonNode b = a.path("before");
            JsonNode d = a.path("during");
            JsonNode p = a.path("peak");
            JsonNode f = a.path("after");
            md.append("| alive | ").append(b.path("alive").asBoolean()).append(" | ").append(d.path("alive").asBoolean())
                    .append(" | | ").append(f.path("alive").asBoolean()).append(" |\n");
            md.append("| heap after GC (MB) | ").append(AttackRun.mb(b.path("heap_after_gc_kb").asLong())).append(" | ")
                    .append(AttackRun.mb(d.path("heap_after_gc_kb").asLong())).append(" | | ")
                    .append(AttackRun.mb(f.path("heap_after_gc_kb").asLong())).append(" |\n");
            md.append("| RSS (MB) | ").append(r0(b.path("rss_mb"))).append(" | ").append(r0(d.path("rss_mb"))).append(" | ")
                    .append(r0(p.path("rss_mb"))).append(" | ").append(r0(f.path("rss_mb"))).append(" |\n");
            for (String k : List.of("threads", "fds")) {
                md.append("| ").append(k).append(" | ").append(b.path(k).asInt()).append(" | ").append(d.path(k).asInt())
                        .append(" | ").append(p.path(k).asInt()).append(" | ").append(f.path(k).asInt()).append(" |\n");
            }
            md.append("| log bytes written | | ").append(a.path("log_bytes_during").asLong()).append(" (")
                    .append(a.path("log_lines_during").asLong()).append(" lines) | | total ")
                    .append(a.path("log_bytes_total").asLong()).append(" |\n");
            JsonNode fc = a.path("fresh_client");
            md.append("| fresh client p50 / p99 / max ms (failures / probes) | ").append(lat(fc.path("before"))).append(" | ")
                    .append(lat(fc.path("during"))).append(" | | ").append(lat(fc.path("after"))).append(" |\n");
            JsonNode reasons = fc.path("during").path("failure_reasons");
            if (reasons.size() > 0) {
                md.append("\nFresh-client failures during: `").append(esc(reasons.toString())).append("`\n");
            }
            if (a.has("died_with_exit_code")) {
                md.append("\nThe process died by itself with exit code ").append(a.path("died_with_exit_code").asInt())
                        .append(a.has("died_after_s") ? String.format(", %.1f s into the attack", a.path("died_after_s").asDouble()) : "")
                        .append(" (no SIGTERM needed).\n\n");
            } else {
                md.append("\nSIGTERM at the end: ").append(a.path("sigterm_stopped_it").asBoolean() ? "stopped it" : "IGNORED (needed SIGKILL)")
                        .append(" (exit ").append(a.path("sigterm_exit_code").asInt()).append(").\n\n");
            }
            JsonNode det = a.path("attack_detail");
            if (det.has("cases")) {
                md.append("| case | expected | answer | pass |\n|---|---|---|---|\n");
                for (JsonNode c : det.path("cases")) {
                    md.append("| ").append(esc(c.path("case").asText())).append(" | ").append(esc(c.path("expected").asText()))
                            .append(" | `").append(esc(clip(c.path("answer").asText(), 160))).append("` | ")
                            .append(c.path("pass").asBoolean() ? "✔" : "✘").append(" |\n");
                }
            } else {
                md.append("Attack detail: `").append(esc(clip(det.toString(), 1500))).append("`\n");
            }
        }
        return md.toString();
    }

    private static String mark(JsonNode c) {
        return c.isMissingNode() ? "" : c.path("pass").asBoolean() ? "✔" : "✘";
    }

    private static String lat(JsonNode s) {
        return s.path("p50_ms").asLong() + " / " + s.path("p99_ms").asLong() + " / " + s.path("max_ms").asLong() + " ("
                + s.path("failures").asInt() + " / " + s.path("probes").asInt() + ")"
                + (s.has("connect_p99_ms") ? ", connect+upgrade p99 " + s.path("connect_p99_ms").asLong() + " ms" : "");
    }

    private static String r0(JsonNode n) {
        return String.format("%.0f", n.asDouble());
    }

    private static String esc(String s) {
        return s.replace("|", "\\|").replace("\n", " ").replace("`", "'");
    }
}
