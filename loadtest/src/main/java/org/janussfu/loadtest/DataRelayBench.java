package org.janussfu.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.janussfu.webrtc.MediaEngine;
import org.janussfu.webrtc.WebRtcConfig;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Data-channel relay benchmark (issue #6): N simulated participants (real ICE/DTLS/SCTP, {@link Participant}) join
 * one room and each sends M messages per second on its "unreliable" channel, as networked-aframe does (15/s); every
 * message carries its send time and receivers record the relay latency. Reports messages relayed per second, loss
 * and latency percentiles, and the server's CPU when given its pid. Loopback only; bounded by --seconds.
 */
public final class DataRelayBench {
    public static void main(String[] argv) throws Exception {
        int port = 8188;
        int users = 25;
        int rate = 15;
        int seconds = 20;
        int size = 120;
        String label = "unreliable";
        long serverPid = 0;
        String out = null;
        for (int i = 0; i + 1 < argv.length; i += 2) {
            String v = argv[i + 1];
            switch (argv[i]) {
                case "--port" -> port = Integer.parseInt(v);
                case "--users" -> users = Math.min(100, Integer.parseInt(v));
                case "--rate" -> rate = Math.min(100, Integer.parseInt(v));
                case "--seconds" -> seconds = Math.min(600, Integer.parseInt(v));
                case "--size" -> size = Math.max(16, Math.min(60000, Integer.parseInt(v)));
                case "--label" -> label = v;
                case "--server-pid" -> serverPid = Long.parseLong(v);
                case "--out" -> out = v;
                default -> throw new IllegalArgumentException("unknown option " + argv[i]);
            }
        }
        java.util.logging.Logger.getLogger("org.jitsi").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("org.ice4j").setLevel(java.util.logging.Level.WARNING);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        MediaEngine engine = new MediaEngine(WebRtcConfig.loopback(0));
        engine.bind(vertx);
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000));
        Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(10), 3);
        LongAdder received = new LongAdder();
        LongAdder sent = new LongAdder();
        boolean[] measuring = {false};
        List<Participant> ps = new ArrayList<>();
        Histogram joins = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        for (int i = 0; i < users; i++) {
            Context ctx = vertx.getOrCreateContext();
            Participant p = new Participant(ctx, engine, "u" + i, msg -> {
                if (measuring[0] && msg.length >= 8) {
                    latency.recordValue(Math.max(0, System.nanoTime() - ByteBuffer.wrap(msg).getLong(0)));
                    received.increment();
                }
            });
            ps.add(p);
            int wsPort = port;
            java.util.concurrent.CompletableFuture<Void> joined = new java.util.concurrent.CompletableFuture<>();
            ctx.runOnContext(v -> p.join(client, "127.0.0.1", wsPort, "bench").onComplete(ar -> {
                if (ar.succeeded()) {
                    joined.complete(null);
                } else {
                    joined.completeExceptionally(ar.cause());
                }
            }));
            joined.get(30, TimeUnit.SECONDS);
            joins.recordValue(p.joinLatencyNanos);
        }
        System.out.printf(Locale.ROOT, "%d participants joined (join reply p50 %.1f ms)%n", users, joins.getValueAtPercentile(50) / 1e6);
        long periodMs = Math.max(1, 1000 / rate);
        int msgSize = size;
        String channel = label;
        List<Long> timers = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            Participant p = ps.get(i);
            int sender = i;
            int[] seq = {0};
            timers.add(vertx.setPeriodic(periodMs + (i % 7), id -> {
                ByteBuffer b = ByteBuffer.allocate(msgSize);
                b.putLong(System.nanoTime()).putInt(sender).putInt(seq[0]++);
                if (measuring[0]) {
                    sent.increment();
                }
                p.send(channel, b.array());
            }));
        }
        Thread.sleep(3000);
        latency.getIntervalHistogram();
        long cpu0 = cpuTicks(serverPid);
        long t0 = System.nanoTime();
        measuring[0] = true;
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        measuring[0] = false;
        long elapsed = System.nanoTime() - t0;
        long cpu = cpuTicks(serverPid) - cpu0;
        Thread.sleep(500);
        timers.forEach(vertx::cancelTimer);
        Histogram h = latency.getIntervalHistogram();
        long expected = sent.sum() * (users - 1);
        double loss = expected == 0 ? 0 : 100.0 * Math.max(0, expected - received.sum()) / expected;
        double relayed = received.sum() / (elapsed / 1e9);
        String json = String.format(Locale.ROOT, "{\"users\":%d,\"rate_per_user\":%d,\"size\":%d,\"label\":\"%s\",\"seconds\":%.1f,"
                        + "\"sent\":%d,\"received\":%d,\"expected\":%d,\"loss_pct\":%.3f,\"relayed_per_second\":%.0f,"
                        + "\"latency_ms\":{\"p50\":%.2f,\"p90\":%.2f,\"p99\":%.2f,\"p999\":%.2f,\"max\":%.2f},"
                        + "\"join_ms\":{\"p50\":%.1f,\"p99\":%.1f},\"server_cpu_s\":%.2f,\"server_cpu_us_per_relayed\":%.2f}",
                users, rate, msgSize, label, elapsed / 1e9, sent.sum(), received.sum(), expected, loss, relayed,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6, joins.getValueAtPercentile(50) / 1e6,
                joins.getValueAtPercentile(99) / 1e6, cpu / 100.0, serverPid > 0 ? cpu / 100.0 * 1e6 / Math.max(1, received.sum()) : -1.0);
        System.out.println("RESULT " + json);
        if (out != null) {
            Files.writeString(Path.of(out), json + "\n");
        }
        ps.forEach(Participant::close);
        Thread.sleep(300);
        client.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        engine.close();
    }

    static long cpuTicks(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return 0;
        }
    }
}
