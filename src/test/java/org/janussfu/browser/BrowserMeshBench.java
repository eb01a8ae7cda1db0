package org.janussfu.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The browser-mesh benchmark of issue 13, driven by {@code loadtest/run-browser-mesh} (never by {@code mvn verify}:
 * the class name matches neither surefire's nor failsafe's patterns). {@code mesh.peers} minijanus peers in one
 * headless Chromium, each publishing fake audio + video and subscribing to every other (a full mesh: peers × (peers
 * − 1) subscriptions), against the server at {@code mesh.ws} (janus-sfu or Janus 1.1.2 with the original plugin).
 * After {@code mesh.warmup} seconds it measures {@code mesh.seconds}: the server's CPU time from
 * {@code /proc/<mesh.pid>/stat} and the packets every subscription received (getStats {@code packetsReceived}, audio +
 * video) — the forwarded packets, counted the same way for both servers — and writes CPU per forwarded packet to
 * {@code mesh.out} as JSON. JUnit thread; bounded by the timeouts below.
 */
class BrowserMeshBench {
    private static final long TICKS = 100; // USER_HZ on Linux

    @Test
    void mesh() throws Exception {
        String ws = System.getProperty("mesh.ws");
        long pid = Long.parseLong(System.getProperty("mesh.pid"));
        int peers = Integer.getInteger("mesh.peers", 4);
        int warmup = Integer.getInteger("mesh.warmup", 10);
        int seconds = Integer.getInteger("mesh.seconds", 20);
        Path out = Path.of(System.getProperty("mesh.out"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            ids.add("peer" + i);
        }
        Vertx vertx = Vertx.vertx();
        try (Browser b = Browser.start(vertx, Map.of(
                "/room.html", Path.of("src/test/resources/browser/room.html"),
                "/minijanus.js", Browser.module("minijanus/bundle.js")))) {
            b.open("/room.html");
            long t0 = System.nanoTime();
            b.js("window.startTest(arguments[0]);", Map.of("ws", ws, "room", "mesh", "ids", ids));
            b.await("window.state.ready || window.state.error", 90_000);
            Object error = b.js("return window.state.error;");
            assertTrue(error == null, "mesh set-up: " + error);
            double setup = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(warmup * 1000L);
            Map<String, Map<String, Number>> s0 = BrowserRoomIT.stats(b);
            long cpu0 = cpuTicks(pid);
            Map<String, Long> threads0 = threadTicks(pid);
            long w0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            Map<String, Map<String, Number>> s1 = BrowserRoomIT.stats(b);
            long cpu1 = cpuTicks(pid);
            Map<String, Long> threads1 = threadTicks(pid);
            double wall = (System.nanoTime() - w0) / 1e9;
            long packets = 0;
            int flowing = 0;
            for (String pair : s1.keySet()) {
                long d = BrowserRoomIT.get(s1, pair, "packets") - BrowserRoomIT.get(s0, pair, "packets");
                packets += d;
                flowing += d > 0 ? 1 : 0;
            }
            double cpuSeconds = (cpu1 - cpu0) / (double) TICKS;
            ObjectNode r = new ObjectMapper().createObjectNode();
            r.put("peers", peers).put("subscriptions", s1.size()).put("subscriptions_flowing", flowing)
                    .put("setup_seconds", setup).put("seconds", wall).put("forwarded_packets", packets)
                    .put("forwarded_per_second", packets / wall).put("server_cpu_seconds", cpuSeconds)
                    .put("server_cores", cpuSeconds / wall)
                    .put("cpu_us_per_forwarded", packets == 0 ? -1 : cpuSeconds * 1e6 / packets);
            // Where it goes: CPU per forwarded packet by thread name (digits folded; "(system)": its kernel part), largest first.
            ObjectNode byThread = r.putObject("cpu_us_per_forwarded_by_thread");
            long forwarded = Math.max(1, packets);
            threads1.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                    .forEach(e -> byThread.put(e.getKey(), Math.round(e.getValue() * 1e7 / TICKS / forwarded) / 10.0));
            Files.writeString(out, r.toPrettyString());
            System.out.println("mesh: " + r);
            assertTrue(flowing == peers * (peers - 1), "every subscription received media: " + flowing);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    /** utime + stime of every thread of a process by name (digits folded to N), and stime alone as "name (system)", in clock ticks. */
    private static Map<String, Long> threadTicks(long pid) throws Exception {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
                    long[] ticks = ticks(stat);
                    out.merge(name, ticks[0] + ticks[1], Long::sum);
                    out.merge(name + " (system)", ticks[1], Long::sum);
                } catch (java.io.IOException gone) {
                    // the thread ended between list and read
                }
            }
        }
        return out;
    }

    /** utime + stime of a process, in clock ticks (proc(5), fields 14 and 15). */
    private static long cpuTicks(long pid) throws Exception {
        long[] t = ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        return t[0] + t[1];
    }

    /** {utime, stime} of a process's or a thread's {@code stat} line (proc(5), fields 14 and 15). */
    private static long[] ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[]{Long.parseLong(f[11]), Long.parseLong(f[12])};
    }
}
