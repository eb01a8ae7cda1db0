package org.janussfu.loadtest.abuse;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One janus-sfu process started by the abuse script: {@code java -Xmx512m -XX:+ExitOnOutOfMemoryError -jar} with
 * the default configuration except loopback addresses and the ports, under the file-descriptor limit the script
 * was given (the environment's, not the attacker's raised one), pinned to CPU 0 when {@code taskset} exists,
 * stdout and stderr into one log file. Reads what Linux and the JVM say about it: {@code /proc/<pid>/status}
 * (VmRSS, Threads), {@code /proc/<pid>/fd}, and heap used after a full GC ({@code jcmd GC.run}, then
 * {@code jcmd GC.heap_info}). Stops it with SIGTERM and notes whether that was enough. Used from the driver
 * thread and the sampler thread; the reads are stateless.
 */
final class ServerProcess {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    record Proc(boolean alive, long rssKb, int threads, int fds) {
    }

    final Path log;
    final int wsPort;
    final int httpPort;
    private final Process process;
    final long pid;

    private ServerProcess(Process process, Path log, int wsPort, int httpPort) {
        this.process = process;
        this.pid = process.pid();
        this.log = log;
        this.wsPort = wsPort;
        this.httpPort = httpPort;
    }

    static ServerProcess start(Path jar, int wsPort, int httpPort, int nofile, Path log, Path gcLog) throws IOException {
        String taskset = new File("/usr/bin/taskset").canExecute() ? "taskset -c 0 " : "";
        String cmd = (nofile > 0 ? "ulimit -n " + nofile + " 2>/dev/null; " : "")
                + "exec " + taskset + "java -Xmx512m -XX:+ExitOnOutOfMemoryError"
                + " -Xlog:gc:file=" + gcLog + ":timemillis,uptime " + System.getenv().getOrDefault("ABUSE_SERVER_JAVA_OPTS", "")
                + " -jar " + jar;
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        var env = pb.environment();
        env.put("JANUS_SFU_TRANSPORT_WS_HOST", "127.0.0.1");
        env.put("JANUS_SFU_TRANSPORT_WS_PORT", Integer.toString(wsPort));
        env.put("JANUS_SFU_TRANSPORT_HTTP_HOST", "127.0.0.1");
        env.put("JANUS_SFU_TRANSPORT_HTTP_PORT", Integer.toString(httpPort));
        env.put("JANUS_SFU_WEBRTC_ICE_BIND_ADDRESSES", "127.0.0.1");
        env.put("JANUS_SFU_WEBRTC_ICE_PORT", "0");
        // the admin listener on free ports: runs beside another server (a soak) on the same box must not collide
        env.put("JANUS_SFU_ADMIN_HTTP_PORT", "0");
        env.put("JANUS_SFU_ADMIN_WS_PORT", "0");
        env.put("JANUS_SFU_LOG_LEVEL", "INFO");
        return new ServerProcess(pb.start(), log, wsPort, httpPort);
    }

    /** Waits until both ports accept a connection; false if the process died or {@code seconds} passed. */
    boolean awaitReady(int seconds) {
        long end = System.currentTimeMillis() + seconds * 1000L;
        boolean ws = false;
        boolean http = false;
        while (System.currentTimeMillis() < end && process.isAlive()) {
            ws = ws || canConnect(wsPort);
            http = http || canConnect(httpPort);
            if (ws && http) {
                return true;
            }
            Sleep.ms(200);
        }
        return false;
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** VmRSS, Threads and the number of open fds, read without touching the JVM (no GC, no attach). */
    Proc proc() {
        if (!process.isAlive()) {
            return new Proc(false, 0, 0, 0);
        }
        long rss = 0;
        int threads = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return new Proc(process.isAlive(), 0, 0, 0);
        }
        String[] fds = new File("/proc/" + pid + "/fd").list();
        if (!process.isAlive() || fds == null) {
            return new Proc(false, 0, 0, 0); // it died while we read
        }
        return new Proc(true, rss, threads, fds.length);
    }

    /** The heap line of the last {@code GC.heap_info}. */
    volatile String lastHeapInfo = "";

    /** Forces a full GC and returns heap used after it in KB, or -1 if the process is gone or jcmd failed. */
    long heapAfterGcKb() {
        if (!process.isAlive() || jcmd("GC.run") == null) {
            return -1;
        }
        String info = jcmd("GC.heap_info");
        if (info == null) {
            return -1;
        }
        // One line per heap or generation (G1: "garbage-first heap"; Serial: "def new generation" + "tenured
        // generation"; Parallel: PSYoungGen + ParOldGen), each "total NK, used NK"; Metaspace is not heap.
        long used = -1;
        StringBuilder lines = new StringBuilder();
        for (String l : info.lines().toList()) {
            Matcher m = USED.matcher(l);
            if (!l.contains("Metaspace") && !l.contains("class space") && m.find()) {
                used = Math.max(used, 0) + Long.parseLong(m.group(1));
                lines.append(lines.length() == 0 ? "" : "; ").append(l.trim().replaceAll(" \\[.*", ""));
            }
        }
        lastHeapInfo = lines.toString();
        return used;
    }

    private String jcmd(String what) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), what).redirectErrorStream(true).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    long logBytes() {
        return log.toFile().length();
    }

    /** Lines the log gained between two byte offsets. */
    long logLines(long from, long to) {
        long n = 0;
        try (var ch = java.nio.channels.FileChannel.open(log)) {
            ch.position(from);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 16);
            long left = to - from;
            while (left > 0) {
                b.clear();
                if (left < b.capacity()) {
                    b.limit((int) left);
                }
                int r = ch.read(b);
                if (r <= 0) {
                    break;
                }
                for (int i = 0; i < r; i++) {
                    if (b.get(i) == '\n') {
                        n++;
                    }
                }
                left -= r;
            }
        } catch (IOException e) {
            return -1;
        }
        return n;
    }

    /** Log lines (at most {@code max}) that mention {@code needle}, e.g. OutOfMemoryError. */
    List<String> grep(String needle, int max) {
        List<String> hits = new ArrayList<>();
        try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            lines.filter(l -> l.contains(needle)).limit(max).forEach(l -> hits.add(Report.clip(l, 300)));
        } catch (IOException | java.io.UncheckedIOException e) {
            hits.add("(log unreadable: " + e.getMessage() + ")");
        }
        return hits;
    }

    /** SIGTERM; waits up to 15 s. Returns the exit code, or a negative number if SIGKILL was needed. */
    int stop() {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroy();
        try {
            if (process.waitFor(15, TimeUnit.SECONDS)) {
                return process.exitValue();
            }
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return -9;
    }

    Integer exitCodeIfDead() {
        return process.isAlive() ? null : process.exitValue();
    }
}
