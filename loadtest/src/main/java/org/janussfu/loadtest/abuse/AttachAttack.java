package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Attack 2: on one WebSocket and session, {@code attach janus.plugin.sfu} with a distinct 250 KB {@code opaque_id}
 * ~2,000 times (8 in flight); then, on a second WebSocket, ~20,000 {@code create}s (64 in flight). Both sockets stay
 * open until {@link #leave}, which closes them (the server must free every session and handle). Driver thread plus
 * one reader thread per socket.
 */
final class AttachAttack implements Attack {
    @Override
    public String name() {
        return "attach";
    }

    @Override
    public String describe(Ctx ctx) {
        return ctx.n(2000) + " attach with distinct " + HUGE + "-byte opaque_id on one socket, then "
                + ctx.n(20_000) + " create on another socket";
    }

    @Override
    public void run(Ctx ctx, ObjectNode out) throws Exception {
        long attachBudget = ctx.ms(100_000, 20_000);
        long createBudget = ctx.ms(40_000, 10_000);
        ctx.watchdog(attachBudget + createBudget + 15_000);

        RawWs ws = ctx.own(RawWs.connect(ctx.ws(), 0, 10_000, 64 << 20));
        long session = JanusCalls.createSession(ws);
        Pipeline a = ctx.own(new Pipeline(ws, 8, 15_000));
        int attaches = ctx.n(2000);
        long end = System.currentTimeMillis() + attachBudget;
        long t0 = System.nanoTime();
        for (int i = 0; i < attaches && System.currentTimeMillis() < end; i++) {
            if (!a.send(JanusCalls.attach(session, JanusCalls.tx(), Attack.big("o" + i + "-", HUGE)))) {
                break;
            }
        }
        a.drain(Math.max(1000, end - System.currentTimeMillis()));
        ObjectNode at = out.putObject("attach");
        at.put("planned", attaches);
        at.put("opaque_id_bytes", HUGE);
        at.put("sent", a.sent.get());
        at.put("replies", a.replies.get());
        at.set("outcomes", JanusCalls.JSON.valueToTree(a.outcomes()));
        at.put("close_code", a.closeCode);
        at.put("socket_problem", a.problem());
        at.put("seconds", (System.nanoTime() - t0) / 1e9);

        ObjectNode cr = out.putObject("create");
        int creates = ctx.n(20_000);
        cr.put("planned", creates);
        try {
            RawWs ws2 = ctx.own(RawWs.connect(ctx.ws(), 0, 10_000, 64 << 20));
            Pipeline c = ctx.own(new Pipeline(ws2, 64, 15_000));
            end = System.currentTimeMillis() + createBudget;
            t0 = System.nanoTime();
            for (int i = 0; i < creates && System.currentTimeMillis() < end; i++) {
                if (!c.send(JanusCalls.create(JanusCalls.tx()))) {
                    break;
                }
            }
            c.drain(Math.max(1000, end - System.currentTimeMillis()));
            cr.put("sent", c.sent.get());
            cr.put("replies", c.replies.get());
            cr.set("outcomes", JanusCalls.JSON.valueToTree(c.outcomes()));
            cr.put("close_code", c.closeCode);
            cr.put("socket_problem", c.problem());
            cr.put("seconds", (System.nanoTime() - t0) / 1e9);
        } catch (java.io.IOException e) {
            cr.put("error", Report.clip(e.toString(), 200));
        }
    }

    @Override
    public void leave(Ctx ctx, ObjectNode out) {
        ctx.closeAll();
    }
}
