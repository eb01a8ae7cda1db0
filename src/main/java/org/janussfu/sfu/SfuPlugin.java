package org.janussfu.sfu;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.janussfu.core.DataMessage;
import org.janussfu.core.Gateway;
import org.janussfu.core.Jsep;
import org.janussfu.core.Plugin;
import org.janussfu.core.PluginHandle;
import org.janussfu.core.PluginInfo;
import org.janussfu.core.PluginReply;
import org.janussfu.core.Replies;
import org.janussfu.rtp.Packet;
import org.janussfu.sdp.CodecPolicy;
import org.janussfu.rtp.RtcpScan;

import java.util.List;
import java.util.logging.Logger;

/**
 * The {@code janus.plugin.sfu} plugin on the core's {@link Plugin}/{@link Gateway} seam: rooms, users,
 * subscriptions, blocks, data and kick (sfu-protocol.md §1–6). All plugin state lives in one {@link Switchboard}
 * owned by the plugin's own event-loop context; every signalling callback hops there, so no locks. The media
 * callbacks ({@code incomingRtp/Rtcp}) run on the handle's media context — the engine's media loop, where the packet
 * was read (decision 0013) — and {@code incomingData} on the handle's session context; they only read the immutable
 * recipient snapshots the switchboard publishes — no allocation, logging or exceptions per packet.
 */
public final class SfuPlugin implements Plugin {
    public static final String PACKAGE = "janus.plugin.sfu";
    private static final Logger LOG = Logger.getLogger(SfuPlugin.class.getName());
    /** Lifecycle lines a client can repeat at will: all of them in normal life, a bounded number under attack. */
    private static final org.janussfu.core.LogThrottle LIFECYCLE_LOG = new org.janussfu.core.LogThrottle(LOG, java.util.logging.Level.INFO, 50, 10_000);
    private static final PluginInfo INFO = new PluginInfo(PACKAGE, "Janus SFU plugin",
            "Rooms for networked-aframe / Hubs clients: publishers, subscribers, blocks, data relay (janus-sfu).",
            "janus-sfu", 7, "0.1.0");

    private final Vertx vertx;
    private final SfuConfig config;
    private final SfuMessages messages;
    final SfuCounters counters = new SfuCounters();
    private final SfuAdmin admin = new SfuAdmin(this);
    private volatile org.janussfu.core.EventHook events = org.janussfu.core.EventHook.NONE;
    private Gateway gateway;
    private volatile Context context;
    private Switchboard board;
    /** Cluster seams (issue 16); set before {@link #init}, identity / no-op on a single node. */
    private java.util.function.UnaryOperator<Gateway> gatewayWrapper = java.util.function.UnaryOperator.identity();
    private ClusterHook cluster = ClusterHook.NONE;
    private final SfuMirrors mirrors = new SfuMirrors(this);

    public SfuPlugin(Vertx vertx, SfuConfig config, CodecPolicy codecs) {
        this.vertx = vertx;
        this.config = config;
        this.messages = new SfuMessages(this, new PublisherNegotiator(codecs));
    }

    @Override
    public PluginInfo info() {
        return INFO;
    }

    /** Takes an event loop of its own (through a verticle, so that Vert.x owns its lifecycle) for the switchboard. */
    @Override
    public Future<Void> init(Gateway gateway) {
        this.gateway = gatewayWrapper.apply(gateway);
        this.board = new Switchboard(config);
        board.onMirrorSubscribersChanged(p -> cluster.mirrorSubscribersChanged(p));
        return vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                SfuPlugin.this.context = context;
                return Future.succeededFuture();
            }
        }).mapEmpty();
    }

    @Override
    public Future<Void> destroy() {
        return Future.succeededFuture();
    }

    @Override
    public void createSession(PluginHandle handle) {
        context.runOnContext(v -> handle.setPluginState(board.create(handle.id(), handle)));
    }

    @Override
    public Future<PluginReply> handleMessage(PluginHandle handle, String transaction, ObjectNode body, Jsep jsep) {
        Promise<PluginReply> reply = Promise.promise();
        context.runOnContext(v -> {
            Future<ClusterHook.Admission> gate = admission(body);
            if (gate == null) {
                process(handle, body, jsep, reply, null);
            } else {
                gate.onComplete(ar -> context.runOnContext(x -> {
                    if (ar.failed()) {
                        reply.complete(SfuMessages.refused(ar.cause() instanceof SfuError e ? e.text() : SfuError.SERVER_FULL));
                    } else {
                        process(handle, body, jsep, reply, ar.result());
                    }
                }));
            }
        });
        return reply.future();
    }

    /** A cluster's permit for a publisher join while a room limit is set (strict limits across nodes), or null. */
    private Future<ClusterHook.Admission> admission(ObjectNode body) {
        if (cluster == ClusterHook.NONE || (config.maxRoomSize() == 0 && config.maxCcu() == 0)) {
            return null;
        }
        String room = SfuMessages.publisherJoinRoom(body);
        return room == null ? null : cluster.admit(room, config.maxCcu() > 0);
    }

    private void process(PluginHandle handle, ObjectNode body, Jsep jsep, Promise<PluginReply> reply,
                         ClusterHook.Admission permit) {
        Participant p = participant(handle);
        boolean wasJoined = p == null || p.joined();
        try {
            reply.complete(messages.process(p, body, jsep));
        } catch (RuntimeException e) {
            reply.fail(e);
        } finally {
            if (permit != null) {
                permit.done(!wasJoined && p.joined() && p.isPublisher());
            }
        }
    }

    @Override
    public void destroySession(PluginHandle handle) {
        context.runOnContext(v -> {
            Participant p = participant(handle);
            if (p == null) {
                return;
            }
            boolean wasJoined = p.joined() && !p.destroyed();
            LeaveResult leave = board.destroy(p);
            if (wasJoined) {
                cluster.destroyed(p);
            }
            if (leave.sendLeave()) {
                ObjectNode ev = event("leave");
                ev.put("room_id", leave.roomId());
                ev.put("user_id", leave.userId());
                pushLocal(leave.recipients(), ev);
                roomEvent(handle, "leave", leave.roomId(), leave.userId());
                LIFECYCLE_LOG.log(() -> "user left room=\"" + leave.roomId() + "\" user=\"" + leave.userId() + "\"");
            }
        });
    }

    /** The handle's PeerConnection is up: ask the publishers it receives from for a keyframe (§6.4). */
    @Override
    public void setupMedia(PluginHandle handle) {
        context.runOnContext(v -> {
            Participant p = participant(handle);
            if (p != null) {
                for (Participant sender : board.mediaSenders(p)) {
                    gateway.sendFir(handleOf(sender));
                }
            }
        });
    }

    /** A PeerConnection going away changes nothing in the rooms (§3.4): the handle stays joined. */
    @Override
    public void hangupMedia(PluginHandle handle) {
    }

    @Override
    public void incomingRtp(PluginHandle handle, Packet packet) {
        Participant p = (Participant) handle.pluginState();
        if (p == null) {
            counters.rtpNotJoined.increment();
            return;
        }
        List<Participant> to = p.mediaRecipientsSnapshot();
        for (int i = 0, n = to.size(); i < n; i++) {
            gateway.relayRtp(handleOf(to.get(i)), packet);
        }
    }

    /**
     * Keyframe requests from a subscriber go to the publishers it receives from (not blocked); other RTCP of a
     * publisher goes to its subscribers (§6.4). PLI and FIR are not forwarded blindly: the gateway rate-limits.
     */
    @Override
    public void incomingRtcp(PluginHandle handle, Packet packet) {
        Participant p = (Participant) handle.pluginState();
        if (p == null) {
            return;
        }
        int requests = RtcpScan.keyframeRequests(packet.buffer(), packet.offset(), packet.length());
        if (requests != 0) {
            List<Participant> senders = p.mediaSendersSnapshot();
            for (int i = 0, n = senders.size(); i < n; i++) {
                if ((requests & RtcpScan.FIR) != 0) {
                    gateway.sendFir(handleOf(senders.get(i)));
                } else {
                    gateway.sendPli(handleOf(senders.get(i)));
                }
            }
            counters.keyframeRequests.increment();
            return;
        }
        List<Participant> to = p.mediaRecipientsSnapshot();
        for (int i = 0, n = to.size(); i < n; i++) {
            gateway.relayRtcp(handleOf(to.get(i)), packet);
        }
    }

    /** Data-channel messages go, label and type unchanged, to the room's other publishers not blocked (§4.1). */
    @Override
    public void incomingData(PluginHandle handle, DataMessage message) {
        Participant p = (Participant) handle.pluginState();
        if (p == null) {
            counters.dataNotJoined.increment();
            return;
        }
        List<Participant> to = p.dataRecipientsSnapshot();
        gateway.relayData(to, SfuPlugin::handleOf, message);
        counters.dataRelayed.add(to.size());
    }

    /** Admin API {@code message_plugin} to janus.plugin.sfu: {@code list_rooms}, {@code list_users}, {@code kick}. */
    @Override
    public Future<ObjectNode> handleAdminMessage(ObjectNode request) {
        return admin.handle(request);
    }

    /** Admin API {@code handle_info}'s {@code plugin_specific}: the handle's room, user, role and subscription. */
    @Override
    public Future<ObjectNode> queryHandle(PluginHandle handle) {
        return admin.describe(handle);
    }

    /** Installs the event handler that hears joins and leaves (Janus' plugin events, type 64). */
    public void setEventHook(org.janussfu.core.EventHook hook) {
        this.events = hook == null ? org.janussfu.core.EventHook.NONE : hook;
    }

    /** Reports a join or leave to the event handler (plugin context; signalling path only). */
    void roomEvent(PluginHandle handle, String name, String roomId, String userId) {
        org.janussfu.core.EventHook hk = events;
        if (hk == org.janussfu.core.EventHook.NONE) {
            return;
        }
        ObjectNode data = Replies.JSON.objectNode().put("event", name).put("room_id", roomId).put("user_id", userId);
        ObjectNode e = Replies.JSON.objectNode().put("plugin", PACKAGE);
        e.set("data", data);
        hk.emit(org.janussfu.core.EventHook.PLUGIN, handle.sessionId(), handle.id(), System.currentTimeMillis() * 1000, e);
    }

    /**
     * Cluster wiring (issue 16), before {@link #init}: {@code wrapper} decorates the core's gateway (so that
     * requests for mirrored handles go to their nodes), {@code hook} hears this node's room changes.
     */
    public void setCluster(java.util.function.UnaryOperator<Gateway> wrapper, ClusterHook hook) {
        this.gatewayWrapper = wrapper;
        this.cluster = hook;
    }

    /** The mirror side of clustering: what other nodes' changes do here. */
    public SfuMirrors mirrors() {
        return mirrors;
    }

    ClusterHook cluster() {
        return cluster;
    }

    /** The plugin's counters, for metrics. */
    public SfuCounters counters() {
        return counters;
    }

    /** The plugin's Admin API and gauge side. */
    public SfuAdmin admin() {
        return admin;
    }

    // ---- helpers shared with SfuMessages (plugin context) ----------------------------------------------------

    Context context() {
        return context;
    }

    Switchboard board() {
        return board;
    }

    Gateway gateway() {
        return gateway;
    }

    SfuConfig config() {
        return config;
    }

    static Participant participant(PluginHandle handle) {
        return (Participant) handle.pluginState();
    }

    static PluginHandle handleOf(Participant p) {
        return (PluginHandle) p.handle();
    }

    static ObjectNode event(String name) {
        ObjectNode o = Replies.JSON.objectNode();
        o.put("event", name);
        return o;
    }

    /** Join and leave events: to this node's own handles only (each node tells its own handles, issue 16). */
    void pushLocal(List<Participant> recipients, ObjectNode event) {
        for (Participant r : recipients) {
            if (!r.isMirror()) {
                gateway.pushEvent(handleOf(r), event, null);
            }
        }
    }

    void pushAll(List<Participant> recipients, ObjectNode event) {
        for (Participant r : recipients) {
            gateway.pushEvent(handleOf(r), event, null);
        }
    }
}
