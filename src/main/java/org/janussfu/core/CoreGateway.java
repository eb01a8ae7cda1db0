package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.rtp.Packet;
import org.janussfu.rtp.PooledPacket;

/**
 * The core's implementation of {@link Gateway}: what plugins may call, from any thread. Events and media hop to
 * the target handle's session context, which owns its PeerConnection. A handle that has no connection up (or is
 * gone) drops media and the drop is counted, never thrown, because this is the per-packet path.
 */
final class CoreGateway implements Gateway {
    private final JanusCore core;

    CoreGateway(JanusCore core) {
        this.core = core;
    }

    @Override
    public void pushEvent(PluginHandle handle, ObjectNode data, Jsep jsep) {
        Handle h = (Handle) handle;
        if (!h.isAlive()) {
            core.counters.eventsDropped.increment();
            return;
        }
        h.session.run(() -> {
            if (!h.isAlive()) {
                core.counters.eventsDropped.increment();
                return;
            }
            Jsep local = jsep == null ? null : JsepHandler.completeLocal(h, jsep);
            if (jsep != null && local == null) {
                core.counters.eventsDropped.increment();
                return;
            }
            if (local != null && local.type() == Jsep.Type.OFFER) {
                h.awaitingAnswer = true;
            }
            core.sendEvent(h.session, Replies.pluginEvent(h.session.id, null, h.id,
                    h.plugin.info().packageName(), data, local));
        });
    }

    /**
     * Copies the packet once for this recipient (each has its own SRTP context) and hands the copy to the
     * recipient's context, which stamps its own SSRC, protects and sends it.
     */
    @Override
    public void relayRtp(PluginHandle to, Packet packet) {
        Handle h = (Handle) to;
        if (!h.isAlive() || !h.media.isUp()) {
            core.counters.mediaDroppedNoPeerConnection.increment();
            return;
        }
        PooledPacket p = core.media().pool().acquire();
        if (!p.copyFrom(packet.buffer(), packet.offset(), packet.length(), packet.isVideo())) {
            p.release();
            core.counters.mediaDroppedNoPeerConnection.increment();
            return;
        }
        h.media.enqueueForward(p);
    }

    /**
     * A publisher's own RTCP (SR, SDES, ...) describes its streams with its SSRCs, which subscribers never see: like
     * Janus core, the gateway does not pass it on (receivers get reports generated per leg instead).
     */
    @Override
    public void relayRtcp(PluginHandle to, Packet packet) {
        core.counters.rtcpFiltered.increment();
    }

    @Override
    public void relayData(PluginHandle to, DataMessage message) {
        Handle h = (Handle) to;
        if (!h.isAlive() || !h.media.isUp()) {
            core.counters.dataDropped.increment();
            return;
        }
        h.session.run(() -> h.media.sendData(message));
    }

    @Override
    public void sendPli(PluginHandle publisher) {
        Handle h = (Handle) publisher;
        if (h.isAlive()) {
            h.session.run(() -> h.media.requestKeyframe(false));
        }
    }

    @Override
    public void sendFir(PluginHandle publisher) {
        Handle h = (Handle) publisher;
        if (h.isAlive()) {
            h.session.run(() -> h.media.requestKeyframe(true));
        }
    }

    @Override
    public void closePeerConnection(PluginHandle handle) {
        Handle h = (Handle) handle;
        if (h.isAlive()) {
            h.session.run(() -> h.media.hangup("Close PC"));
        }
    }

    @Override
    public void endSession(PluginHandle handle) {
        Handle h = (Handle) handle;
        if (h.isAlive()) {
            h.session.run(() -> core.detachHandle(h, true));
        }
    }

    @Override
    public String overloadReason() {
        return core.overload().overloadReason();
    }
}
