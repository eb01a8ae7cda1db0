package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.rtp.Packet;

/**
 * The core's implementation of {@link Gateway}: what plugins may call, from any thread. Events, data and connection
 * control hop to the target handle's session context, which owns its PeerConnection's lifecycle; RTP and keyframe
 * requests go to the handle's media context (decision 0013) — directly when the caller already runs there, which is
 * the case for media relayed by a publisher of the same engine. A handle that has no connection up (or is gone)
 * drops media and the drop is counted, never thrown, because this is the per-packet path.
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
     * Copies the packet once for this recipient (each has its own SRTP context); the recipient's media side stamps
     * its own SSRC, protects and sends the copy — right now on the media thread, else after one hop to it.
     */
    @Override
    public void relayRtp(PluginHandle to, Packet packet) {
        Handle h = (Handle) to;
        if (!h.isAlive()) {
            core.counters.mediaDroppedNoPeerConnection.increment();
            return;
        }
        h.media.relay(packet);
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

    /** Keyframe requests run on the publisher's media context: at once from the media thread, else one hop. */
    @Override
    public void sendPli(PluginHandle publisher) {
        Handle h = (Handle) publisher;
        if (h.isAlive()) {
            h.media.requestKeyframe(false);
        }
    }

    @Override
    public void sendFir(PluginHandle publisher) {
        Handle h = (Handle) publisher;
        if (h.isAlive()) {
            h.media.requestKeyframe(true);
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
