package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Attack 4: HTTP sessions (POST /janus create, attach, join room "hq" with notifications and data) that never
 * long-poll, while a WebSocket member of the room sends 250 KB {@code data} messages (4 in flight), addressed to
 * each HTTP user in turn, so that every session's queue fills with events of its own. The sessions are kept alive by plain keepalive POSTs (not polls) every 15 s;
 * {@link #leave} destroys them. Driver thread, the sender's reader thread and a keepalive thread.
 */
final class HttpQueueAttack implements Attack {
    static final int PER_SESSION = 1000;
    private final List<Long> sessions = new ArrayList<>();
    private volatile boolean running;
    private Http http;

    @Override
    public String name() {
        return "http-no-poll";
    }

    @Override
    public String describe(Ctx ctx) {
        return count(ctx) + " HTTP sessions in room hq that never poll; a WebSocket member sends each of them "
                + ctx.n(PER_SESSION) + " data messages of " + HUGE + " bytes (whom-addressed)";
    }

    private static int count(Ctx ctx) {
        return ctx.full ? 5 : 2;
    }

    @Override
    public void run(Ctx ctx, ObjectNode out) throws Exception {
        long budget = ctx.ms(120_000, 25_000);
        ctx.watchdog(budget + 15_000);
        http = new Http(ctx.http());
        List<Long> handles = new ArrayList<>();
        for (int k = 0; k < count(ctx); k++) {
            long s = http.postForId("", JanusCalls.create(JanusCalls.tx()));
            long h = http.postForId("/" + s, JanusCalls.attach(s, JanusCalls.tx(), null));
            Http.Reply r = http.post("/" + s + "/" + h,
                    JanusCalls.message(s, h, JanusCalls.tx(), JanusCalls.joinBody("hq", "hq-" + k, true)));
            out.put("join_reply_" + k, Report.clip(r.body(), 160));
            sessions.add(s);
            handles.add(h);
        }
        running = true;
        Thread keep = new Thread(() -> {
            while (running) {
                for (int i = 0; i < 150 && running; i++) {
                    Sleep.ms(100);
                }
                for (long s : sessions) {
                    try {
                        http.post("/" + s, JanusCalls.keepalive(s, JanusCalls.tx()));
                    } catch (Exception e) {
                        // counted by the outcome of the attack, not here
                    }
                }
            }
        }, "http-keepalive");
        keep.setDaemon(true);
        keep.start();

        RawWs ws = ctx.own(RawWs.connect(ctx.ws(), 0, 10_000, 64 << 20));
        long session = JanusCalls.createSession(ws);
        long handle = JanusCalls.attachHandle(ws, session, null);
        JanusCalls.join(ws, session, handle, "hq", "hq-sender", true);
        Pipeline p = ctx.own(new Pipeline(ws, 4, 15_000));
        // Addressed to one HTTP user after the other (data "whom"), so every queue holds distinct events: a session
        // may queue up to its event cap of them (1,000 by default) whatever the others hold.
        int total = ctx.n(PER_SESSION) * sessions.size();
        long end = System.currentTimeMillis() + budget;
        long t0 = System.nanoTime();
        String body = Attack.big("d-", HUGE);
        for (int i = 0; i < total && System.currentTimeMillis() < end; i++) {
            ObjectNode data = JanusCalls.dataBody(body).put("whom", "hq-" + (i % sessions.size()));
            if (!p.send(JanusCalls.message(session, handle, JanusCalls.tx(), data))) {
                break;
            }
        }
        p.drain(Math.max(1000, end - System.currentTimeMillis()));
        out.put("http_sessions", sessions.size());
        out.put("planned", total);
        out.put("body_bytes", HUGE);
        out.put("sent", p.sent.get());
        out.put("replies", p.replies.get());
        out.set("outcomes", JanusCalls.JSON.valueToTree(p.outcomes()));
        out.put("close_code", p.closeCode);
        out.put("socket_problem", p.problem());
        out.put("seconds", (System.nanoTime() - t0) / 1e9);
        out.put("offered_to_http_queues_mb", p.replies.get() * (double) HUGE / (1 << 20));
    }

    @Override
    public void leave(Ctx ctx, ObjectNode out) {
        running = false;
        ctx.closeAll();
        List<String> destroyed = new ArrayList<>();
        for (long s : sessions) {
            try {
                Http.Reply r = http.post("/" + s, "{\"janus\":\"destroy\",\"transaction\":\"" + JanusCalls.tx() + "\"}");
                destroyed.add(r.status() + " " + JanusCalls.verdict(r.body()));
            } catch (Exception e) {
                destroyed.add(Report.clip(e.toString(), 80));
            }
        }
        out.set("destroy_replies", JanusCalls.JSON.valueToTree(destroyed));
    }
}
