package org.janussfu.loadtest.harness;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One step of the signalling-only scenario: N concurrent clients, each repeating a naf-like join cycle without media
 * — WebSocket connect + create, attach, join {notifications, data}, detach, close — for {@code duration_s} (and at
 * most 100,000 cycles each). Records cycle and join-reply latency and the server's CPU per cycle. Thread: the
 * Runner's thread drives; each client's chain runs on its own Vert.x context.
 */
final class SignallingStep {
    private SignallingStep() {
    }

    static ObjectNode run(Vertx vertx, WebSocketClient client, Scenario sc, int n, int port, long serverPid,
                          String server, long deadlineNanos) throws Exception {
        Recorder cycle = new Recorder(120_000_000L, 3);
        Recorder join = new Recorder(120_000_000L, 3);
        LongAdder cycles = new LongAdder();
        Metrics m = new Metrics();
        long end = Math.min(deadlineNanos, System.nanoTime() + TimeUnit.SECONDS.toNanos(sc.warmupS() + sc.durationS()));
        CountDownLatch done = new CountDownLatch(n);
        String room = sc.name() + "-" + n + "-" + System.currentTimeMillis() % 100000;
        for (int i = 0; i < n; i++) {
            Context ctx = vertx.getOrCreateContext();
            int idx = i;
            ctx.runOnContext(v -> loop(ctx, client, port, room, "s" + idx, 0, end, cycle, join, cycles, m, done::countDown));
        }
        long gen = ProcessHandle.current().pid();
        Thread.sleep(TimeUnit.SECONDS.toMillis(sc.warmupS()));
        cycle.reset();
        join.reset();
        ProcSampler.Proc s0 = ProcSampler.proc(serverPid);
        ProcSampler.Proc g0 = ProcSampler.proc(gen);
        long c0 = cycles.sum();
        long t0 = System.nanoTime();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
            System.out.printf(Locale.ROOT, "[%s] signalling N=%d t=%3.0fs  %d cycles  errors %d%n", server, n,
                    (System.nanoTime() - t0) / 1e9, cycles.sum() - c0, m.failures.sum());
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        ProcSampler.Proc s1 = ProcSampler.proc(serverPid);
        ProcSampler.Proc g1 = ProcSampler.proc(gen);
        long count = cycles.sum() - c0;
        done.await(15, TimeUnit.SECONDS);
        double cpu = (s1.cpuTicks() - s0.cpuTicks()) / ProcSampler.TICKS_PER_SECOND;
        ObjectNode r = JanusWs.JSON.createObjectNode();
        r.put("n", n).put("server", server).put("seconds", StepReport.round(secs)).put("cycles", count)
                .put("cycles_per_second", StepReport.round(count / secs)).put("errors", m.failures.sum());
        r.set("cycle_ms", StepReport.percentiles(cycle));
        ObjectNode j = r.putObject("join_ms");
        j.set("join_reply", StepReport.percentiles(join));
        r.putObject("server").put("cpu_s", StepReport.round(cpu)).put("cores", StepReport.round(cpu / secs))
                .put("rss_mb", StepReport.round(s1.rssKb() / 1024.0)).put("threads", s1.threads()).put("fds", s1.fds());
        r.put("cpu_us_per_cycle", StepReport.round(count == 0 ? -1 : cpu * 1e6 / count));
        r.putObject("generator").put("cores", StepReport.round((g1.cpuTicks() - g0.cpuTicks()) / ProcSampler.TICKS_PER_SECOND / secs));
        List<String> errs = new ArrayList<>(m.errors);
        r.putArray("first_errors").addAll(errs.stream().map(JanusWs.JSON.getNodeFactory()::textNode).toList());
        r.put("within_bounds", m.failures.sum() == 0).put("pass", count > 0 && m.failures.sum() == 0);
        return r;
    }

    /** One cycle, then the next from its completion callback (no stack growth); {@code finished} runs once at the end. */
    private static void loop(Context ctx, WebSocketClient client, int port, String room, String user, int done,
                             long end, Recorder cycle, Recorder join, LongAdder cycles, Metrics m, Runnable finished) {
        if (System.nanoTime() >= end || done >= 100_000 || m.failures.sum() > 50) {
            finished.run();
            return;
        }
        JanusWs ws = new JanusWs(ctx);
        long t0 = System.nanoTime();
        long[] tj = {0};
        ws.open(client, port)
                .compose(s -> ws.attach(ev -> { }))
                .compose(h -> {
                    tj[0] = System.nanoTime();
                    return ws.message(h, "{\"kind\":\"join\",\"room_id\":\"" + room + "\",\"user_id\":\"" + user + "-" + done
                            + "\",\"subscribe\":{\"notifications\":true,\"data\":true}}", null, null).map(r -> h);
                })
                .compose(h -> {
                    long now = System.nanoTime();
                    join.recordValue(Metrics.micros(now - tj[0]));
                    return ws.detach(h);
                })
                .onComplete(ar -> {
                    ws.close();
                    if (ar.succeeded()) {
                        cycle.recordValue(Metrics.micros(System.nanoTime() - t0));
                        cycles.increment();
                    } else {
                        m.error(user + " cycle failed: " + ar.cause().getMessage());
                    }
                    loop(ctx, client, port, room, user, done + 1, end, cycle, join, cycles, m, finished);
                });
    }
}
