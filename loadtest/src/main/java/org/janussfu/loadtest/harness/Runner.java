package org.janussfu.loadtest.harness;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import org.janussfu.webrtc.MediaEngine;
import org.janussfu.webrtc.WebRtcConfig;

import org.janussfu.webrtc.ice.IceConfig;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's entry point (started by loadtest/run, pinned to CPU 1): runs one scenario's steps against one
 * server on 127.0.0.1, stops a sweep at the first step outside the scenario's bounds, and writes
 * {@code <out>} (scenario, host, steps). Exit status: 0, or 3 when the scenario has {@code fail_on_thresholds} and a
 * step failed them, or 2 on an error. The whole run is bounded by the scenario's {@code max_seconds}. Thread: main;
 * the simulated users run on a 2-event-loop Vert.x instance.
 * Usage: Runner --scenario F --server NAME --port P[,P2...] --server-pid PID[,PID2...] [--metrics-port A[,A2...]]
 *     --out F.json [--ice-bind ADDR] (several ports: a cluster, users spread over the nodes by index)
 * ({@code --ice-bind}: the address of the simulated peers' ICE sockets, 127.0.0.1 unless the server only offers a
 * private address, as Janus does inside the harness's network namespace.)
 */
public final class Runner {
    public static void main(String[] argv) throws Exception {
        String scenarioFile = null;
        String server = "server";
        int port = 8188;
        long pid = 0;
        String out = null;
        String iceBind = "127.0.0.1";
        String ports = null;
        String pids = null;
        String metricsPorts = null;
        for (int i = 0; i + 1 < argv.length; i += 2) {
            String v = argv[i + 1];
            switch (argv[i]) {
                case "--scenario" -> scenarioFile = v;
                case "--server" -> server = v;
                case "--port" -> {
                    ports = v; // one port, or one per cluster node ("18390,18393")
                    port = Integer.parseInt(v.split(",")[0].trim());
                }
                case "--server-pid" -> {
                    pids = v;
                    pid = Long.parseLong(v.split(",")[0].trim());
                }
                case "--metrics-port" -> metricsPorts = v;
                case "--out" -> out = v;
                case "--ice-bind" -> iceBind = v;
                default -> throw new IllegalArgumentException("unknown option " + argv[i]);
            }
        }
        if (scenarioFile == null || out == null) {
            System.err.println("usage: Runner --scenario F --server NAME --port P --server-pid PID --out F.json");
            System.exit(2);
        }
        for (String l : new String[]{"org.jitsi", "org.ice4j", "org.janussfu"}) {
            java.util.logging.Logger.getLogger(l).setLevel(java.util.logging.Level.SEVERE);
        }
        Scenario sc = Scenario.load(Path.of(scenarioFile));
        Nodes nodes = Nodes.parse(ports, pids == null ? "0" : pids, metricsPorts);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(sc.maxSeconds());
        // NIO loops that wait for their send timers in whole milliseconds (Netty's poll before each of ~750 timers a
        // second in a room of 15 was ~18 % of the generator's CPU); LT_STOCK_NIO=1 runs Netty's loops for comparison.
        VertxOptions vo = new VertxOptions().setEventLoopPoolSize(2).setBlockedThreadCheckInterval(10_000);
        Vertx vertx = System.getenv("LT_STOCK_NIO") != null ? Vertx.vertx(vo) : Vertx.builder().with(vo)
                .withTransport(org.janussfu.transport.ParkingTransport.forLoadGenerator()).build();
        WebRtcConfig base = WebRtcConfig.loopback(0);
        InetAddress bind = InetAddress.getByName(iceBind);
        if (!bind.isLoopbackAddress() && !bind.isSiteLocalAddress()) {
            throw new IllegalArgumentException("--ice-bind must be a loopback or private address: " + iceBind);
        }
        IceConfig ice = new IceConfig(List.of(bind), 0, null, false, null, true, IceConfig.DEFAULT_CONNECT_TIMEOUT,
                IceConfig.DEFAULT_CONSENT_TIMEOUT);
        // Every simulated browser would have a DTLS thread of its own: the generator's handshakes must not queue.
        MediaEngine engine = new MediaEngine(base.withIce(ice).withDtlsHandshakeThreads(1024));
        engine.bind(vertx);
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(20_000)
                .setConnectTimeout(10_000));
        ObjectNode doc = JanusWs.JSON.createObjectNode();
        doc.put("server", server).put("scenario", sc.name()).put("description", sc.description())
                .put("started_utc", java.time.Instant.now().toString());
        doc.set("scenario_file", JanusWs.JSON.readTree(Files.readString(Path.of(scenarioFile))));
        doc.set("host", Host.describe());
        ArrayNode steps = doc.putArray("steps");
        boolean failed = false;
        int exit = 0;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(sc.maxSeconds() + 60));
                System.err.println("generator watchdog: max_seconds + 60 s passed; halting");
                Runtime.getRuntime().halt(2);
            } catch (InterruptedException e) {
                // normal end
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            if (sc.serverWarmupS() > 0 && !sc.signalling()) {
                Scenario w = sc.warmupStep();
                System.out.println("[" + server + "] warm-up step (not measured): N=" + w.steps().get(0) + " for "
                        + sc.serverWarmupS() + " s");
                ObjectNode r = new RoomStep(vertx, engine, client, w, w.steps().get(0), port, pid, server).withNodes(nodes)
                        .run(deadline);
                System.out.println("[" + server + "] warm-up " + oneLine(r));
            }
            for (int n : sc.steps()) {
                if (System.nanoTime() > deadline - TimeUnit.SECONDS.toNanos(5)) {
                    System.out.println("[" + server + "] time budget (max_seconds " + sc.maxSeconds() + ") used up; stopping");
                    doc.put("stopped", "time budget");
                    break;
                }
                ObjectNode r = sc.signalling()
                        ? SignallingStep.run(vertx, client, sc, n, port, pid, server, deadline)
                        : new RoomStep(vertx, engine, client, sc, n, port, pid, server).withNodes(nodes).run(deadline);
                steps.add(r);
                System.out.println("[" + server + "] STEP " + oneLine(r));
                Files.writeString(Path.of(out), doc.toPrettyString());
                failed |= !r.path("pass").asBoolean();
                if (!r.path("within_bounds").asBoolean() && sc.steps().size() > 1) {
                    doc.put("stopped", "N=" + n + " outside bounds: " + r.path("stop_reasons"));
                    System.out.println("[" + server + "] sweep stops: " + r.path("stop_reasons"));
                    break;
                }
                if (!ProcSampler.proc(pid).alive() && pid > 0) {
                    doc.put("stopped", "server process gone");
                    break;
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
            doc.put("error", String.valueOf(e));
            exit = 2;
        }
        doc.put("finished_utc", java.time.Instant.now().toString());
        Files.writeString(Path.of(out), doc.toPrettyString());
        if (exit == 0 && failed && sc.failOnThresholds()) {
            System.out.println("[" + server + "] FAIL: a step did not meet the scenario's thresholds");
            exit = 3;
        }
        try {
            client.close();
            vertx.close().await(10, TimeUnit.SECONDS);
            engine.close();
        } catch (Throwable t) {
            System.err.println("shutdown: " + t);
        }
        Runtime.getRuntime().halt(exit);
    }

    static String oneLine(ObjectNode r) {
        if (r.has("cycles")) {
            return String.format(Locale.ROOT, "N=%d cycles/s %.0f  cycle p50 %.1f ms p99 %.1f ms  server %.2f core  %.0f µs/cycle  errors %d",
                    r.path("n").asInt(), r.path("cycles_per_second").asDouble(), r.path("cycle_ms").path("p50").asDouble(),
                    r.path("cycle_ms").path("p99").asDouble(), r.path("server").path("cores").asDouble(),
                    r.path("cpu_us_per_cycle").asDouble(), r.path("errors").asLong());
        }
        return String.format(Locale.ROOT, "N=%d subs %d/%d  fwd %.0f/s  loss %.3f%%  p50 %.2f p99 %.2f ms  server %.2f core"
                        + "  %.2f µs/fwd  gen %.2f core  join p50 %.0f ms  ready p99 %.0f ms  %s",
                r.path("n").asInt(), r.path("subscriptions_up").asLong(), r.path("subscriptions_expected").asLong(),
                r.path("forwarded_per_second").asDouble(), r.path("loss_pct").asDouble(),
                r.path("latency_ms").path("p50").asDouble(), r.path("latency_ms").path("p99").asDouble(),
                r.path("server").path("cores").asDouble(), r.path("cpu_us_per_forwarded").asDouble(),
                r.path("generator").path("cores").asDouble(), r.path("join_ms").path("join_reply").path("p50").asDouble(),
                r.path("join_ms").path("user_ready").path("p99").asDouble(),
                r.path("pass").asBoolean() ? "pass" : "FAIL " + r.path("fail_reasons"))
                + (r.has("cluster") ? "\n    (server: node A)  cluster: " + RoomStep.clusterLine((ObjectNode) r.get("cluster")) : "");
    }
}
