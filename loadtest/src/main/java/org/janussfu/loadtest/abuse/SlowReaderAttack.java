package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Attack 3: several members of room "slow" (publishers with notifications and data, 4 KB receive buffers) stop
 * reading their WebSocket after the join; another member sends 250 KB {@code data} messages to the room (4 in
 * flight, reading its own replies normally). Whatever the server queues for the slow readers is the point; the
 * readers never read again until {@link #leave} closes them. Driver thread plus the sender's reader thread.
 */
final class SlowReaderAttack implements Attack {
    private final List<RawWs> readers = new ArrayList<>();

    @Override
    public String name() {
        return "slow-reader";
    }

    @Override
    public String describe(Ctx ctx) {
        return slowCount(ctx) + " members stop reading; another sends " + ctx.n(1000) + " data messages of "
                + HUGE + " bytes to the room";
    }

    private static int slowCount(Ctx ctx) {
        return ctx.full ? 5 : 2;
    }

    @Override
    public void run(Ctx ctx, ObjectNode out) throws Exception {
        long budget = ctx.ms(120_000, 25_000);
        ctx.watchdog(budget + 15_000);
        for (int k = 0; k < slowCount(ctx); k++) {
            RawWs r = ctx.own(RawWs.connect(ctx.ws(), 4096, 10_000, 64 << 20));
            long s = JanusCalls.createSession(r);
            long h = JanusCalls.attachHandle(r, s, null);
            JanusCalls.join(r, s, h, "slow", "slow-" + k, true);
            readers.add(r); // never read again
        }
        RawWs ws = ctx.own(RawWs.connect(ctx.ws(), 0, 10_000, 64 << 20));
        long session = JanusCalls.createSession(ws);
        long handle = JanusCalls.attachHandle(ws, session, null);
        JanusCalls.join(ws, session, handle, "slow", "sender", true);
        Pipeline p = ctx.own(new Pipeline(ws, 4, 15_000));
        int total = ctx.n(1000);
        long end = System.currentTimeMillis() + budget;
        long t0 = System.nanoTime();
        String body = Attack.big("d-", HUGE);
        for (int i = 0; i < total && System.currentTimeMillis() < end; i++) {
            if (!p.send(JanusCalls.message(session, handle, JanusCalls.tx(), JanusCalls.dataBody(body)))) {
                break;
            }
        }
        p.drain(Math.max(1000, end - System.currentTimeMillis()));
        out.put("slow_readers", readers.size());
        out.put("planned", total);
        out.put("body_bytes", HUGE);
        out.put("sent", p.sent.get());
        out.put("replies", p.replies.get());
        out.set("outcomes", JanusCalls.JSON.valueToTree(p.outcomes()));
        out.put("close_code", p.closeCode);
        out.put("socket_problem", p.problem());
        out.put("seconds", (System.nanoTime() - t0) / 1e9);
        out.put("offered_to_slow_readers_mb", p.replies.get() * (double) HUGE * readers.size() / (1 << 20));
    }

    @Override
    public void leave(Ctx ctx, ObjectNode out) {
        // Before closing: had the server disconnected them? (Reads at most 8 MB / 2 s each, after the peak was taken.)
        int closed = 0;
        for (RawWs r : readers) {
            if (r.drainUntilEof(8 << 20, 2000) >= 0) {
                closed++;
            }
        }
        out.put("slow_readers_disconnected_by_server", closed);
        ctx.closeAll();
    }
}
