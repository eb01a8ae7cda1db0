package org.janussfu.testing;

import org.janussfu.ConfigLoader;
import org.janussfu.Plugins;
import org.janussfu.Server;
import org.janussfu.ServerConfig;
import org.janussfu.core.Plugin;
import org.janussfu.core.JanusCore;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Starts a real {@link Server} on free loopback ports for a test, with configuration overrides given as the
 * environment variables an operator would set, and the plugins the test asks for. Used from the JUnit
 * thread; {@link #close} stops the server.
 */
public final class TestServer implements AutoCloseable {
    public final Server server;
    public final int wsPort;
    public final int httpPort;

    private TestServer(Server server, int wsPort, int httpPort) {
        this.server = server;
        this.wsPort = wsPort;
        this.httpPort = httpPort;
    }

    /** A server with the production plugins (janus.plugin.sfu), configured from {@code env}. */
    public static TestServer startProduction(Map<String, String> env) throws Exception {
        return start(env, null);
    }

    public static TestServer start(Map<String, String> env, Function<io.vertx.core.Vertx, List<Plugin>> plugins)
            throws Exception {
        int ws = freePort();
        int http = freePort();
        Map<String, String> all = new HashMap<>();
        all.put("JANUS_SFU_TRANSPORT_WS_HOST", "127.0.0.1");
        all.put("JANUS_SFU_TRANSPORT_WS_PORT", Integer.toString(ws));
        all.put("JANUS_SFU_TRANSPORT_WS_INSTANCES", "2");
        all.put("JANUS_SFU_TRANSPORT_HTTP_HOST", "127.0.0.1");
        all.put("JANUS_SFU_TRANSPORT_HTTP_PORT", Integer.toString(http));
        all.put("JANUS_SFU_TRANSPORT_HTTP_INSTANCES", "2");
        all.put("JANUS_SFU_WEBRTC_ICE_BIND_ADDRESSES", "[\"127.0.0.1\"]");
        all.put("JANUS_SFU_WEBRTC_ICE_PORT", "0");
        // Admin listeners on ephemeral ports (never the fixed 7088/7188 of production: tests run servers side by side).
        // Port 0: bound by the listener itself, so it can never collide with a port handed out by freePort().
        all.put("JANUS_SFU_ADMIN_HTTP_PORT", "0");
        all.put("JANUS_SFU_ADMIN_WS_PORT", "0");
        all.putAll(env);
        ServerConfig config = ServerConfig.from(ConfigLoader.merge(null, all));
        Server server = new Server(config, plugins != null ? plugins : v -> Plugins.production(v, config));
        server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new TestServer(server, ws, http);
    }

    /**
     * {@code n} clustered nodes in this JVM (separate Vert.x instances, each with its own Hazelcast member) on
     * 127.0.0.1 with distinct ports, all listing each other, with {@code env} on top. Started one after the other;
     * each constructor blocks until its member has joined. Closing each stops it (its users leave first).
     */
    public static List<TestServer> startCluster(int n, Map<String, String> env) throws Exception {
        List<TestServer> out = new java.util.ArrayList<>();
        try {
            for (Map<String, String> node : clusterEnvs(n, env)) {
                out.add(start(node, null));
            }
        } catch (Exception e) {
            for (TestServer t : out) {
                t.close();
            }
            throw e;
        }
        return out;
    }

    /**
     * The environment of each of {@code n} cluster nodes (127.0.0.1, distinct ports, every node listing all), for a
     * test that starts them itself — e.g. one node later than the others.
     */
    public static List<Map<String, String>> clusterEnvs(int n, Map<String, String> env) throws IOException {
        int[] ports = new int[n];
        StringBuilder members = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            ports[i] = freePort();
            members.append(i == 0 ? "" : ",").append("\"127.0.0.1:").append(ports[i]).append('"');
        }
        members.append(']');
        String name = "test-" + ports[0];
        List<Map<String, String>> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> all = new HashMap<>(env);
            all.put("JANUS_SFU_CLUSTER_ENABLED", "true");
            all.put("JANUS_SFU_CLUSTER_NAME", name);
            all.put("JANUS_SFU_CLUSTER_HOST", "127.0.0.1");
            all.put("JANUS_SFU_CLUSTER_PORT", Integer.toString(ports[i]));
            all.put("JANUS_SFU_CLUSTER_BUS_PORT", Integer.toString(freePort()));
            all.put("JANUS_SFU_CLUSTER_MEMBERS", members.toString());
            out.add(all);
        }
        return out;
    }

    /** The admin HTTP port actually bound (POST /admin, GET /metrics, GET /health). */
    public int adminHttpPort() {
        return server.admin().httpPort();
    }

    public int adminWsPort() {
        return server.admin().wsPort();
    }

    public JanusCore core() {
        return server.core();
    }

    /** Ports handed out recently by {@link #freePort} in this JVM (the kernel may offer a just-closed one again). */
    private static final java.util.ArrayDeque<Integer> RECENT = new java.util.ArrayDeque<>();

    /** Ports tried by {@link #freePort}: below Linux's ephemeral range (32768-60999), see there. */
    private static final int FREE_MIN = 20000;
    private static final int FREE_MAX = 32767;

    /**
     * A port free right now on 127.0.0.1 and not handed out by this method among its last 1,024 answers. It is taken
     * below the kernel's ephemeral range on purpose: a port the kernel offered for port 0 can be given to the next
     * outgoing connection (a cluster node dialling another) before the child process binds it — CI saw a node fail
     * with "Address already in use" that way — while a port below the range is never picked as a source port.
     */
    public static synchronized int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 4096; attempt++) {
            int port = rnd.nextInt(FREE_MIN, FREE_MAX + 1);
            if (RECENT.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
            } catch (IOException busy) {
                continue;
            }
            RECENT.addLast(port);
            if (RECENT.size() > 1024) {
                RECENT.removeFirst();
            }
            return port;
        }
        throw new IOException("no free port in " + FREE_MIN + "-" + FREE_MAX);
    }

    @Override
    public void close() throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }
}
