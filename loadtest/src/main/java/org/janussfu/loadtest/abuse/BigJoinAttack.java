package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Attack 5: ~60 WebSockets join room "big" one after the other, each as a publisher with notifications and data
 * and a distinct 250 KB {@code user_id}. Every joiner reads everything (join replies listing the room, join events
 * of later joiners) and counts it: what the server sends grows with the square of the room. Each join waits for its
 * reply up to 30 s. Driver thread plus one reader thread per joiner.
 */
final class BigJoinAttack implements Attack {
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong largest = new AtomicLong();

    @Override
    public String name() {
        return "big-user-ids";
    }

    @Override
    public String describe(Ctx ctx) {
        return ctx.n(60) + " joins of room big with distinct " + HUGE + "-byte user_ids (publishers, notifications on)";
    }

    @Override
    public void run(Ctx ctx, ObjectNode out) throws Exception {
        long budget = ctx.ms(150_000, 30_000);
        ctx.watchdog(budget + 15_000);
        long end = System.currentTimeMillis() + budget;
        int total = ctx.n(60);
        List<Long> latencies = new ArrayList<>();
        List<Long> replyBytes = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        long t0 = System.nanoTime();
        int k = 0;
        for (; k < total && System.currentTimeMillis() < end; k++) {
            try {
                RawWs ws = ctx.own(RawWs.connect(ctx.ws(), 0, 10_000, 256 << 20));
                long s = JanusCalls.createSession(ws);
                long h = JanusCalls.attachHandle(ws, s, null);
                String tx = JanusCalls.tx();
                String needle = "\"transaction\":\"" + tx + "\"";
                CountDownLatch replied = new CountDownLatch(1);
                String[] verdict = {null};
                long[] size = {0};
                ws.setReadTimeout(0);
                Thread reader = new Thread(() -> {
                    try {
                        while (true) {
                            RawWs.Msg m = ws.read();
                            received.addAndGet(m.payload().length);
                            largest.accumulateAndGet(m.payload().length, Math::max);
                            if (m.opcode() == 8) {
                                return;
                            }
                            String head = m.head(2048);
                            if (replied.getCount() > 0 && head.contains(needle) && !head.contains("\"janus\":\"ack\"")) {
                                verdict[0] = JanusCalls.verdict(head);
                                size[0] = m.payload().length;
                                replied.countDown();
                            }
                        }
                    } catch (java.io.IOException e) {
                        replied.countDown();
                    }
                }, "joiner-" + k);
                reader.setDaemon(true);
                reader.start();
                long js = System.nanoTime();
                ws.sendText(JanusCalls.message(s, h, tx, JanusCalls.joinBody("big", Attack.big("j" + k + "-", HUGE), true)));
                if (!replied.await(30, TimeUnit.SECONDS)) {
                    refusals.add("join " + k + ": no reply in 30 s");
                    continue;
                }
                if (verdict[0] == null) {
                    refusals.add("join " + k + ": connection closed");
                } else if (!"ok".equals(verdict[0])) {
                    refusals.add("join " + k + ": " + verdict[0]);
                } else {
                    latencies.add((System.nanoTime() - js) / 1_000_000);
                    replyBytes.add(size[0]);
                }
            } catch (Exception e) {
                refusals.add("join " + k + ": " + Report.clip(e.toString(), 120));
            }
        }
        Sleep.ms(ctx.ms(3000, 1000)); // let the last join events arrive
        out.put("planned", total);
        out.put("attempted", k);
        out.put("user_id_bytes", HUGE);
        out.put("joined", latencies.size());
        out.put("refused_or_failed", refusals.size());
        out.set("refusals_first", JanusCalls.JSON.valueToTree(refusals.subList(0, Math.min(5, refusals.size()))));
        out.put("last_join_reply_ms", latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1));
        out.put("max_join_reply_ms", latencies.stream().mapToLong(Long::longValue).max().orElse(-1));
        out.put("largest_join_reply_mb", replyBytes.stream().mapToLong(Long::longValue).max().orElse(0) / 1048576.0);
        out.put("largest_message_mb", largest.get() / 1048576.0);
        out.put("received_by_attackers_mb", received.get() / 1048576.0);
        out.put("seconds", (System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void leave(Ctx ctx, ObjectNode out) {
        ctx.closeAll();
    }
}
