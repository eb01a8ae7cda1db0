package org.janussfu.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.janussfu.core.Gateway;
import org.janussfu.core.Jsep;
import org.janussfu.core.PluginHandle;
import org.janussfu.sfu.ClusterHook;
import org.janussfu.sfu.Participant;
import org.janussfu.sfu.SfuPlugin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Rooms across nodes (issue 16, decision 0014). Each node owns its own handles; the room state of the cluster is
 * the union of every node's, carried as events: this node publishes its changes ({@code user}, {@code pub},
 * {@code offer}, {@code gone}, {@code leave}, {@code block}) on {@code janus-sfu.rooms} in the order they happened on
 * its plugin context, and mirrors every other node's changes into its own plugin ({@link org.janussfu.sfu.SfuMirrors}),
 * which then tells its local users exactly as one node would. A node that starts asks each member for its current
 * state ({@code hello} on {@code janus-sfu.node.<id>}); the answer travels on the same connection as that member's
 * events, after those already sent, and replaces what was mirrored from it. Requests for a mirrored handle (events,
 * kicks, keyframe requests, media subscriptions) go point to point to its node; other nodes' subscriptions to this
 * node's publishers are {@link RelaySubscriptions}', strict room limits {@link ClusterAdmission}'s. A member that
 * leaves or dies takes its mirrors with it: local users get {@code leave} for its users.
 *
 * <p>Threading: the {@link ClusterHook} methods run on the plugin's context; the consumers and the mirror registry
 * run on this object's own context (an event loop taken at {@link #start}); mirror operations hop to the plugin's
 * context in order ({@link MirrorRegistry}). Hazelcast holds only the membership and the event bus's subscription registry.
 */
public final class ClusterRooms implements ClusterHook {
    private static final Logger LOG = Logger.getLogger(ClusterRooms.class.getName());
    static final String ROOMS = "janus-sfu.rooms";
    static final String NODE = "janus-sfu.node.";
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final DeliveryOptions REQUEST = new DeliveryOptions().setSendTimeout(10_000);

    private final Vertx vertx;
    private final ClusterNode node;
    private final String self;
    private final SfuPlugin plugin;
    public final ClusterCounters counters = new ClusterCounters();
    private final ClusterMedia media;
    private final AtomicLong ids = new AtomicLong();
    /** This node's joined handles (plugin context writes; consumers read). */
    private final Map<Long, PluginHandle> locals = new ConcurrentHashMap<>();

    // ---- plugin context: what this node has told the others (its own handles)
    private final Map<String, Integer> localHandlesByUser = new HashMap<>();
    private final Map<String, String> localUserRoom = new LinkedHashMap<>();
    private final Map<Long, JsonObject> localPublishers = new LinkedHashMap<>();
    /**
     * The number of this node's newest room event (each carries its own as {@code s}); written on the plugin context
     * only, read by events for mirrored handles from any thread.
     */
    private volatile long published;
    private final ClusterAdmission admission;

    // ---- own context: mirrors of other nodes' handles
    private Context context;
    private final MirrorRegistry registry;
    /** Other nodes' subscriptions to this node's publishers. */
    private final RelaySubscriptions relays;

    public ClusterRooms(ClusterNode node, SfuPlugin plugin) {
        this.vertx = node.vertx();
        this.node = node;
        this.self = node.nodeId();
        this.plugin = plugin;
        this.media = new ClusterMedia(vertx, self, plugin, counters, locals);
        this.registry = new MirrorRegistry(plugin, media, ids);
        this.relays = new RelaySubscriptions(node, plugin, media, ids, locals);
        this.admission = new ClusterAdmission(vertx, self, node::members, task -> plugin.mirrors().run(task), counters,
                () -> published);
    }

    /** Decorates the core's gateway for the plugin (installed before the plugin's init). */
    public Gateway wrap(Gateway core) {
        media.coreGateway(core);
        this.core = core;
        return new ClusterGateway(core, this, media);
    }

    private Gateway core;

    /**
     * Registers the consumers on an event loop of its own (the media consumer on {@code mediaContext}, see {@link
     * ClusterMedia#start}), then fetches every member's current state.
     *
     * @param mediaContext the context that owns server-side media (the media loop), or null
     * @param reader reads the media relay's socket on that loop (the media engine's), or null (media on the bus)
     */
    public Future<Void> start(Context mediaContext, LoopReader reader) {
        Promise<Void> done = Promise.promise();
        Context c = vertx.getOrCreateContext();
        c.runOnContext(v -> {
            context = io.vertx.core.Vertx.currentContext();
            node.onNodeLeft(id -> context.runOnContext(x -> nodeLeft(id)));
            // a member that (re)appears: ask for its state (a new one answers nothing or is not listening yet,
            // and then asks us itself; one back from a split is mirrored again)
            node.onNodeAdded(id -> vertx.setTimer(1000, t -> context.runOnContext(x -> hello(id))));
            Future.all(
                    register(ROOMS, this::onRoomEvent, 10),
                    register(NODE + self, this::onDirect, 10),
                    media.start(mediaContext, reader, node.config()))
                    .compose(x -> hello())
                    .onComplete(ar -> done.handle(ar.mapEmpty()));
        });
        return done.future();
    }

    /**
     * Reads a datagram channel on the media loop: {@code onReadable} drains it there at each readiness event, {@code
     * registered} gets the action that stops it; false when the loop cannot (decision 0013's media engine provides it).
     */
    @FunctionalInterface
    public interface LoopReader {
        boolean read(java.nio.channels.DatagramChannel channel, io.vertx.core.Handler<Void> onReadable,
                     java.util.function.Consumer<Runnable> registered);
    }

    /** The UDP port of this node's media relay, or 0 when media from other nodes comes on the event bus. */
    public int relayPort() {
        return media.relayPort();
    }

    /** Closes the media relay (at shutdown, after Vert.x). */
    public void stop() {
        media.stop();
    }

    /**
     * Registers a consumer; the registration goes into Hazelcast's subscription map, which can fail while members
     * are joining at the same moment ("Not Member!"): then it is retried after a second, a few times.
     */
    private Future<Void> register(String address, io.vertx.core.Handler<Message<JsonObject>> handler, int attempts) {
        io.vertx.core.eventbus.MessageConsumer<JsonObject> c = vertx.eventBus().consumer(address, handler);
        return c.completion().recover(e -> {
            if (attempts <= 1) {
                return Future.failedFuture(e);
            }
            LOG.info(() -> "cluster: registering " + address + " failed (" + e.getMessage() + "), retrying");
            return c.unregister().otherwiseEmpty()
                    .compose(x -> {
                        Promise<Void> later = Promise.promise();
                        vertx.setTimer(1000, t -> later.complete());
                        return later.future();
                    })
                    .compose(x -> register(address, handler, attempts - 1));
        });
    }

    private Future<Void> hello() {
        List<Future<Void>> all = new ArrayList<>();
        for (String member : node.members()) {
            if (!member.equals(self)) {
                all.add(hello(member));
            }
        }
        return Future.all(all).mapEmpty();
    }

    private Future<Void> hello(String member) {
        {
            Promise<Void> p = Promise.promise();
            vertx.eventBus().<JsonObject>request(NODE + member, new JsonObject().put("t", "hello").put("n", self), REQUEST)
                    .onSuccess(reply -> {
                        registry.replace(member, reply.body().getJsonArray("state"), reply.body().getLong("s", 0L));
                        // blocks outlive sessions (§3.5): a node that starts later learns those made before it
                        JsonArray blocks = reply.body().getJsonArray("blocks");
                        if (blocks != null) {
                            for (int i = 0; i + 1 < blocks.size(); i += 2) {
                                plugin.mirrors().block(blocks.getString(i), blocks.getString(i + 1), true);
                            }
                        }
                        p.complete();
                    })
                    .onFailure(e -> {
                        LOG.info(() -> "cluster: no state from node=" + member + " (" + e.getMessage() + ")");
                        p.complete();
                    });
            return p.future();
        }
    }

    // ---------------------------------------------------------------- hook: this node's changes (plugin context)

    @Override
    public void joined(Participant p) {
        locals.put(p.handleId(), (PluginHandle) p.handle());
        int n = localHandlesByUser.merge(p.userId(), 1, Integer::sum);
        if (n == 1) {
            localUserRoom.put(p.userId(), p.roomId());
            publish(new JsonObject().put("t", "user").put("u", p.userId()).put("r", p.roomId()));
        }
        if (p.isPublisher()) {
            JsonObject pub = new JsonObject().put("t", "pub").put("h", p.handleId()).put("r", p.roomId())
                    .put("u", p.userId()).put("no", p.wantsNotifications()).put("o", p.subscriberOffer());
            localPublishers.put(p.handleId(), pub);
            publish(pub);
        }
    }

    @Override
    public void offer(Participant p) {
        JsonObject pub = localPublishers.get(p.handleId());
        if (pub != null) {
            pub.put("o", p.subscriberOffer());
            publish(new JsonObject().put("t", "offer").put("h", p.handleId()).put("o", p.subscriberOffer()));
        }
    }

    @Override
    public void destroyed(Participant p) {
        locals.remove(p.handleId());
        if (localPublishers.remove(p.handleId()) != null) {
            publish(new JsonObject().put("t", "gone").put("h", p.handleId()));
        }
        relays.publisherGone(p.handleId());
        Integer n = localHandlesByUser.get(p.userId());
        if (n != null && n <= 1) {
            localHandlesByUser.remove(p.userId());
            localUserRoom.remove(p.userId());
            publish(new JsonObject().put("t", "leave").put("u", p.userId()));
        } else if (n != null) {
            localHandlesByUser.put(p.userId(), n - 1);
        }
    }

    @Override
    public void blockChanged(String by, String whom, boolean block) {
        publish(new JsonObject().put("t", "block").put("by", by).put("whom", whom).put("b", block));
    }

    /** A mirrored publisher got its first / lost its last local subscriber: (un)subscribe at its node. */
    @Override
    public void mirrorSubscribersChanged(Participant mirror) {
        RemoteHandle r = (RemoteHandle) mirror.handle();
        boolean want = !mirror.destroyed() && !mirror.mediaSubscribers().isEmpty();
        if (want == r.subscribed) {
            return;
        }
        r.subscribed = want;
        JsonObject m = new JsonObject().put("t", want ? "sub" : "unsub").put("n", self).put("h", r.remoteId)
                .put("g", r.localId);
        int relayPort = media.relayPort();
        if (want && relayPort > 0) {
            m.put("p", relayPort).put("k", r.token); // frames to our relay, for this mirror, with its secret
            DataStream ds = media.inboundFrom(r.node); // and that node's data messages to us, numbered
            m.put("ds", ds.id).put("dk", ds.token);
        }
        vertx.eventBus().send(NODE + r.node, m);
    }

    @Override
    public Future<Admission> admit(String roomId, boolean global) {
        return admission.admit(roomId, global);
    }

    private void publish(JsonObject event) {
        long s = published + 1; // one writer: the plugin's context
        published = s;
        event.put("n", self).put("s", s);
        counters.roomEventsSent.increment();
        vertx.eventBus().publish(ROOMS, event);
    }

    // ---------------------------------------------------------------- requests for mirrored handles (any thread)

    void forwardEvent(RemoteHandle to, ObjectNode data, Jsep jsep) {
        if (to.kind == RemoteHandle.Kind.RELAY || jsep != null) {
            return; // offers to a remote node's subscription: that node renegotiates its own subscribers
        }
        // with the number of this node's newest room event: the receiving node delivers it only after applying
        // that one (a "blocked" event never overtakes the block it announces: they travel on different addresses)
        vertx.eventBus().send(NODE + to.node, new JsonObject().put("t", "event").put("h", to.remoteId)
                .put("d", data.toString()).put("n", self).put("s", published));
    }

    void keyframe(RemoteHandle publisher, boolean fir) {
        if (publisher.kind == RemoteHandle.Kind.PUBLISHER) {
            counters.keyframeRequestsForwarded.increment();
            vertx.eventBus().send(NODE + publisher.node, new JsonObject().put("t", fir ? "fir" : "pli")
                    .put("h", publisher.remoteId));
        }
    }

    /** A kick of a mirrored user: its node ends all of that user's handles in the room (the presence says which). */
    void kick(RemoteHandle h) {
        Object state = h.pluginState();
        if (h.kind == RemoteHandle.Kind.PRESENCE && state instanceof Participant p) {
            vertx.eventBus().send(NODE + h.node, new JsonObject().put("t", "kickuser").put("u", p.userId())
                    .put("r", p.roomId()));
        } else if (h.kind == RemoteHandle.Kind.PUBLISHER) {
            vertx.eventBus().send(NODE + h.node, new JsonObject().put("t", "kick").put("h", h.remoteId));
        }
    }

    // ---------------------------------------------------------------- incoming (own context)

    private void onRoomEvent(Message<JsonObject> msg) {
        JsonObject e = msg.body();
        String from = e.getString("n");
        if (self.equals(from)) {
            return;
        }
        counters.roomEventsReceived.increment();
        registry.apply(from, e);
    }

    private void nodeLeft(String id) {
        counters.nodesLost.increment();
        relays.nodeLeft(id);
        media.dropNode(id);
        int n = registry.dropNode(id);
        int dropped = n;
        LOG.info(() -> "cluster: node " + id + " left; mirrors dropped=" + dropped);
    }

    private void onDirect(Message<JsonObject> msg) {
        JsonObject m = msg.body();
        switch (m.getString("t", "")) {
            case "hello" -> plugin.mirrors().run(() -> msg.reply(new JsonObject().put("state", localState())
                    .put("blocks", knownBlocks()).put("s", published)));
            case "sync" -> registry.whenApplied(m.getString("n", ""), m.getLong("s", 0L),
                    () -> plugin.mirrors().run(() -> msg.reply(ClusterAdmission.SYNCED)));
            case "event" -> registry.whenApplied(m.getString("n", ""), m.getLong("s", 0L), () -> plugin.mirrors().run(() -> {
                PluginHandle h = locals.get(m.getLong("h"));
                if (h != null) {
                    try {
                        core.pushEvent(h, (ObjectNode) MAPPER.readTree(m.getString("d")), null);
                    } catch (java.io.IOException e) {
                        counters.framesUnknownTarget.increment();
                    }
                }
            }));
            case "pli", "fir", "kick" -> {
                PluginHandle h = locals.get(m.getLong("h"));
                if (h == null) {
                    counters.framesUnknownTarget.increment();
                } else if ("kick".equals(m.getString("t"))) {
                    core.endSession(h);
                } else if ("fir".equals(m.getString("t"))) {
                    core.sendFir(h);
                } else {
                    core.sendPli(h);
                }
            }
            case "kickuser" -> plugin.mirrors().kick(m.getString("u"), m.getString("r"));
            case "sub", "unsub" -> relays.onRequest(m, context, core);
            default -> LOG.fine(() -> "cluster: unknown direct message " + m.getString("t"));
        }
    }

    /** Plugin context: this node's users and publishers, in the order the others learnt them. */
    /** Every block the plugin knows, flattened as [by, whom, by, whom, ...]; plugin context. */
    private JsonArray knownBlocks() {
        JsonArray out = new JsonArray();
        plugin.mirrors().forEachBlock((by, whom) -> out.add(by).add(whom));
        return out;
    }

    private JsonArray localState() {
        JsonArray out = new JsonArray();
        for (Map.Entry<String, String> u : localUserRoom.entrySet()) {
            out.add(new JsonObject().put("t", "user").put("u", u.getKey()).put("r", u.getValue()));
        }
        for (JsonObject pub : localPublishers.values()) {
            out.add(pub.copy());
        }
        return out;
    }
}
