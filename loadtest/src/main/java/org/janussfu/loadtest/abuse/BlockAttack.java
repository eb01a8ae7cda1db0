package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Attack 1: {@code block} messages with 250 KB {@code whom} ids, each distinct. One WebSocket and session; users
 * u1, u2, … each join room "r" on a handle of their own and block 100 ids each (one user could keep only the
 * server's per-user target count, so the attacker spreads them, as issue 11's did). Blocks outlive sessions, so the
 * heap after the attacker leaves is the point. At most 8 requests in flight. Driver thread plus a reader thread.
 */
final class BlockAttack implements Attack {
    static final int PER_USER = 100;
    private Pipeline pipe;

    @Override
    public String name() {
        return "block";
    }

    @Override
    public String describe(Ctx ctx) {
        return ctx.n(2000) + " block messages with distinct " + HUGE + "-byte whom ids, " + PER_USER
                + " per user (u1, u2, ...) in room r, one WebSocket";
    }

    @Override
    public void run(Ctx ctx, ObjectNode out) throws Exception {
        int total = ctx.n(2000);
        long budget = ctx.ms(150_000, 30_000);
        long end = System.currentTimeMillis() + budget;
        ctx.watchdog(budget + 15_000);
        RawWs ws = ctx.own(RawWs.connect(ctx.ws(), 0, 10_000, 64 << 20));
        long session = JanusCalls.createSession(ws);
        List<Long> handles = new ArrayList<>();
        int users = (total + PER_USER - 1) / PER_USER;
        for (int u = 1; u <= users; u++) {
            try {
                long h = JanusCalls.attachHandle(ws, session, null);
                JanusCalls.join(ws, session, h, "r", "u" + u, false);
                handles.add(h);
            } catch (java.io.IOException e) {
                out.put("user_setup_error", "u" + u + ": " + Report.clip(e.getMessage(), 200));
                break;
            }
        }
        out.put("users_joined", handles.size());
        if (handles.isEmpty()) {
            throw new java.io.IOException("no user could join: " + out.path("user_setup_error").asText());
        }
        pipe = ctx.own(new Pipeline(ws, 8, 15_000));
        long t0 = System.nanoTime();
        int i = 0;
        for (; i < total && System.currentTimeMillis() < end; i++) {
            long h = handles.get(Math.min(i / PER_USER, handles.size() - 1));
            String whom = Attack.big("w" + i + "-", HUGE);
            if (!pipe.send(JanusCalls.message(session, h, JanusCalls.tx(), JanusCalls.blockBody(whom)))) {
                break;
            }
        }
        pipe.drain(Math.max(1000, end - System.currentTimeMillis()));
        out.put("planned", total);
        out.put("whom_bytes", HUGE);
        out.put("sent", pipe.sent.get());
        out.put("replies", pipe.replies.get());
        out.set("outcomes", JanusCalls.JSON.valueToTree(pipe.outcomes()));
        out.put("close_code", pipe.closeCode);
        out.put("socket_problem", pipe.problem());
        out.put("seconds", (System.nanoTime() - t0) / 1e9);
        out.put("stopped_early", i < total);
    }

    @Override
    public void leave(Ctx ctx, ObjectNode out) {
        ctx.closeAll();
    }
}
