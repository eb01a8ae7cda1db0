package org.janussfu.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Janus API request throughput over WebSocket: N connections, each with one session and one handle, keep D
 * requests in flight from a keepalive/message mix and record each request's latency (keepalive: until its
 * ack; message: until its event, as a client waits for it). Reports requests/s, latency percentiles and, when
 * given the server's pid, the server's CPU per request from /proc. Bounded by --seconds; loopback only.
 * Runs on its own Vert.x instance; callbacks run on its event loops, the main thread only waits and reports.
 */
public final class WsBench {
    private final Args args;
    private final Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(10), 3);
    private final LongAdder completed = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private volatile boolean measuring;
    private volatile boolean running = true;

    private WsBench(Args args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv);
        if (!a.host.startsWith("127.") && !a.host.equals("localhost")) {
            throw new IllegalArgumentException("load tests only target loopback, not " + a.host);
        }
        new WsBench(a).run();
    }

    private void run() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(args.clientLoops));
        WebSocketClient client = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions().setMaxConnections(100_000));
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < args.connections; i++) {
            WebSocket ws = client.connect(new WebSocketConnectOptions().setHost(args.host).setPort(args.port).setURI("/")
                    .addSubProtocol("janus-protocol")).await(10, TimeUnit.SECONDS);
            Conn c = new Conn(ws, i);
            conns.add(c);
        }
        List<Future<Void>> ready = new ArrayList<>();
        for (Conn c : conns) {
            ready.add(c.setUp());
        }
        Future.all(ready).await(30, TimeUnit.SECONDS);
        Thread.sleep(TimeUnit.SECONDS.toMillis(args.warmupSeconds));
        recorder.getIntervalHistogram();
        long done0 = completed.sum();
        long serverCpu0 = serverCpuTicks();
        long clientCpu0 = clientCpuNanos();
        long t0 = System.nanoTime();
        measuring = true;
        Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        for (int s = 0; s < args.seconds; s++) {
            Thread.sleep(1000);
            Histogram h = recorder.getIntervalHistogram();
            total.add(h);
            System.out.printf(Locale.ROOT, "  t=%2ds  %,8d req/s  p50 %6.3f ms  p99 %6.3f ms%n", s + 1, h.getTotalCount(),
                    h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6);
        }
        measuring = false;
        long elapsed = System.nanoTime() - t0;
        long done = completed.sum() - done0;
        long serverCpu = serverCpuTicks() - serverCpu0;
        long clientCpu = clientCpuNanos() - clientCpu0;
        running = false;
        double rps = done / (elapsed / 1e9);
        double serverCpuSec = serverCpu / 100.0;
        String json = String.format(Locale.ROOT,
                "{\"connections\":%d,\"depth\":%d,\"message_share\":%.2f,\"seconds\":%.1f,\"requests\":%d,\"rps\":%.0f,"
                        + "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f,\"errors\":%d,"
                        + "\"server_cpu_s\":%.2f,\"server_cpu_us_per_req\":%.2f,\"client_cpu_s\":%.2f}",
                args.connections, args.depth, args.messageShare, elapsed / 1e9, done, rps,
                total.getValueAtPercentile(50) / 1e6, total.getValueAtPercentile(90) / 1e6,
                total.getValueAtPercentile(99) / 1e6, total.getValueAtPercentile(99.9) / 1e6, total.getMaxValue() / 1e6,
                errors.sum(), serverCpuSec, args.serverPid > 0 ? serverCpuSec * 1e6 / Math.max(1, done) : -1.0,
                clientCpu / 1e9);
        System.out.println("RESULT " + json);
        if (args.out != null) {
            Files.writeString(Path.of(args.out), json + "\n");
        }
        for (Conn c : conns) {
            c.ws.close();
        }
        client.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** utime+stime of the server process in clock ticks (100 Hz on Linux), or 0 without a pid. */
    private long serverCpuTicks() {
        if (args.serverPid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + args.serverPid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return 0;
        }
    }

    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** One benchmark connection: a session, a handle, and a ring of in-flight request send times. */
    private final class Conn {
        final WebSocket ws;
        final int index;
        final long[] sentAt = new long[1 << 12];
        long session;
        long handle;
        long seq;

        Conn(WebSocket ws, int index) {
            this.ws = ws;
            this.index = index;
        }

        Future<Void> setUp() {
            io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
            ws.textMessageHandler(t -> {
                String janus = field(t, "\"janus\":\"");
                if (session == 0) {
                    session = Long.parseLong(number(t, "\"id\":"));
                    ws.writeTextMessage("{\"janus\":\"attach\",\"transaction\":\"a\",\"session_id\":" + session
                            + ",\"plugin\":\"" + args.plugin + "\"}");
                } else if (handle == 0) {
                    if (!"success".equals(janus)) {
                        p.fail("attach failed: " + t);
                        return;
                    }
                    handle = Long.parseLong(number(t, "\"id\":"));
                    ws.textMessageHandler(this::onReply);
                    p.complete();
                    start(); // on this connection's event loop, like every later send

                }
            });
            ws.writeTextMessage("{\"janus\":\"create\",\"transaction\":\"c\"}");
            return p.future();
        }

        void start() {
            for (int i = 0; i < args.depth; i++) {
                sendNext();
            }
        }

        void sendNext() {
            if (!running) {
                return;
            }
            long n = seq++;
            sentAt[(int) (n & (sentAt.length - 1))] = System.nanoTime();
            boolean message = (n % 100) < Math.round(args.messageShare * 100);
            if (message) {
                ws.writeTextMessage("{\"janus\":\"message\",\"transaction\":\"m" + n + "\",\"session_id\":" + session
                        + ",\"handle_id\":" + handle + ",\"body\":{}}");
            } else {
                ws.writeTextMessage("{\"janus\":\"keepalive\",\"transaction\":\"k" + n + "\",\"session_id\":" + session + "}");
            }
        }

        void onReply(String t) {
            String janus = field(t, "\"janus\":\"");
            String tx = field(t, "\"transaction\":\"");
            if (tx == null || janus == null) {
                return;
            }
            boolean done;
            if (tx.charAt(0) == 'm') {
                done = janus.equals("event") || janus.equals("error");
            } else {
                done = janus.equals("ack") || janus.equals("error");
            }
            if (!done) {
                return;
            }
            if (janus.equals("error")) {
                errors.increment();
            }
            long n = Long.parseLong(tx.substring(1));
            long latency = System.nanoTime() - sentAt[(int) (n & (sentAt.length - 1))];
            if (measuring) {
                recorder.recordValue(Math.min(latency, TimeUnit.SECONDS.toNanos(10)));
            }
            completed.increment();
            sendNext();
        }
    }

    private static String field(String json, String key) {
        int i = json.indexOf(key);
        if (i < 0) {
            return null;
        }
        int start = i + key.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }

    private static String number(String json, String key) {
        int i = json.indexOf(key) + key.length();
        int end = i;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return json.substring(i, end);
    }

    /** Command-line options. */
    private static final class Args {
        String host = "127.0.0.1";
        int port = 8188;
        int connections = 10;
        int depth = 1;
        int seconds = 20;
        int warmupSeconds = 5;
        double messageShare = 0.5;
        String plugin = "janus.plugin.sfu";
        long serverPid;
        int clientLoops = 2;
        String out;

        static Args parse(String[] argv) {
            Args a = new Args();
            for (int i = 0; i < argv.length; i += 2) {
                String v = argv[i + 1];
                switch (argv[i]) {
                    case "--host" -> a.host = v;
                    case "--port" -> a.port = Integer.parseInt(v);
                    case "--connections" -> a.connections = Integer.parseInt(v);
                    case "--depth" -> a.depth = Math.min(1000, Integer.parseInt(v));
                    case "--seconds" -> a.seconds = Math.min(600, Integer.parseInt(v));
                    case "--warmup" -> a.warmupSeconds = Math.min(120, Integer.parseInt(v));
                    case "--message-share" -> a.messageShare = Double.parseDouble(v);
                    case "--plugin" -> a.plugin = v;
                    case "--server-pid" -> a.serverPid = Long.parseLong(v);
                    case "--client-loops" -> a.clientLoops = Integer.parseInt(v);
                    case "--out" -> a.out = v;
                    default -> throw new IllegalArgumentException("unknown option " + argv[i]);
                }
            }
            return a;
        }
    }
}
