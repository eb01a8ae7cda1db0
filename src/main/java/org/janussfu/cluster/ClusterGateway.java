package org.janussfu.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.core.DataMessage;
import org.janussfu.core.Gateway;
import org.janussfu.core.Jsep;
import org.janussfu.core.PluginHandle;
import org.janussfu.rtp.Packet;

import java.util.List;
import java.util.function.Function;

/**
 * The plugin's {@link Gateway} on a clustered node: what the plugin asks for one of its own handles goes to the
 * core as before; what it asks for a {@link RemoteHandle} goes to that handle's node ({@link ClusterRooms} for
 * events, kicks and keyframe requests, {@link ClusterMedia} for RTP and data). Any thread, like the core's gateway;
 * on the per-packet path the only extra work for a local handle is one type check.
 */
final class ClusterGateway implements Gateway {
    private final Gateway core;
    private final ClusterRooms rooms;
    private final ClusterMedia media;

    ClusterGateway(Gateway core, ClusterRooms rooms, ClusterMedia media) {
        this.core = core;
        this.rooms = rooms;
        this.media = media;
    }

    @Override
    public void pushEvent(PluginHandle handle, ObjectNode data, Jsep jsep) {
        if (handle instanceof RemoteHandle r) {
            rooms.forwardEvent(r, data, jsep);
        } else {
            core.pushEvent(handle, data, jsep);
        }
    }

    @Override
    public void relayRtp(PluginHandle to, Packet packet) {
        if (to instanceof RemoteHandle r) {
            media.sendRtp(r, packet);
        } else {
            core.relayRtp(to, packet);
        }
    }

    /** A publisher's own RTCP is not passed on by the core either (receivers get per-leg reports). */
    @Override
    public void relayRtcp(PluginHandle to, Packet packet) {
        if (to instanceof RemoteHandle) {
            media.counters.rtcpFiltered.increment();
        } else {
            core.relayRtcp(to, packet);
        }
    }

    @Override
    public void relayData(PluginHandle to, DataMessage message) {
        if (to instanceof RemoteHandle r) {
            media.sendData(r, message);
        } else {
            core.relayData(to, message);
        }
    }

    /** Local recipients get the message from the core at once; the remote ones one frame per node between them. */
    @Override
    public <T> void relayData(List<T> to, Function<? super T, PluginHandle> handleOf, DataMessage message) {
        RemoteHandle[] remote = null;
        int k = 0;
        for (int i = 0, n = to.size(); i < n; i++) {
            PluginHandle h = handleOf.apply(to.get(i));
            if (h instanceof RemoteHandle r) {
                if (remote == null) {
                    remote = new RemoteHandle[n - i];
                }
                remote[k++] = r;
            } else {
                core.relayData(h, message);
            }
        }
        if (k > 0) {
            media.sendData(remote, k, message);
        }
    }

    @Override
    public void sendPli(PluginHandle publisher) {
        if (publisher instanceof RemoteHandle r) {
            rooms.keyframe(r, false);
        } else {
            core.sendPli(publisher);
        }
    }

    @Override
    public void sendFir(PluginHandle publisher) {
        if (publisher instanceof RemoteHandle r) {
            rooms.keyframe(r, true);
        } else {
            core.sendFir(publisher);
        }
    }

    /** A mirrored handle's PeerConnection belongs to its node; the plugin never closes one here. */
    @Override
    public void closePeerConnection(PluginHandle handle) {
        if (!(handle instanceof RemoteHandle)) {
            core.closePeerConnection(handle);
        }
    }

    @Override
    public void endSession(PluginHandle handle) {
        if (handle instanceof RemoteHandle r) {
            rooms.kick(r);
        } else {
            core.endSession(handle);
        }
    }

    @Override
    public String overloadReason() {
        return core.overloadReason();
    }
}
