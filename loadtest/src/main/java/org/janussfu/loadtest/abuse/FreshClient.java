package org.janussfu.loadtest.abuse;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fresh client of issue 11's pass criterion: every 250 ms a new WebSocket does what an arriving Hubs user does
 * first — connect, {@code create}, {@code attach janus.plugin.sfu}, {@code join} (room "probe", a user of its own,
 * notifications and data) — and the time until the join reply is one sample, tagged with the phase the driver set
 * (before / during / after). A probe that fails or takes over 5 s counts as a failure with its reason; at most 16
 * run at once (one that cannot start is a failure too). Threads: a scheduler plus a small pool; results are
 * synchronized.
 */
final class FreshClient implements AutoCloseable {
    static final int PERIOD_MS = 250;
    static final int TIMEOUT_MS = 5000;

    /** One probe: when it started, its total latency, how much of it was the TCP connect + upgrade, or why it failed. */
    record Sample(String phase, long atMs, long latencyMs, long connectMs, String error) {
    }

    private final int port;
    private final long t0 = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong seq = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "probe-timer"));
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> daemon(r, "probe"));
    volatile String phase = "before";

    FreshClient(int port) {
        this.port = port;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    void start() {
        timer.scheduleAtFixedRate(this::launch, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void launch() {
        String ph = phase;
        long at = (System.nanoTime() - t0) / 1_000_000;
        if (inFlight.get() >= 16) {
            add(new Sample(ph, at, -1, -1, "16 probes already in flight"));
            return;
        }
        inFlight.incrementAndGet();
        pool.execute(() -> {
            try {
                add(probe(ph, at));
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    private Sample probe(String ph, long at) {
        long start = System.nanoTime();
        long connected = -1;
        try (RawWs ws = RawWs.connect(port, 0, TIMEOUT_MS, 64 << 20)) {
            connected = (System.nanoTime() - start) / 1_000_000;
            long session = JanusCalls.createSession(ws);
            long handle = JanusCalls.attachHandle(ws, session, null);
            JanusCalls.join(ws, session, handle, "probe", "probe-" + seq.incrementAndGet(), true);
            long ms = (System.nanoTime() - start) / 1_000_000;
            return ms > TIMEOUT_MS ? new Sample(ph, at, -1, connected, "slower than " + TIMEOUT_MS + " ms")
                    : new Sample(ph, at, ms, connected, null);
        } catch (Exception e) {
            String why = e instanceof java.net.SocketTimeoutException ? "timeout" : e.getClass().getSimpleName() + ": " + e.getMessage();
            return new Sample(ph, at, -1, connected, Report.clip(why, 120));
        }
    }

    private synchronized void add(Sample s) {
        samples.add(s);
    }

    synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    /** Waits until the probes in flight are done (at most the probe timeout). */
    void quiesce() {
        long end = System.currentTimeMillis() + TIMEOUT_MS + 1000;
        while (inFlight.get() > 0 && System.currentTimeMillis() < end) {
            Sleep.ms(50);
        }
    }

    /** p50 / p99 / max / failures / count over 1 s for one phase (null = all phases). */
    ObjectNode stats(String onlyPhase) {
        List<Long> ok = new ArrayList<>();
        List<Long> connects = new ArrayList<>();
        int failures = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        for (Sample s : samples()) {
            if (onlyPhase != null && !onlyPhase.equals(s.phase())) {
                continue;
            }
            if (s.error() == null) {
                ok.add(s.latencyMs());
                connects.add(s.connectMs());
            } else {
                failures++;
                reasons.merge(s.error(), 1, Integer::sum);
            }
        }
        ok.sort(null);
        connects.sort(null);
        ObjectNode n = JanusCalls.JSON.createObjectNode();
        n.put("probes", ok.size() + failures);
        n.put("failures", failures);
        n.put("p50_ms", pct(ok, 0.50));
        n.put("p99_ms", pct(ok, 0.99));
        n.put("max_ms", ok.isEmpty() ? -1 : ok.get(ok.size() - 1));
        n.put("over_1s", ok.stream().filter(v -> v > 1000).count());
        // of which TCP connect + WebSocket upgrade (the rest is create + attach + join)
        n.put("connect_p99_ms", pct(connects, 0.99));
        n.put("connect_max_ms", connects.isEmpty() ? -1 : connects.get(connects.size() - 1));
        ObjectNode r = n.putObject("failure_reasons");
        reasons.entrySet().stream().limit(5).forEach(e -> r.put(e.getKey(), e.getValue()));
        return n;
    }

    private static long pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        quiesce();
        pool.shutdownNow();
    }
}
