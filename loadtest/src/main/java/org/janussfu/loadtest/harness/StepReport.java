package org.janussfu.loadtest.harness;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one step's raw observations into its JSON result: per kind (audio, video, data) the measured packets sent,
 * expected and received, loss (sender-counted: every measured packet times the receivers that should get it; with
 * churn, gap-counted per stream), duplicates, reordering, RFC 3550 jitter and one-way latency percentiles; join
 * latencies; the server's and the generator's CPU, memory, threads and fds; UDP error deltas; the derived server CPU
 * µs per forwarded packet; and whether the scenario's stop and pass thresholds hold. Stateless; the Runner's thread.
 */
final class StepReport {
    private StepReport() {
    }

    /** Per-second maxima seen during the measurement window. */
    static final class Peaks {
        double serverCores;
        double generatorCores;
        long rssKb;
        int threads;
        int fds;

        void add(ProcSampler.Proc s, ProcSampler.Proc g, double sc, double gc) {
            serverCores = Math.max(serverCores, sc);
            generatorCores = Math.max(generatorCores, gc);
            rssKb = Math.max(rssKb, s.rssKb());
            threads = Math.max(threads, s.threads());
            fds = Math.max(fds, s.fds());
        }
    }

    static ObjectNode build(Scenario sc, int n, String server, List<SimUser> users, List<List<StreamStats>> streams,
                            Metrics m, double seconds, double setupSeconds, long expectedSubs, ProcSampler.Proc s0,
                            ProcSampler.Proc s1, ProcSampler.Proc g0, ProcSampler.Proc g1, ProcSampler.Udp udp,
                            Peaks peaks, ProcSampler.Proc srvBeforeSetup, ProcSampler.Proc srvAfterSetup, int churnEvents) {
        ObjectNode r = JanusWs.JSON.createObjectNode();
        r.put("n", n).put("server", server).put("rooms", sc.rooms(n)).put("users_per_room", sc.users(n))
                .put("users", users.size()).put("seconds", round(seconds)).put("setup_seconds", round(setupSeconds))
                .put("publishers_up", m.publishersUp.sum()).put("subscriptions_up", m.subscriptionsUp.sum())
                .put("subscriptions_expected", expectedSubs).put("churn_events", churnEvents)
                .put("loss_mode", sc.churn() ? "gaps" : "sender");
        Map<String, Integer> roomSize = new HashMap<>();
        for (SimUser u : users) {
            roomSize.merge(u.spec.room(), 1, Integer::sum);
        }
        long[] sent = new long[3];
        long[] expected = new long[3];
        long[] received = new long[3];
        long[] dups = new long[3];
        long[] reord = new long[3];
        long[] gaps = new long[3];
        double jitterSum = 0;
        double jitterMax = 0;
        int jitterN = 0;
        for (int i = 0; i < users.size(); i++) {
            SimUser u = users.get(i);
            for (int k = 0; k < 3; k++) {
                sent[k] += u.measuredSent[k];
                expected[k] += u.measuredSent[k] * (long) (roomSize.get(u.spec.room()) - 1);
            }
            for (StreamStats s : streams.get(i)) {
                received[s.kind] += s.unique;
                dups[s.kind] += s.duplicates;
                reord[s.kind] += s.reordered;
                gaps[s.kind] += s.gapLoss();
                if (s.kind != Probe.DATA) {
                    jitterSum += s.jitterNanos;
                    jitterMax = Math.max(jitterMax, s.jitterNanos);
                    jitterN++;
                }
            }
        }
        long expAll = 0;
        long recAll = 0;
        ObjectNode kinds = r.putObject("streams");
        Histogram all = new Histogram(120_000_000L, 3);
        for (int k = 0; k < 3; k++) {
            if (sc.churn()) {
                expected[k] = received[k] + gaps[k];
            }
            Histogram h = m.latency[k].getIntervalHistogram();
            all.add(h);
            if (sent[k] == 0 && received[k] == 0) {
                continue;
            }
            ObjectNode o = kinds.putObject(Probe.KINDS[k]);
            o.put("sent", sent[k]).put("expected", expected[k]).put("received", received[k])
                    .put("loss_pct", lossPct(expected[k], received[k])).put("duplicates", dups[k])
                    .put("reordered", reord[k]).put("gap_lost", gaps[k]);
            o.set("latency_ms", percentiles(h));
            expAll += expected[k];
            recAll += received[k];
        }
        double loss = lossPct(expAll, recAll);
        r.put("loss_pct", loss).put("forwarded", recAll).put("forwarded_per_second", round(recAll / seconds));
        r.set("latency_ms", percentiles(all));
        r.putObject("jitter_ms").put("mean", round(jitterN == 0 ? 0 : jitterSum / jitterN / 1e6))
                .put("max", round(jitterMax / 1e6));
        ObjectNode join = r.putObject("join_ms");
        join.set("join_reply", percentiles(m.joinReply));
        join.set("publisher_up", percentiles(m.publisherUp));
        join.set("subscriber_up", percentiles(m.subscriberUp));
        join.set("user_ready", percentiles(m.userReady));
        double serverCpu = (s1.cpuTicks() - s0.cpuTicks()) / ProcSampler.TICKS_PER_SECOND;
        double genCpu = (g1.cpuTicks() - g0.cpuTicks()) / ProcSampler.TICKS_PER_SECOND;
        double setupCpu = (srvAfterSetup.cpuTicks() - srvBeforeSetup.cpuTicks()) / ProcSampler.TICKS_PER_SECOND;
        ObjectNode srv = r.putObject("server");
        srv.put("cpu_s", round(serverCpu)).put("cores", round(serverCpu / seconds)).put("cores_peak", round(peaks.serverCores))
                .put("rss_mb", round(s1.rssKb() / 1024.0)).put("rss_mb_peak", round(peaks.rssKb / 1024.0))
                .put("rss_mb_before", round(srvBeforeSetup.rssKb() / 1024.0))
                .put("threads", s1.threads()).put("threads_before", srvBeforeSetup.threads())
                .put("fds", s1.fds()).put("fds_before", srvBeforeSetup.fds()).put("setup_cpu_s", round(setupCpu))
                .put("setup_cpu_ms_per_pc", round(setupCpu * 1000 / Math.max(1, expectedSubs + users.size())));
        double perFwd = recAll == 0 ? -1 : serverCpu * 1e6 / recAll;
        r.put("cpu_us_per_forwarded", round(perFwd));
        r.putObject("generator").put("cores", round(genCpu / seconds)).put("cores_peak", round(peaks.generatorCores))
                .put("saturated", genCpu / seconds > 0.9);
        r.putObject("udp").put("in_datagrams", udp.inDatagrams()).put("out_datagrams", udp.outDatagrams())
                .put("in_errors", udp.inErrors()).put("rcvbuf_errors", udp.rcvbufErrors())
                .put("sndbuf_errors", udp.sndbufErrors());
        r.put("errors", m.failures.sum());
        r.put("churn_races", m.churnRaces.sum());
        ObjectNode neg = r.putObject("negotiated");
        m.negotiated.forEach((k, v) -> neg.put(k, v.sum()));
        ArrayNode errs = r.putArray("first_errors");
        m.errors.forEach(errs::add);
        double p99 = r.path("latency_ms").path("p99").asDouble();
        boolean complete = m.publishersUp.sum() >= users.size() && m.subscriptionsUp.sum() >= expectedSubs;
        ArrayNode broke = r.putArray("stop_reasons");
        if (!complete && !sc.churn()) {
            broke.add("setup incomplete");
        }
        if (sc.stopLossPct() >= 0 && loss > sc.stopLossPct()) {
            broke.add("loss " + loss + "% > " + sc.stopLossPct() + "%");
        }
        if (sc.stopP99Ms() >= 0 && p99 > sc.stopP99Ms()) {
            broke.add("p99 " + p99 + " ms > " + sc.stopP99Ms() + " ms");
        }
        if (sc.stopServerCores() >= 0 && serverCpu / seconds > sc.stopServerCores()) {
            broke.add("server " + round(serverCpu / seconds) + " cores > " + sc.stopServerCores());
        }
        r.put("within_bounds", broke.isEmpty());
        ArrayNode failed = r.putArray("fail_reasons");
        if (!complete && !sc.churn()) {
            failed.add("setup incomplete");
        }
        if (recAll == 0) {
            failed.add("nothing received");
        }
        if (sc.failLossPct() >= 0 && loss > sc.failLossPct()) {
            failed.add("loss " + loss + "% > " + sc.failLossPct() + "%");
        }
        if (sc.failP99Ms() >= 0 && p99 > sc.failP99Ms()) {
            failed.add("p99 " + p99 + " ms > " + sc.failP99Ms() + " ms");
        }
        r.put("pass", failed.isEmpty());
        return r;
    }

    static double lossPct(long expected, long received) {
        return expected <= 0 ? 0 : round(Math.max(0, 100.0 * (expected - received) / expected), 4);
    }

    static ObjectNode percentiles(Recorder rec) {
        return percentiles(rec.getIntervalHistogram());
    }

    /** p50/p90/p99/p99.9/max in ms from a histogram in µs. */
    static ObjectNode percentiles(Histogram h) {
        ObjectNode o = JanusWs.JSON.createObjectNode();
        o.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return o;
        }
        o.put("p50", round(h.getValueAtPercentile(50) / 1000.0)).put("p90", round(h.getValueAtPercentile(90) / 1000.0))
                .put("p99", round(h.getValueAtPercentile(99) / 1000.0))
                .put("p999", round(h.getValueAtPercentile(99.9) / 1000.0)).put("max", round(h.getMaxValue() / 1000.0));
        return o;
    }

    static double round(double v) {
        return round(v, 3);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
