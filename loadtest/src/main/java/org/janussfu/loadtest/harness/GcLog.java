package org.janussfu.loadtest.harness;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the stop-the-world pauses out of a JVM's unified GC log ({@code -Xlog:gc:file=...:timemillis,uptime}, as
 * {@code loadtest/run} starts janus-sfu and the generator) and sums those that ended inside a step's measurement
 * window. A pause stops every thread of that JVM, so a 50 ms pause in the server — or in the generator, which
 * receives and timestamps every packet — shows up as 50 ms of one-way latency for everything in flight; the report
 * prints both next to p99 so a tail can be told apart from forwarding cost. Stateless; main thread of
 * {@link Report}.
 */
final class GcLog {
    /**
     * {@code [12.345s][1763712345678ms] GC(7) Pause Young (Allocation Failure) 185M->99M(365M) 56.655ms}: the JVM
     * prints the decorations in its own order (uptime first), so the epoch milliseconds are found by their length.
     */
    private static final Pattern PAUSE = Pattern.compile("\\[(\\d{12,})ms\\].*\\bPause\\b.*?([0-9.]+)ms\\s*$");

    private GcLog() {
    }

    /** {count, total_ms, max_ms} of the pauses logged in {@code [fromMs, toMs]} (epoch ms); null if no log. */
    static ObjectNode pauses(Path log, long fromMs, long toMs) throws IOException {
        if (!Files.isRegularFile(log)) {
            return null;
        }
        List<String> lines = Files.readAllLines(log);
        int count = 0;
        double total = 0;
        double max = 0;
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line);
            if (!m.find()) {
                continue;
            }
            long at = Long.parseLong(m.group(1));
            if (at < fromMs || at > toMs) {
                continue;
            }
            double ms = Double.parseDouble(m.group(2));
            count++;
            total += ms;
            max = Math.max(max, ms);
        }
        ObjectNode o = JanusWs.JSON.createObjectNode();
        o.put("count", count).put("total_ms", StepReport.round(total)).put("max_ms", StepReport.round(max));
        return o;
    }
}
