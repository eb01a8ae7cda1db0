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
 * Media between nodes on the clustered event bus (decision 3, between nodes): a local publisher's packets go once
 * to each remote node that subscribed ({@link RemoteHandle.Kind#RELAY}), as {@link MediaFrame}s to
 * {@code janus-sfu.media.<node>}; there they enter the plugin as packets of the mirrored publisher, which fans them
 * out to that node's subscribers from its recipient snapshot. Data-channel messages for a remote handle go the same
 * way to that handle's node. Sends run on the caller's thread (the publisher's context, the media loop); the
 * consumer runs on one context (chosen at {@link #start}: the media loop where there is one), which reuses one
 * {@link Packet} view.
 */
final class ClusterMedia {
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
    io.vertx.core.Future<Void> start(io.vertx.core.Context mediaContext) {
        EventBus bus = vertx.eventBus();
        bus.registerDefaultCodec(MediaFrame.class, new MediaFrameCodec());
        io.vertx.core.Context on = mediaContext != null ? mediaContext : vertx.getOrCreateContext();
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        on.runOnContext(v -> bus.<MediaFrame>consumer(ADDRESS + self, this::onFrame).completion().onComplete(done));
        return done.future();
    }

    void sendRtp(RemoteHandle relay, Packet packet) {
        if (relay.kind != RemoteHandle.Kind.RELAY) {
            return;
        }
        vertx.eventBus().send(ADDRESS + relay.node,
                MediaFrame.rtp(relay.remoteId, packet.isVideo(), packet.buffer(), packet.offset(), packet.length()));
        counters.rtpSent.increment();
    }

    void sendData(RemoteHandle to, DataMessage m) {
        if (to.kind != RemoteHandle.Kind.PUBLISHER) {
            return;
        }
        vertx.eventBus().send(ADDRESS + to.node, MediaFrame.data(to.remoteId, m.label(), m.protocol(), m.binary(), m.payload()));
        counters.dataSent.increment();
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
            PluginHandle h = localHandles.get(f.target);
            if (h == null) {
                counters.framesUnknownTarget.increment();
                return;
            }
            counters.dataReceived.increment();
            core.relayData(h, new DataMessage(f.label, f.protocol, f.flag, f.bytes));
        }
    }

}
