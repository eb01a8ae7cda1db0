package org.janussfu.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.janussfu.sfu.SfuPlugin;
import org.janussfu.sfu.Subscription;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The mirrors of other nodes' handles on this node, by {@code P|node|user} (a user's presence) and
 * {@code H|node|handle} (a publisher handle): applies another node's room events to them idempotently (a join of a
 * known mirror or the leave of an unknown one changes nothing), replaces a node's mirrors by its {@code hello} state,
 * and drops a node's mirrors when it leaves. Each change goes on to the plugin through {@link org.janussfu.sfu.SfuMirrors},
 * in order. Used only on {@link ClusterRooms}' own context.
 */
final class MirrorRegistry {
    private static final Logger LOG = Logger.getLogger(MirrorRegistry.class.getName());

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final SfuPlugin plugin;
    private final ClusterMedia media;
    private final AtomicLong ids;
    private final Map<String, RemoteHandle> mirrors = new HashMap<>();
    /** Per origin node: the number of its newest room event applied (events and {@code hello} state carry them). */
    private final Map<String, Long> applied = new HashMap<>();
    /**
     * Per origin node: what waits for one of its events not applied yet — acknowledgements of its {@code sync}
     * requests and its events for local handles (which overtook the room event they follow).
     */
    private final Map<String, java.util.ArrayDeque<Parked>> parked = new HashMap<>();
    /** At most this many wait per origin; beyond, the oldest runs early (out of order rather than lost or unbounded). */
    static final int MAX_PARKED = 1024;

    private record Parked(long seq, Runnable ack) {
    }

    MirrorRegistry(SfuPlugin plugin, ClusterMedia media, AtomicLong ids) {
        this.plugin = plugin;
        this.media = media;
        this.ids = ids;
    }

    void apply(String from, JsonObject e) {
        switch (e.getString("t", "")) {
            case "user" -> mirrorJoin(RemoteHandle.Kind.PRESENCE, from, 0, e.getString("r"), e.getString("u"), false, null);
            case "pub" -> mirrorJoin(RemoteHandle.Kind.PUBLISHER, from, e.getLong("h"), e.getString("r"),
                    e.getString("u"), e.getBoolean("no", false), e.getString("o"));
            case "offer" -> {
                RemoteHandle m = mirrors.get(key(RemoteHandle.Kind.PUBLISHER, from, e.getLong("h"), null));
                if (m != null) {
                    plugin.mirrors().offer(m, e.getString("o"));
                }
            }
            case "gone" -> dropMirror(key(RemoteHandle.Kind.PUBLISHER, from, e.getLong("h"), null));
            case "leave" -> dropMirror(key(RemoteHandle.Kind.PRESENCE, from, 0, e.getString("u")));
            case "block" -> plugin.mirrors().block(e.getString("by"), e.getString("whom"), e.getBoolean("b", true));
            default -> LOG.fine(() -> "cluster: unknown room event " + e.getString("t"));
        }
        advance(from, e.getLong("s", 0L));
    }

    /**
     * Runs {@code ack} once this node has applied {@code from}'s room events up to number {@code seq} — at once if
     * it has; the mirror changes of those events are queued to the plugin's context before it. Strict limits: a
     * node holding a room's admission lock waits for this from every member before it lets the next join in; events
     * for local handles ("blocked" after its block) wait for it too. Dropped, not run, when {@code from} leaves.
     */
    void whenApplied(String from, long seq, Runnable ack) {
        if (applied.getOrDefault(from, 0L) >= seq) {
            ack.run();
            return;
        }
        java.util.ArrayDeque<Parked> q = parked.computeIfAbsent(from, k -> new java.util.ArrayDeque<>(2));
        if (q.size() >= MAX_PARKED) {
            q.poll().ack().run();
        }
        q.add(new Parked(seq, ack));
    }

    private void advance(String from, long seq) {
        if (seq <= applied.getOrDefault(from, 0L)) {
            return;
        }
        applied.put(from, seq);
        java.util.ArrayDeque<Parked> q = parked.get(from);
        while (q != null && !q.isEmpty() && q.peek().seq() <= seq) {
            q.poll().ack().run();
        }
    }

    /** A random secret for frames between nodes (never 0: a guess is 1 in 2^64). */
    static long secret() {
        long v = RANDOM.nextLong();
        return v == 0 ? 1 : v;
    }

    private static String key(RemoteHandle.Kind kind, String node, long id, String user) {
        return kind == RemoteHandle.Kind.PRESENCE ? "P|" + node + "|" + user : "H|" + node + "|" + id;
    }

    private void mirrorJoin(RemoteHandle.Kind kind, String from, long id, String room, String user, boolean notify,
                            String offer) {
        String k = key(kind, from, id, user);
        if (mirrors.containsKey(k)) {
            return;
        }
        // a publisher mirror's relay frames must carry its secret (never 0): a guess is 1 in 2^64
        long token = kind == RemoteHandle.Kind.PUBLISHER ? secret() : 0;
        RemoteHandle m = new RemoteHandle(kind, from, id, ids.decrementAndGet(), 0, token, null);
        mirrors.put(k, m);
        if (kind == RemoteHandle.Kind.PUBLISHER) {
            media.mirrorsById.put(m.localId, m);
        }
        Subscription s = kind == RemoteHandle.Kind.PUBLISHER ? new Subscription(notify, true, null) : null;
        plugin.mirrors().join(m, m.localId, room, user, s, offer);
    }

    private void dropMirror(String k) {
        RemoteHandle m = mirrors.remove(k);
        if (m != null) {
            m.kill();
            media.mirrorsById.remove(m.localId);
            plugin.mirrors().destroy(m);
        }
    }

    /** Replaces everything mirrored from {@code member} by its answer to {@code hello}, made after its event {@code seq}. */
    void replace(String member, JsonArray state, long seq) {
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (Object o : state) {
            JsonObject e = (JsonObject) o;
            keep.add("user".equals(e.getString("t")) ? key(RemoteHandle.Kind.PRESENCE, member, 0, e.getString("u"))
                    : key(RemoteHandle.Kind.PUBLISHER, member, e.getLong("h"), null));
        }
        for (String k : new ArrayList<>(mirrors.keySet())) {
            if (mirrors.get(k).node.equals(member) && !keep.contains(k)) {
                dropMirror(k);
            }
        }
        for (Object o : state) {
            apply(member, (JsonObject) o);
        }
        advance(member, seq);
    }

    /** Drops every mirror of {@code node}: publishers first, then presence, so the last of a user sends the leave. */
    int dropNode(String node) {
        applied.remove(node);
        parked.remove(node);
        int n = 0;
        for (String k : new ArrayList<>(mirrors.keySet())) {
            if (k.startsWith("H|") && mirrors.get(k).node.equals(node)) {
                dropMirror(k);
                n++;
            }
        }
        for (String k : new ArrayList<>(mirrors.keySet())) {
            if (mirrors.get(k).node.equals(node)) {
                dropMirror(k);
                n++;
            }
        }
        return n;
    }
}
