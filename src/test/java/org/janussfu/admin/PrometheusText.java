package org.janussfu.admin;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small strict parser of the Prometheus text exposition format 0.0.4, for tests: every sample must belong to a
 * family declared by a preceding {@code # TYPE} line, names and label names must be valid, label values properly
 * escaped, values numbers (or NaN/±Inf), counters end in {@code _total}, and no series may appear twice. Any
 * violation throws. Samples are kept as {@code name{sorted labels}} → value.
 */
final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    final Map<String, Double> samples = new LinkedHashMap<>();
    final Map<String, String> types = new HashMap<>();

    static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        Set<String> helped = new HashSet<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                require(NAME.matcher(parts[0]).matches() && helped.add(parts[0]), lineNo, line);
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                require(parts.length == 2 && NAME.matcher(parts[0]).matches() && TYPES.contains(parts[1])
                        && p.types.put(parts[0], parts[1]) == null, lineNo, line);
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            p.sample(line, lineNo);
        }
        return p;
    }

    private void sample(String line, int lineNo) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        require(NAME.matcher(name).matches(), lineNo, line);
        TreeMap<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                require(eq > i, lineNo, line);
                String label = line.substring(i, eq);
                require(LABEL.matcher(label).matches() && line.charAt(eq + 1) == '"', lineNo, line);
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        require(n == '\\' || n == '"' || n == 'n', lineNo, line);
                        v.append(n == 'n' ? '\n' : n);
                    } else {
                        v.append(c);
                    }
                    j++;
                }
                require(labels.put(label, v.toString()) == null, lineNo, line);
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        require(i < line.length() && line.charAt(i) == ' ', lineNo, line);
        String[] rest = line.substring(i + 1).split(" ");
        require(rest.length == 1 || rest.length == 2, lineNo, line);
        double value = switch (rest[0]) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(rest[0]);
        };
        String family = family(name);
        require(family != null, lineNo, "sample without a # TYPE: " + line);
        if ("counter".equals(types.get(family))) {
            require(name.endsWith("_total") || name.endsWith("_created"), lineNo, "counter sample without _total: " + line);
        }
        String key = name + labels;
        require(samples.put(key, value) == null, lineNo, "duplicate series: " + line);
    }

    /** The declared family a sample name belongs to (itself, or without a histogram/summary/counter suffix). */
    private String family(String name) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : new String[]{"_total", "_created", "_bucket", "_count", "_sum", "_max"}) {
            if (name.endsWith(suffix)) {
                String f = name.substring(0, name.length() - suffix.length());
                if (types.containsKey(f)) {
                    return f;
                }
            }
        }
        return null;
    }

    private static void require(boolean ok, int lineNo, String line) {
        if (!ok) {
            throw new IllegalArgumentException("bad exposition line " + lineNo + ": " + line);
        }
    }

    /** The value of {@code name} with exactly {@code labels} ("k=v" pairs), or NaN when absent. */
    double value(String name, String... labels) {
        TreeMap<String, String> l = new TreeMap<>();
        for (String kv : labels) {
            String[] p = kv.split("=", 2);
            l.put(p[0], p[1]);
        }
        Double v = samples.get(name + l);
        return v == null ? Double.NaN : v;
    }

    /** The sum of every series of {@code name} (whatever its labels). */
    double sum(String name) {
        double s = 0;
        boolean any = false;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String k = e.getKey();
            if (k.equals(name + "{}") || k.startsWith(name + "{")) {
                s += e.getValue();
                any = true;
            }
        }
        return any ? s : Double.NaN;
    }

    boolean has(String name) {
        return !Double.isNaN(sum(name));
    }
}
