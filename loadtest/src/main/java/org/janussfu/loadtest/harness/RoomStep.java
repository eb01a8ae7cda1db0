package org.janussfu.loadtest.harness;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import org.janussfu.webrtc.MediaEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One step of a media scenario at a given N: creates the rooms' simulated users (joining {@code join_interval_ms}
 * apart), waits until every publisher and subscription is up (bounded by {@code setup_timeout_s}), lets media flow
 * for {@code warmup_s}, measures for {@code duration_s} (printing a progress line each second and, for churn, making
 * one user leave and rejoin every {@code churn.interval_s}), drains for one second, then collects and closes
 * everything and hands the numbers to {@link StepReport}. Thread: the Runner's (main) thread; users run on their
 * own contexts and are reached through {@link SimUser#onContext}.
 */
final class RoomStep {
    private final Vertx vertx;
    private final MediaEngine engine;
    private final WebSocketClient client;
    private final Scenario sc;
    private final int n;
    private final int port;
    private final long serverPid;
    private final String server;
    private final Metrics metrics = new Metrics();
    private final List<SimUser> users = new ArrayList<>();
    private final List<SimUser> departed = new ArrayList<>();
    private int nextIndex;
    private Nodes nodes; // null: one server

    RoomStep(Vertx vertx, MediaEngine engine, WebSocketClient client, Scenario sc, int n, int port, long serverPid,
             String server) {
        this.vertx = vertx;
        this.engine = engine;
        this.client = client;
        this.sc = sc;
        this.n = n;
        this.port = port;
        this.serverPid = serverPid;
        this.server = server;
    }

    /** A clustered run: users spread over {@code nodes} by index; per-node CPU and cross-node numbers reported. */
    RoomStep withNodes(Nodes nodes) {
        this.nodes = nodes;
        if (nodes != null) {
            metrics.nodes = Math.min(nodes.count(), metrics.arrivalsByNode.length);
        }
        return this;
    }

    private SimUser newUser(int room, int slot, String stepTag) {
        int publishers = sc.publishers(n);
        boolean viewer = slot >= publishers;
        boolean talker = !viewer && slot < sc.talkers(n);
        String id = (viewer ? "view-" : "u") + room + "-" + slot + "-" + (nextIndex);
        int expected = viewer ? publishers : publishers - 1;
        SimUser.Spec spec = new SimUser.Spec(stepTag + "-r" + room, id, nextIndex++, talker, sc.audioBytes(), sc.audioPps(),
                talker ? sc.videoKbps() : 0, sc.videoBytes(), viewer ? 0 : sc.dataRate(), sc.dataBytes(), viewer, expected);
        return new SimUser(vertx.getOrCreateContext(), engine, client, nodes == null ? port : nodes.wsPort(spec.index()),
                spec, metrics);
    }

    private void startUser(SimUser u) {
        u.onContext(() -> u.start().onFailure(e -> {
            metrics.setupFailures.increment();
            metrics.error(u.spec.userId() + " join failed: " + e.getMessage());
        }));
    }

    private ProcSampler.Proc[] nodeProcs() {
        if (nodes == null) {
            return new ProcSampler.Proc[0];
        }
        ProcSampler.Proc[] p = new ProcSampler.Proc[nodes.count()];
        for (int i = 0; i < p.length; i++) {
            p[i] = ProcSampler.proc(nodes.pids()[i]);
        }
        return p;
    }

    /**
     * Per node: CPU, cores and CPU per packet its users received (every packet a user gets was sent by its node);
     * cross-node RTP packets per second (the nodes' /metrics) and the one-way latency of same-node vs cross-node
     * streams.
     */
    private void clusterReport(ObjectNode result, ProcSampler.Proc[] p0, ProcSampler.Proc[] p1, long cross0, long cross1,
                               double seconds) {
        ObjectNode c = result.putObject("cluster");
        com.fasterxml.jackson.databind.node.ArrayNode list = c.putArray("nodes");
        for (int i = 0; i < p0.length; i++) {
            double cpu = (p1[i].cpuTicks() - p0[i].cpuTicks()) / ProcSampler.TICKS_PER_SECOND;
            long received = i < metrics.arrivalsByNode.length ? metrics.arrivalsByNode[i].sum() : 0;
            list.addObject().put("pid", nodes.pids()[i]).put("ws_port", nodes.wsPorts()[i])
                    .put("cpu_s", cpu).put("cores", cpu / seconds).put("packets_to_its_users", received)
                    .put("cpu_us_per_forwarded", received == 0 ? -1 : cpu * 1e6 / received)
                    .put("rss_mb", p1[i].rssKb() / 1024.0).put("threads", p1[i].threads());
        }
        c.put("cross_node_rtp_per_second", cross0 < 0 || cross1 < 0 ? -1 : (cross1 - cross0) / seconds);
        String[] by = {"rtp", "data"};
        org.HdrHistogram.Histogram[] s = new org.HdrHistogram.Histogram[by.length];
        org.HdrHistogram.Histogram[] x = new org.HdrHistogram.Histogram[by.length];
        for (int k = 0; k < by.length; k++) {
            s[k] = metrics.sameNodeBy[k].getIntervalHistogram();
            x[k] = metrics.crossNodeBy[k].getIntervalHistogram();
        }
        org.HdrHistogram.Histogram same = s[0].copy();
        org.HdrHistogram.Histogram cross = x[0].copy();
        same.add(s[1]);
        cross.add(x[1]);
        c.put("same_node_p50_ms", same.getValueAtPercentile(50) / 1000.0)
                .put("same_node_p99_ms", same.getValueAtPercentile(99) / 1000.0)
                .put("cross_node_p50_ms", cross.getValueAtPercentile(50) / 1000.0)
                .put("cross_node_p99_ms", cross.getValueAtPercentile(99) / 1000.0)
                .put("same_node_samples", same.getTotalCount()).put("cross_node_samples", cross.getTotalCount());
        for (int k = 0; k < by.length; k++) {
            c.put("same_node_" + by[k] + "_p50_ms", s[k].getValueAtPercentile(50) / 1000.0)
                    .put("same_node_" + by[k] + "_p99_ms", s[k].getValueAtPercentile(99) / 1000.0)
                    .put("cross_node_" + by[k] + "_p50_ms", x[k].getValueAtPercentile(50) / 1000.0)
                    .put("cross_node_" + by[k] + "_p99_ms", x[k].getValueAtPercentile(99) / 1000.0);
        }
        System.out.printf(Locale.ROOT, "[cluster] %s%n", clusterLine(c));
    }

    /**
     * One line for a clustered step: every node's CPU (cores, µs per packet its users received, RSS), the cross-node
     * RTP rate, and the p99 one-way latency of same-node and cross-node RTP and data with the gap between them.
     */
    static String clusterLine(ObjectNode c) {
        StringBuilder b = new StringBuilder("nodes");
        char name = 'A';
        for (com.fasterxml.jackson.databind.JsonNode node : c.path("nodes")) {
            b.append(String.format(Locale.ROOT, " %c %.2f core %.1f µs/pkt %.0f MB;", name++, node.path("cores").asDouble(),
                    node.path("cpu_us_per_forwarded").asDouble(), node.path("rss_mb").asDouble()));
        }
        b.append(String.format(Locale.ROOT, " cross-node RTP %.0f/s;", c.path("cross_node_rtp_per_second").asDouble()));
        for (String k : new String[] {"rtp", "data"}) {
            double same = c.path("same_node_" + k + "_p99_ms").asDouble();
            double cross = c.path("cross_node_" + k + "_p99_ms").asDouble();
            b.append(String.format(Locale.ROOT, " %s p99 same %.2f cross %.2f ms (gap %+.2f);", k, same, cross, cross - same));
        }
        b.setLength(b.length() - 1);
        return b.toString();
    }

    ObjectNode run(long deadlineNanos) throws Exception {
        String tag = sc.name() + "-" + n + "-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        int rooms = sc.rooms(n);
        int perRoom = sc.users(n);
        int total = rooms * perRoom;
        long expectedSubs = (long) rooms * (perRoom * (long) sc.publishers(n) - sc.publishers(n));
        System.out.printf(Locale.ROOT, "[%s] N=%d: %d room(s) x %d users, %d subscriptions expected%n", server, n, rooms,
                perRoom, expectedSubs);
        ProcSampler.Proc srv0 = ProcSampler.proc(serverPid);
        long gen = ProcessHandle.current().pid();
        long setupStart = System.nanoTime();
        for (int r = 0; r < rooms; r++) {
            for (int s = 0; s < perRoom; s++) {
                SimUser u = newUser(r, s, tag);
                users.add(u);
            }
        }
        // interleave rooms so that all rooms fill at once
        for (int s = 0; s < perRoom; s++) {
            for (int r = 0; r < rooms; r++) {
                startUser(users.get(r * perRoom + s));
                if (sc.joinIntervalMs() > 0) {
                    Thread.sleep(sc.joinIntervalMs());
                }
            }
        }
        long setupDeadline = Math.min(deadlineNanos, System.nanoTime() + TimeUnit.SECONDS.toNanos(sc.setupTimeoutS()));
        // wait until everything is up, or failed, or nothing progressed for 20 s, or the setup timeout
        long progress = -1;
        long progressAt = System.nanoTime();
        while (System.nanoTime() < setupDeadline
                && metrics.publishersUp.sum() + metrics.subscriptionsUp.sum() + metrics.setupFailures.sum() < total + expectedSubs) {
            Thread.sleep(100);
            long p = metrics.publishersUp.sum() + metrics.subscriptionsUp.sum();
            if (p != progress) {
                progress = p;
                progressAt = System.nanoTime();
            } else if (System.nanoTime() - progressAt > TimeUnit.SECONDS.toNanos(20)) {
                break;
            }
        }
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
        ProcSampler.Proc srvSetup = ProcSampler.proc(serverPid);
        System.out.printf(Locale.ROOT, "[%s] N=%d: %d/%d publishers, %d/%d subscriptions up after %.1f s (server CPU %.1f s)%n",
                server, n, metrics.publishersUp.sum(), total, metrics.subscriptionsUp.sum(), expectedSubs, setupSeconds,
                (srvSetup.cpuTicks() - srv0.cpuTicks()) / ProcSampler.TICKS_PER_SECOND);
        for (SimUser u : users) {
            u.onContext(u::startSending);
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(sc.warmupS()));
        for (var rec : metrics.latency) {
            rec.reset();
        }
        for (int k = 0; k < 2; k++) {
            metrics.sameNodeBy[k].reset();
            metrics.crossNodeBy[k].reset();
        }
        ProcSampler.Proc[] nodes0 = nodeProcs();
        long cross0 = nodes == null ? -1 : nodes.crossNodeRtpSent();
        ProcSampler.Proc s0 = ProcSampler.proc(serverPid);
        ProcSampler.Proc g0 = ProcSampler.proc(gen);
        ProcSampler.Udp u0 = ProcSampler.udp();
        long t0 = System.nanoTime();
        long windowStartMs = System.currentTimeMillis();
        metrics.measuring = true;
        StepReport.Peaks peaks = new StepReport.Peaks();
        ProcSampler.Proc ps = s0;
        ProcSampler.Proc pg = g0;
        long pa = metrics.arrivals.sum();
        long last = t0;
        Random rnd = new Random(7);
        int churnEvents = 0;
        int abrupt = 0;
        long nextChurn = t0 + TimeUnit.SECONDS.toNanos(Math.max(1, sc.churnIntervalS()));
        long end = Math.min(deadlineNanos, t0 + TimeUnit.SECONDS.toNanos(sc.durationS()));
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
            long now = System.nanoTime();
            double dt = (now - last) / 1e9;
            ProcSampler.Proc s = ProcSampler.proc(serverPid);
            ProcSampler.Proc g = ProcSampler.proc(gen);
            long a = metrics.arrivals.sum();
            double sc1 = (s.cpuTicks() - ps.cpuTicks()) / ProcSampler.TICKS_PER_SECOND / dt;
            double gc1 = (g.cpuTicks() - pg.cpuTicks()) / ProcSampler.TICKS_PER_SECOND / dt;
            peaks.add(s, g, sc1, gc1);
            System.out.printf(Locale.ROOT, "[%s] N=%d t=%3.0fs  rx %7.0f pkt/s  server %.2f core %5.0f MB %4d thr %5d fd"
                            + "  generator %.2f core  errors %d%n", server, n, (now - t0) / 1e9, (a - pa) / dt, sc1,
                    s.rssKb() / 1024.0, s.threads(), s.fds(), gc1, metrics.failures.sum());
            if (!s.alive() && serverPid > 0) {
                metrics.error("server process " + serverPid + " is gone");
                break;
            }
            ps = s;
            pg = g;
            pa = a;
            last = now;
            if (sc.churn() && churnEvents < sc.churnMaxEvents() && now >= nextChurn && !users.isEmpty()) {
                churnEvents++;
                nextChurn = now + TimeUnit.SECONDS.toNanos(sc.churnIntervalS());
                int k = rnd.nextInt(users.size());
                SimUser gone = users.remove(k);
                if (sc.abruptDeparture(churnEvents)) {
                    boolean dropSocket = (churnEvents / Math.max(1, sc.churnAbruptEvery())) % 2 == 1;
                    gone.onContext(() -> gone.vanish(dropSocket));
                    abrupt++;
                } else {
                    gone.onContext(gone::close);
                }
                departed.add(gone);
                String[] parts = gone.spec.userId().split("-");
                SimUser back = newUser(Integer.parseInt(parts[0].replaceAll("[^0-9]", "")), Integer.parseInt(parts[1]), tag);
                users.add(back);
                vertx.setTimer(300, id -> {
                    startUser(back);
                    vertx.setTimer(3000, id2 -> back.onContext(back::startSending));
                });
            }
        }
        metrics.measuring = false;
        long t1 = System.nanoTime();
        long windowEndMs = System.currentTimeMillis();
        ProcSampler.Proc s1 = ProcSampler.proc(serverPid);
        ProcSampler.Proc[] nodes1 = nodeProcs();
        long cross1 = nodes == null ? -1 : nodes.crossNodeRtpSent();
        ProcSampler.Proc g1 = ProcSampler.proc(gen);
        ProcSampler.Udp u1 = ProcSampler.udp();
        Thread.sleep(1000);
        for (SimUser u : users) {
            u.onContext(u::stopSending);
        }
        Thread.sleep(200);
        List<SimUser> all = new ArrayList<>(users);
        all.addAll(departed);
        List<List<StreamStats>> streams = new ArrayList<>();
        for (SimUser u : all) {
            CompletableFuture<List<StreamStats>> f = new CompletableFuture<>();
            u.onContext(() -> f.complete(u.streams()));
            streams.add(f.get(10, TimeUnit.SECONDS));
        }
        ObjectNode result = StepReport.build(sc, n, server, all, streams, metrics, (t1 - t0) / 1e9, setupSeconds,
                expectedSubs, s0, s1, g0, g1, u1.minus(u0), peaks, srv0, srvSetup, churnEvents);
        // Wall-clock bounds of the measurement window, for matching GC pauses in the JVMs' logs (GcLog, in Report).
        result.put("window_start_ms", windowStartMs).put("window_end_ms", windowEndMs);
        if (nodes != null) {
            clusterReport(result, nodes0, nodes1, cross0, cross1, (t1 - t0) / 1e9);
        }
        result.put("churn_abrupt", abrupt);
        for (SimUser u : users) {
            u.onContext(u::close);
        }
        for (SimUser u : departed) {
            if (u.vanished()) {
                u.onContext(u::close);
            }
        }
        Thread.sleep(1500 + 20L * total);
        ProcSampler.Proc after = ProcSampler.proc(serverPid);
        result.with("server").put("threads_after_close", after.threads()).put("fds_after_close", after.fds())
                .put("rss_mb_after_close", after.rssKb() / 1024.0);
        return result;
    }
}
