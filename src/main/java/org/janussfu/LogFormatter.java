package org.janussfu;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One log record per line, either readable text ({@code 2026-11-21T05:15:45.123Z INFO core.JanusCore
 * session created session=42 ...}) or a JSON object with ts, level, logger, thread and msg. The messages
 * themselves carry {@code key=value} fields. Stateless; used by the JUL console handler on any thread.
 */
final class LogFormatter extends Formatter {
    private static final String ROOT = "org.janussfu.";
    private final boolean json;

    LogFormatter(boolean json) {
        this.json = json;
    }

    @Override
    public String format(LogRecord r) {
        String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
        if (logger.startsWith(ROOT)) {
            logger = logger.substring(ROOT.length());
        }
        String msg = formatMessage(r);
        String thrown = null;
        if (r.getThrown() != null) {
            StringWriter sw = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(sw));
            thrown = sw.toString();
        }
        String ts = Instant.ofEpochMilli(r.getMillis()).toString();
        if (!json) {
            StringBuilder b = new StringBuilder(96 + msg.length());
            b.append(ts).append(' ').append(r.getLevel().getName()).append(' ').append(logger).append(' ')
                    .append(Thread.currentThread().getName()).append(" | ").append(msg).append('\n');
            if (thrown != null) {
                b.append(thrown);
            }
            return b.toString();
        }
        StringBuilder b = new StringBuilder(128 + msg.length());
        b.append("{\"ts\":\"").append(ts).append("\",\"level\":\"").append(r.getLevel().getName())
                .append("\",\"logger\":");
        quote(b, logger);
        b.append(",\"thread\":");
        quote(b, Thread.currentThread().getName());
        b.append(",\"msg\":");
        quote(b, msg);
        if (thrown != null) {
            b.append(",\"error\":");
            quote(b, thrown);
        }
        return b.append("}\n").toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
