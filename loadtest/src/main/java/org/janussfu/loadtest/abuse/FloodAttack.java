package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Attack 7: (a) one WebSocket sends {@code keepalive}s as fast as it can, never waiting, while its reader counts
 * the answers, the server's close frame and the answers that still come after it; (b) empty {@code POST /janus}
 * bodies in a loop from 4 threads, counting status codes. The server's log lines during each part are counted
 * (issue 11: a WARNING per excess frame, a SEVERE stack trace per empty body). Driver thread plus 1 + 4 threads.
 */
final class FloodAttack implements Attack {
    @Override
    public String name() {
        return "request-flood";
    }

    @Override
    public String describe(Ctx ctx) {
        return ctx.n(200_000) + " keepalives as fast as possible on one socket (<= " + ctx.ms(10_000, 4000) / 1000
                + " s), then " + ctx.n(50_000) + " empty HTTP POST bodies (<= " + ctx.ms(20_000, 5000) / 1000 + " s)";
    }

    @Override
    public void run(Ctx ctx, ObjectNode out) throws Exception {
        long wsBudget = ctx.ms(10_000, 4000);
        long httpBudget = ctx.ms(20_000, 5000);
        ctx.watchdog(wsBudget + 8000);
        ServerProcess srv = ctx.server;

        ObjectNode w = out.putObject("ws_flood");
        long log0 = srv.logBytes();
        RawWs ws = ctx.own(RawWs.connect(ctx.ws(), 0, 10_000, 64 << 20));
        long session = JanusCalls.createSession(ws);
        Pipeline p = ctx.own(new Pipeline(ws, Integer.MAX_VALUE / 2, 1000));
        p.ackIsReply = true;
        int total = ctx.n(200_000);
        long t0 = System.nanoTime();
        long end = System.currentTimeMillis() + wsBudget;
        for (int i = 0; i < total && System.currentTimeMillis() < end; i++) {
            if (!p.send(JanusCalls.keepalive(session, "f" + i))) {
                break;
            }
        }
        long sendEnd = System.nanoTime();
        // What still arrives afterwards: until the answers stop for 2 s (at most 10 s) or the socket is gone.
        long wait = System.currentTimeMillis() + 10_000;
        long last = -1;
        long quietSince = System.currentTimeMillis();
        while (System.currentTimeMillis() < wait && p.problem() == null && System.currentTimeMillis() - quietSince < 2000) {
            Sleep.ms(100);
            long now = p.replies.get();
            if (now != last) {
                last = now;
                quietSince = System.currentTimeMillis();
            }
        }
        long log1 = srv.logBytes();
        w.put("planned", total);
        w.put("sent", p.sent.get());
        w.put("send_seconds", (sendEnd - t0) / 1e9);
        w.put("replies", p.replies.get());
        w.set("outcomes", JanusCalls.JSON.valueToTree(p.outcomes()));
        w.put("close_code", p.closeCode);
        w.put("close_after_s", p.closeCode < 0 ? -1 : (p.closedAtNanos - t0) / 1e9);
        w.put("replies_after_close_frame", p.repliesAfterClose.get());
        w.put("socket_problem", p.problem());
        w.put("log_bytes", log1 - log0);
        w.put("log_lines", srv.logLines(log0, log1));
        ctx.closeAll();

        ObjectNode h = out.putObject("empty_http_posts");
        Http http = new Http(ctx.http());
        int posts = ctx.n(50_000);
        AtomicInteger next = new AtomicInteger();
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, String> sampleBodies = new TreeMap<>();
        long hEnd = System.currentTimeMillis() + httpBudget;
        long h0 = System.nanoTime();
        long log2 = srv.logBytes();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                while (next.getAndIncrement() < posts && System.currentTimeMillis() < hEnd) {
                    String key;
                    String body = "";
                    try {
                        Http.Reply r = http.post("", null);
                        key = Integer.toString(r.status());
                        body = r.body();
                    } catch (Exception e) {
                        key = e.getClass().getSimpleName();
                    }
                    synchronized (statuses) {
                        statuses.merge(key, 1, Integer::sum);
                        sampleBodies.putIfAbsent(key, Report.clip(body, 200));
                    }
                }
            }, "empty-post-" + t);
            th.setDaemon(true);
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join(httpBudget + 15_000);
        }
        long log3 = srv.logBytes();
        int done = statuses.values().stream().mapToInt(Integer::intValue).sum();
        h.put("planned", posts);
        h.put("sent", done);
        h.put("seconds", (System.nanoTime() - h0) / 1e9);
        h.set("statuses", JanusCalls.JSON.valueToTree(statuses));
        h.set("sample_bodies", JanusCalls.JSON.valueToTree(sampleBodies));
        h.put("log_bytes", log3 - log2);
        h.put("log_lines", srv.logLines(log2, log3));
    }

    @Override
    public void leave(Ctx ctx, ObjectNode out) {
        ctx.closeAll();
    }
}
