package org.janussfu.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.janussfu.core.Gateway;
import org.janussfu.core.PluginHandle;
import org.janussfu.sfu.SfuPlugin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Other nodes' subscriptions to this node's publishers (decision 0014, "Media between nodes"): a {@code sub} from
 * node B for publisher P adds one relay participant for B to P's media subscribers (its frames to B's relay port, with
 * the secret of B's mirror), and sets up the data stream to B; {@code unsub}, P's end and B's departure remove it.
 * Requests of one node are handled in arrival order behind the lookup of that node's relay host. Threads: {@link
 * #onRequest} and {@link #nodeLeft} on {@link ClusterRooms}' own context (the relay hosts live there); the relays by
 * publisher on the plugin's context ({@link #publisherGone} runs there, the others hop there through {@link
 * org.janussfu.sfu.SfuMirrors}).
 */
final class RelaySubscriptions {
    private static final Logger LOG = Logger.getLogger(RelaySubscriptions.class.getName());

    private final ClusterNode cluster;
    private final SfuPlugin plugin;
    private final ClusterMedia media;
    private final AtomicLong ids;
    private final Map<Long, PluginHandle> locals;
    /** Relays (other nodes' subscriptions) by local publisher id; plugin context. */
    private final Map<Long, List<RemoteHandle>> relaysByPublisher = new HashMap<>();
    /** Each member's relay host (null: none), once the cluster manager answered; own context. */
    private final Map<String, Future<String>> relayHosts = new HashMap<>();

    RelaySubscriptions(ClusterNode cluster, SfuPlugin plugin, ClusterMedia media, AtomicLong ids,
                       Map<Long, PluginHandle> locals) {
        this.cluster = cluster;
        this.plugin = plugin;
        this.media = media;
        this.ids = ids;
        this.locals = locals;
    }

    /** Own context: a {@code sub} or {@code unsub} from another node ({@code core}: the core's gateway, for FIR). */
    void onRequest(JsonObject m, Context own, Gateway core) {
        inOrderFor(own, m.getString("n"), m.getInteger("p", 0) > 0, relayHost -> {
            if ("sub".equals(m.getString("t"))) {
                java.net.InetSocketAddress to = relayHost == null ? null : relayAddress(relayHost, m.getInteger("p", 0));
                subscribeRelay(core, m.getString("n"), m.getLong("h"), m.getLong("g"), m.getLong("k", 0L), to);
                if (to != null && m.getLong("dk", 0L) != 0) {
                    media.route(m.getString("n"), to, m.getLong("ds", 0L), m.getLong("dk"));
                }
            } else {
                unsubscribeRelay(m.getString("n"), m.getLong("h"), m.getLong("g"));
            }
        });
    }

    /** Plugin context: local publisher {@code publisherId} is gone, and its relays with it. */
    void publisherGone(long publisherId) {
        List<RemoteHandle> relays = relaysByPublisher.remove(publisherId);
        if (relays != null) {
            for (RemoteHandle r : relays) {
                r.kill();
                plugin.mirrors().destroy(r);
            }
        }
    }

    /** Own context: member {@code id} left; its relay host is forgotten and its relays dropped (on the plugin context). */
    void nodeLeft(String id) {
        relayHosts.remove(id);
        plugin.mirrors().run(() -> {
            for (List<RemoteHandle> relays : relaysByPublisher.values()) {
                relays.removeIf(r -> {
                    if (r.node.equals(id)) {
                        r.kill();
                        plugin.mirrors().destroy(r);
                        return true;
                    }
                    return false;
                });
            }
        });
    }

    /**
     * Own context: runs {@code then} with member {@code node}'s relay host (null: media to it goes on the event bus)
     * after every earlier (un)subscription of that node, in arrival order — the first needs the host from the cluster
     * manager (asynchronous), the later ones wait behind it on the same future.
     */
    private void inOrderFor(Context own, String node, boolean wantsRelay, java.util.function.Consumer<String> then) {
        Future<String> host = relayHosts.get(node);
        if (host == null) {
            Promise<String> p = Promise.promise();
            host = p.future();
            relayHosts.put(node, host);
            cluster.hostOf(node).onComplete(ar -> own.runOnContext(v -> {
                String h = ar.succeeded() ? literalOrNull(ar.result()) : null;
                if (h == null) {
                    LOG.warning(() -> "cluster: no relay address for node " + node + " ("
                            + (ar.succeeded() ? "not a literal: " + ar.result() : ar.cause()) + "); media to it on the event bus");
                }
                p.complete(h);
            }));
        }
        host.onComplete(ar -> then.accept(wantsRelay && media.relayPort() > 0 ? ar.result() : null));
    }

    /** {@code h} if it is a literal IPv4 or IPv6 address (so that nothing is ever looked up), else null. */
    static String literalOrNull(String h) {
        return h != null && (h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || h.matches("[0-9a-fA-F:.%]*:[0-9a-fA-F:.%]*"))
                ? h : null;
    }

    private static java.net.InetSocketAddress relayAddress(String literal, int port) {
        try {
            return new java.net.InetSocketAddress(java.net.InetAddress.getByName(literal), port);
        } catch (java.net.UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    private void subscribeRelay(Gateway core, String from, long publisherId, long mirrorId, long token,
                                java.net.InetSocketAddress to) {
        RemoteHandle relay = new RemoteHandle(RemoteHandle.Kind.RELAY, from, mirrorId, ids.decrementAndGet(), publisherId,
                token, token == 0 ? null : to);
        plugin.mirrors().subscribe(relay, relay.localId, publisherId, ok -> {
            if (ok) {
                relaysByPublisher.computeIfAbsent(publisherId, x -> new ArrayList<>(2)).add(relay);
                PluginHandle pub = locals.get(publisherId);
                if (pub != null) {
                    core.sendFir(pub); // the new node's subscribers need a keyframe
                }
            }
        });
    }

    private void unsubscribeRelay(String from, long publisherId, long mirrorId) {
        plugin.mirrors().run(() -> {
            List<RemoteHandle> relays = relaysByPublisher.get(publisherId);
            if (relays != null) {
                relays.removeIf(r -> {
                    if (r.node.equals(from) && r.remoteId == mirrorId) {
                        r.kill();
                        plugin.mirrors().destroy(r);
                        return true;
                    }
                    return false;
                });
            }
        });
    }
}
