package org.janussfu.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import org.janussfu.core.DataMessage;
import org.janussfu.core.Gateway;
import org.janussfu.core.PluginHandle;
import org.janussfu.rtp.Packet;
import org.janussfu.sfu.SfuPlugin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Media between nodes: a local publisher's packets go once to each remote node that subscribed ({@link
 * RemoteHandle.Kind#RELAY}) — through the UDP {@link MediaRelay} when that node gave a relay address (the default,
 * {@code cluster.media-relay = udp}), else as {@link MediaFrame}s on the clustered event bus to {@code
 * janus-sfu.media.<node>}; there they enter the plugin as packets of the mirrored publisher, which fans them out to
 * that node's subscribers from its recipient snapshot. A data-channel message for remote handles goes once per
 * message and node, with the ids of that node's recipients: on the event bus (reliable, in order) and, where that
 * node gave a data stream ({@link DataRoute}, {@link DataStream}), also numbered on the relay, whichever copy arrives
 * first being delivered, in order. Sends run on the caller's thread (RTP: the media loop; data: the sender's session
 * context); the relay, the bus consumer and the data streams run on one context (chosen at {@link #start}: the media
 * loop where there is one), which reuses one {@link Packet} view.
 */
final class ClusterMedia {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ClusterMedia.class.getName());
    static final String ADDRESS = "janus-sfu.media.";

    final ClusterCounters counters;
    private final Vertx vertx;
    private final String self;
    private final SfuPlugin plugin;
    private Gateway core;
    /** Mirrors of remote publishers by local id: the targets of incoming RTP frames. */
    final Map<Long, RemoteHandle> mirrorsById = new ConcurrentHashMap<>();
    /** This node's joined handles by id: the targets of incoming data frames and forwarded events. */
    final Map<Long, PluginHandle> localHandles;
    private final Packet scratch = new Packet(new byte[0], 0, 0, false);
    /** The UDP relay, or null (bus mode, or the media loop cannot read it): set once by {@link #start}. */
    private volatile MediaRelay relay;
    /** Data streams to other nodes, by node: set on the rooms context from their subscriptions. */
    private final Map<String, DataRoute> routes = new ConcurrentHashMap<>();
    /** Other nodes' data streams to this node, by node and by stream id (created on the plugin context). */
    private final Map<String, DataStream> inbound = new ConcurrentHashMap<>();
    private final Map<Long, DataStream> inboundById = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong streamIds = new java.util.concurrent.atomic.AtomicLong();
    private long sweepTimer = -1;

    ClusterMedia(Vertx vertx, String self, SfuPlugin plugin, ClusterCounters counters, Map<Long, PluginHandle> locals) {
        this.vertx = vertx;
        this.self = self;
        this.plugin = plugin;
        this.counters = counters;
        this.localHandles = locals;
    }

    void coreGateway(Gateway core) {
        this.core = core;
    }

    /**
     * Registers the codec and this node's media consumer — on {@code mediaContext}, the loop that owns every local
     * subscriber's media, so that a frame from another node is fanned out and sent right where it is handled, as a
     * local publisher's packet is (decision 0013), instead of one more hand-off per subscriber to that loop; on the
     * calling context when there is none.
     */
    io.vertx.core.Future<Void> start(io.vertx.core.Context mediaContext, ClusterRooms.LoopReader reader,
                                     ClusterConfig config) {
        if (config.udpRelay() && mediaContext != null && reader != null) {
            try {
                MediaRelay r = MediaRelay.open(java.net.InetAddress.getByName(config.host()), config.mediaPort(),
                        counters, mirrorsById, plugin, this::onRelayData); // host: a literal address, never looked up
                if (r.start(reader, mediaContext)) {
                    relay = r;
                    mediaContext.runOnContext(v -> sweepTimer = vertx.setPeriodic(1000, t -> sweep()));
                    LOG.info(() -> "cluster media relay on udp " + config.host() + ":" + r.port());
                } else {
                    r.close();
                    LOG.info("cluster media relay: the media loop is not NIO; media crosses on the event bus");
                }
            } catch (java.io.IOException e) {
                return io.vertx.core.Future.failedFuture(new java.io.IOException("cluster media relay on "
                        + config.host() + ":" + config.mediaPort() + ": " + e.getMessage(), e));
            }
        }
        EventBus bus = vertx.eventBus();
        bus.registerDefaultCodec(MediaFrame.class, new MediaFrameCodec());
        io.vertx.core.Context on = mediaContext != null ? mediaContext : vertx.getOrCreateContext();
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        on.runOnContext(v -> bus.<MediaFrame>consumer(ADDRESS + self, this::onFrame).completion().onComplete(done));
        return done.future();
    }

    /** The UDP port this node's relay reads, or 0 when media comes on the event bus. */
    int relayPort() {
        MediaRelay r = relay;
        return r == null ? 0 : r.port();
    }

    void stop() {
        vertx.cancelTimer(sweepTimer);
        MediaRelay r = relay;
        if (r != null) {
            r.close();
        }
    }

    void sendRtp(RemoteHandle to, Packet packet) {
        if (to.kind != RemoteHandle.Kind.RELAY) {
            return;
        }
        MediaRelay r = relay;
        if (to.relayTo != null && r != null) {
            r.send(to, packet);
            return;
        }
        RemoteHandle relay = to;
        vertx.eventBus().send(ADDRESS + relay.node,
                MediaFrame.rtp(relay.remoteId, packet.isVideo(), packet.buffer(), packet.offset(), packet.length()));
        counters.rtpSent.increment();
    }

    void sendData(RemoteHandle to, DataMessage m) {
        if (to.kind == RemoteHandle.Kind.PUBLISHER) {
            sendData(to.node, new long[] {to.remoteId}, m);
        }
    }

    /**
     * One message to the first {@code k} remote recipients in {@code rs} (the gateway's scratch array, consumed): one
     * frame per node among them, carrying all of that node's target ids — a publisher's data crosses once per remote
     * node, like its RTP. Nodes are few, so each one found takes one pass over the rest.
     */
    void sendData(RemoteHandle[] rs, int k, DataMessage m) {
        long[] ids = new long[k];
        for (int i = 0; i < k; i++) {
            RemoteHandle first = rs[i];
            if (first == null || first.kind != RemoteHandle.Kind.PUBLISHER) {
                continue;
            }
            int t = 0;
            for (int j = i; j < k; j++) {
                RemoteHandle r = rs[j];
                if (r != null && r.kind == RemoteHandle.Kind.PUBLISHER && r.node.equals(first.node)) {
                    ids[t++] = r.remoteId;
                    rs[j] = null;
                }
            }
            sendData(first.node, java.util.Arrays.copyOf(ids, t), m);
        }
    }

    /**
     * The caller's thread (the sender's session context): the message's next number in {@code node}'s stream, its
     * relay copy and its bus copy; unnumbered, on the bus alone, while that node has given no stream. No hand-off:
     * numbers are taken by several threads, and the receiving {@link DataStream} puts the copies back in order.
     */
    private void sendData(String node, long[] targets, DataMessage m) {
        counters.dataSent.increment();
        MediaFrame f = MediaFrame.data(0, 0, targets, m.label(), m.protocol(), m.binary(), m.payload());
        DataRoute route = routes.get(node);
        MediaRelay r = relay;
        if (route == null || r == null) {
            counters.dataBusOnly.increment();
        } else {
            f = f.inStream(route.stream, route.nextSeq.getAndIncrement());
            if (r.sendData(route, f)) {
                counters.relaySent.increment();
            } else {
                counters.dataBusOnly.increment();
            }
        }
        vertx.eventBus().send(ADDRESS + node, f);
    }

    /**
     * Rooms context: data for {@code node} goes to its relay at {@code to} in stream {@code stream} with {@code token}
     * (from its subscription); an unchanged route is kept with its numbering.
     */
    void route(String node, java.net.InetSocketAddress to, long stream, long token) {
        DataRoute old = routes.get(node);
        if (old == null || !old.same(to, stream, token)) {
            routes.put(node, new DataRoute(node, to, stream, token));
        }
    }

    /** Plugin context: this node's data stream from {@code node} (created with a random secret the first time). */
    DataStream inboundFrom(String node) {
        return inbound.computeIfAbsent(node, n -> {
            DataStream s = new DataStream(n, streamIds.incrementAndGet(), MirrorRegistry.secret(), counters, this::deliverData);
            inboundById.put(s.id, s);
            return s;
        });
    }

    /** A member left: its stream to us and ours to it end. */
    void dropNode(String node) {
        routes.remove(node);
        DataStream s = inbound.remove(node);
        if (s != null) {
            inboundById.remove(s.id);
        }
    }

    /** Media loop: a data frame read by the relay — its stream's if the stream id and secret match, else rejected. */
    private void onRelayData(byte[] b, int len) {
        DataStream s = inboundById.get(RelayFrame.target(b));
        MediaFrame f = s == null || s.token != RelayFrame.token(b) ? null : RelayFrame.readData(b, len);
        if (f == null) {
            counters.relayRejected.increment();
            return;
        }
        counters.relayReceived.increment();
        s.fromRelay(f, System.nanoTime());
    }

    private void sweep() {
        long now = System.nanoTime();
        for (DataStream s : inbound.values()) {
            s.sweep(now);
        }
    }

    /** A data message (in order) to its targets on this node. */
    private void deliverData(MediaFrame f) {
        counters.dataReceived.increment();
        DataMessage m = new DataMessage(f.label, f.protocol, f.flag, f.bytes);
        for (long id : f.targets) {
            PluginHandle h = localHandles.get(id);
            if (h == null) {
                counters.framesUnknownTarget.increment();
            } else {
                core.relayData(h, m);
            }
        }
    }

    private void onFrame(Message<MediaFrame> msg) {
        MediaFrame f = msg.body();
        if (f.kind == MediaFrame.RTP) {
            RemoteHandle mirror = mirrorsById.get(f.target);
            if (mirror == null || mirror.pluginState() == null) {
                counters.framesUnknownTarget.increment();
                return;
            }
            counters.rtpReceived.increment();
            plugin.incomingRtp(mirror, scratch.wrap(f.bytes, 0, f.length, f.flag));
        } else if (f.kind == MediaFrame.DATA) {
            DataStream s = f.target == 0 ? null : inboundById.get(f.target);
            if (s == null) {
                deliverData(f); // not numbered (no stream yet), or the stream is gone: in order of arrival
            } else {
                s.fromBus(f, System.nanoTime());
            }
        }
    }

}
