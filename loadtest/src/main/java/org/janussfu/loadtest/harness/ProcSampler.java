package org.janussfu.loadtest.harness;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads what Linux says about a process and about UDP: CPU time (utime + stime, /proc/PID/stat fields 14–15, in
 * clock ticks of 1/100 s), resident memory and threads (/proc/PID/status VmRSS, Threads), open file descriptors
 * (entries of /proc/PID/fd), and the UDP counters InDatagrams, OutDatagrams, InErrors, RcvbufErrors, SndbufErrors
 * (/proc/net/snmp, system-wide). Stateless reads; any thread (the {@link Runner}'s sampler calls it once a second).
 */
final class ProcSampler {
    static final double TICKS_PER_SECOND = 100.0;

    private ProcSampler() {
    }

    /** A snapshot of one process. */
    record Proc(long cpuTicks, long rssKb, int threads, int fds, boolean alive) {
    }

    /** UDP counters (system-wide). */
    record Udp(long inDatagrams, long outDatagrams, long inErrors, long rcvbufErrors, long sndbufErrors) {
        Udp minus(Udp o) {
            return new Udp(inDatagrams - o.inDatagrams, outDatagrams - o.outDatagrams, inErrors - o.inErrors,
                    rcvbufErrors - o.rcvbufErrors, sndbufErrors - o.sndbufErrors);
        }
    }

    static Proc proc(long pid) {
        if (pid <= 0) {
            return new Proc(0, 0, 0, 0, false);
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long rss = 0;
            int threads = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
            String[] fds = new File("/proc/" + pid + "/fd").list();
            return new Proc(ticks, rss, threads, fds == null ? 0 : fds.length, true);
        } catch (Exception e) {
            return new Proc(0, 0, 0, 0, false);
        }
    }

    static Udp udp() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                    List<String> keys = List.of(lines.get(i).split("\\s+"));
                    String[] vals = lines.get(i + 1).split("\\s+");
                    return new Udp(val(keys, vals, "InDatagrams"), val(keys, vals, "OutDatagrams"),
                            val(keys, vals, "InErrors"), val(keys, vals, "RcvbufErrors"), val(keys, vals, "SndbufErrors"));
                }
            }
        } catch (Exception e) {
            // fall through
        }
        return new Udp(0, 0, 0, 0, 0);
    }

    private static long val(List<String> keys, String[] vals, String key) {
        int i = keys.indexOf(key);
        return i < 0 || i >= vals.length ? 0 : Long.parseLong(vals[i]);
    }
}
