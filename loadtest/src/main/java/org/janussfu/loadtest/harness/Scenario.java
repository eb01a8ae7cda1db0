package org.janussfu.loadtest.harness;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A scenario file (loadtest/scenarios/*.json), read once and immutable. {@code steps} lists the values of N; what N
 * means is {@code n_means}: "users" (users per room), "rooms" (number of rooms of {@code users_per_room}), or
 * "viewers" (N viewers plus {@code publishers_per_room} media publishers). {@code kind} "signalling" runs
 * signalling-only cycles with N concurrent clients. Every value is clamped to a safe bound here, so every loop the
 * harness runs is bounded in count and time. Thread: read on the Runner's thread, then shared read-only.
 */
record Scenario(String name, String description, String kind, List<Integer> steps, String nMeans, int usersPerRoom,
                int publishersPerRoom, int talkersPerRoom, int audioPps, int audioBytes, int videoKbps, int videoBytes,
                int dataRate, int dataBytes, int joinIntervalMs, int setupTimeoutS, int warmupS, int durationS,
                int churnIntervalS, int churnMaxEvents, double stopLossPct, double stopP99Ms, double stopServerCores,
                double failLossPct, double failP99Ms, boolean failOnThresholds, int maxSeconds, int serverWarmupS,
                int churnAbruptEvery) {

    static Scenario load(Path file) throws Exception {
        JsonNode j = JanusWs.JSON.readTree(Files.readString(file));
        List<Integer> steps = new ArrayList<>();
        for (JsonNode s : j.path("steps")) {
            steps.add(clamp(s.asInt(), 1, 200));
        }
        if (steps.isEmpty() || steps.size() > 30) {
            throw new IllegalArgumentException("steps: 1 to 30 values of N");
        }
        JsonNode audio = j.path("audio");
        JsonNode video = j.path("video");
        JsonNode data = j.path("data");
        JsonNode stop = j.path("stop_when");
        JsonNode fail = j.path("thresholds");
        JsonNode churn = j.path("churn");
        return new Scenario(j.path("name").asText(file.getFileName().toString().replace(".json", "")),
                j.path("description").asText(""), j.path("kind").asText("room"), steps,
                j.path("n_means").asText("users"), clamp(j.path("users_per_room").asInt(0), 0, 200),
                clamp(j.path("publishers_per_room").asInt(1), 1, 200), j.path("talkers_per_room").asInt(-1),
                clamp(audio.path("pps").asInt(0), 0, 100), clamp(audio.path("bytes").asInt(100), 24, 1100),
                clamp(video.path("kbps").asInt(0), 0, 5000), clamp(video.path("bytes").asInt(1200), 64, 1200),
                clamp(data.path("rate").asInt(0), 0, 60), clamp(data.path("bytes").asInt(300), 80, 60000),
                clamp(j.path("join_interval_ms").asInt(50), 0, 5000), clamp(j.path("setup_timeout_s").asInt(60), 5, 300),
                clamp(j.path("warmup_s").asInt(3), 0, 60), clamp(j.path("duration_s").asInt(30), 1, 3600),
                clamp(churn.path("interval_s").asInt(0), 0, 600), clamp(churn.path("max_events").asInt(0), 0, 1000),
                stop.path("loss_pct").asDouble(-1), stop.path("p99_ms").asDouble(-1), stop.path("server_cores").asDouble(-1),
                fail.path("loss_pct").asDouble(-1), fail.path("p99_ms").asDouble(-1),
                j.path("fail_on_thresholds").asBoolean(false), clamp(j.path("max_seconds").asInt(900), 10, 7200),
                clamp(j.path("server_warmup_s").asInt(0), 0, 120),
                clamp(churn.path("abrupt_every").asInt(0), 0, 1000));
    }

    /** The unmeasured warm-up step run before the first step (JIT, pools): same traffic, no churn, no stop. */
    Scenario warmupStep() {
        return new Scenario(name + "-warmup", description, kind, List.of(Math.min(steps.get(0), 10)), nMeans, usersPerRoom,
                publishersPerRoom, talkersPerRoom, audioPps, audioBytes, videoKbps, videoBytes, dataRate, dataBytes,
                joinIntervalMs, setupTimeoutS, 0, serverWarmupS, 0, 0, -1, -1, -1, -1, -1, false, maxSeconds, 0, 0);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    boolean signalling() {
        return "signalling".equals(kind);
    }

    boolean churn() {
        return churnIntervalS > 0 && churnMaxEvents > 0;
    }

    /**
     * Whether churn departure number {@code k} (1-based) is abrupt: with {@code churn.abrupt_every} = m, every m-th
     * departure leaves without a clean hang-up (see {@link SimUser#vanish}); 0 = every departure is clean.
     */
    boolean abruptDeparture(int k) {
        return churnAbruptEvery > 0 && k % churnAbruptEvery == 0;
    }

    /** Rooms for step N. */
    int rooms(int n) {
        return "rooms".equals(nMeans) ? n : 1;
    }

    /** Users in each room for step N. */
    int users(int n) {
        return switch (nMeans) {
            case "rooms" -> usersPerRoom;
            case "viewers" -> n + publishersPerRoom;
            default -> n;
        };
    }

    /** Users of a room that publish media (the rest are viewers) for step N. */
    int publishers(int n) {
        return "viewers".equals(nMeans) ? publishersPerRoom : users(n);
    }

    /** Users of a room that send audio (talkers) among its publishers. */
    int talkers(int n) {
        return talkersPerRoom < 0 ? publishers(n) : Math.min(talkersPerRoom, publishers(n));
    }
}
