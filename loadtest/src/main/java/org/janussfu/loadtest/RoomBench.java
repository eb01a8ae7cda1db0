package org.janussfu.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * janus.plugin.sfu signalling benchmark: for R rounds, N simulated users (WebSocket, session, publisher handle)
 * join one room all at once (joins per second = N / time until every join reply arrived), then every join and
 * leave notification's fan-out latency is measured (from the joiner's send, or the leaver's socket close, to
 * each other member's receipt). Signalling only, loopback only, bounded by rounds. Callbacks run on the client's
 * event loops; the main thread sequences the phases and reports.
 */
public final class RoomBench {
    private final String host;
    private final int port;
    private final int users;
    private final int rounds;
    private final Histogram joinReply = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    private final Histogram joinFanout = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    private final Histogram leaveFanout = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    /** Send time of each user's join, and close time of each user's socket, by user id. */
    private final Map<String, Long> joinSentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> leftAt = new ConcurrentHashMap<>();

    RoomBench(String host, int port, int users, int rounds) {
        this.host = host;
        this.port = port;
        this.users = users;
        this.rounds = rounds;
    }

    public static void main(String[] argv) throws Exception {
        String host = "127.0.0.1";
        int port = 8188;
        int users = 50;
        int rounds = 10;
        String out = null;
        for (int i = 0; i + 1 < argv.length; i += 2) {
            switch (argv[i]) {
                case "--port" -> port = Integer.parseInt(argv[i + 1]);
                case "--users" -> users = Math.min(500, Integer.parseInt(argv[i + 1]));
                case "--rounds" -> rounds = Math.min(100, Integer.parseInt(argv[i + 1]));
                case "--out" -> out = argv[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + argv[i]);
            }
        }
        new RoomBench(host, port, users, rounds).run(out);
    }

    private final class User {
        final String id;
        final WebSocket ws;
        long session;
        long handle;
        volatile long joinSent;
        final Promise<Void> ready = Promise.promise();
        final Promise<Long> joined = Promise.promise();

        User(String id, WebSocket ws) {
            this.id = id;
            this.ws = ws;
            ws.textMessageHandler(this::onText);
            ws.writeTextMessage("{\"janus\":\"create\",\"transaction\":\"c\"}");
        }

        void onText(String t) {
            long now = System.nanoTime();
            if (session == 0) {
                session = Long.parseLong(num(t, "\"id\":"));
                ws.writeTextMessage("{\"janus\":\"attach\",\"transaction\":\"a\",\"session_id\":" + session
                        + ",\"plugin\":\"janus.plugin.sfu\"}");
                return;
            }
            if (handle == 0) {
                handle = Long.parseLong(num(t, "\"id\":"));
                ready.complete();
                return;
            }
            if (t.contains("\"transaction\":\"j\"") && t.contains("\"event\"") && t.contains("\"success\"")) {
                joined.tryComplete(now - joinSent);
            } else if (t.contains("\"event\":\"join\"")) {
                Long sent = joinSentAt.get(str(t, "\"user_id\":\""));
                if (sent != null) {
                    synchronized (joinFanout) {
                        joinFanout.recordValue(Math.max(0, now - sent));
                    }
                }
            } else if (t.contains("\"event\":\"leave\"")) {
                Long closed = leftAt.get(str(t, "\"user_id\":\""));
                if (closed != null) {
                    synchronized (leaveFanout) {
                        leaveFanout.recordValue(Math.max(0, now - closed));
                    }
                }
            }
        }

        void join(String room) {
            joinSent = System.nanoTime();
            joinSentAt.put(id, joinSent);
            ws.writeTextMessage("{\"janus\":\"message\",\"transaction\":\"j\",\"session_id\":" + session + ",\"handle_id\":"
                    + handle + ",\"body\":{\"kind\":\"join\",\"room_id\":\"" + room + "\",\"user_id\":\"" + id
                    + "\",\"subscribe\":{\"notifications\":true,\"data\":true},\"token\":null}}");
        }
    }

    void run(String out) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        WebSocketClient client = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions().setMaxConnections(100_000));
        double joinsPerSecondSum = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        for (int r = 0; r < rounds && System.nanoTime() < deadline; r++) {
            String room = "bench-" + r + "-" + System.nanoTime();
            List<User> us = new ArrayList<>();
            List<Future<Void>> ready = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                WebSocket ws = client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/")
                        .addSubProtocol("janus-protocol")).await(10, TimeUnit.SECONDS);
                User u = new User("u" + r + "-" + i, ws);
                us.add(u);
                ready.add(u.ready.future());
            }
            Future.all(ready).await(30, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            for (User u : us) {
                u.join(room);
            }
            List<Future<Long>> joined = new ArrayList<>();
            us.forEach(u -> joined.add(u.joined.future()));
            Future.all(joined).await(60, TimeUnit.SECONDS);
            long storm = System.nanoTime() - t0;
            for (User u : us) {
                joinReply.recordValue(u.joined.future().result());
            }
            double jps = users / (storm / 1e9);
            joinsPerSecondSum += jps;
            Thread.sleep(300); // let the last join notifications arrive
            for (User u : us) {
                leftAt.put(u.id, System.nanoTime());
                u.ws.close().await(5, TimeUnit.SECONDS);
                Thread.sleep(20);
            }
            Thread.sleep(300);
            System.out.printf(Locale.ROOT, "  round %d: %d joins in %.1f ms = %.0f joins/s%n", r + 1, users, storm / 1e6, jps);
        }
        String json = String.format(Locale.ROOT, "{\"users\":%d,\"rounds\":%d,\"joins_per_second\":%.0f,"
                        + "\"join_reply_ms\":{\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f},"
                        + "\"join_fanout_ms\":{\"count\":%d,\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f},"
                        + "\"leave_fanout_ms\":{\"count\":%d,\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f}}",
                users, rounds, joinsPerSecondSum / rounds,
                ms(joinReply, 50), ms(joinReply, 99), joinReply.getMaxValue() / 1e6,
                joinFanout.getTotalCount(), ms(joinFanout, 50), ms(joinFanout, 99), joinFanout.getMaxValue() / 1e6,
                leaveFanout.getTotalCount(), ms(leaveFanout, 50), ms(leaveFanout, 99), leaveFanout.getMaxValue() / 1e6);
        System.out.println("RESULT " + json);
        if (out != null) {
            Files.writeString(Path.of(out), json + "\n");
        }
        client.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static double ms(Histogram h, double p) {
        return h.getValueAtPercentile(p) / 1e6;
    }

    private static String num(String json, String key) {
        int i = json.indexOf(key) + key.length();
        int e = i;
        while (e < json.length() && Character.isDigit(json.charAt(e))) {
            e++;
        }
        return json.substring(i, e);
    }

    private static String str(String json, String key) {
        int i = json.indexOf(key);
        if (i < 0) {
            return "";
        }
        int s = i + key.length();
        return json.substring(s, json.indexOf('"', s));
    }
}
