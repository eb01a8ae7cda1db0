package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.rtp.Packet;

/**
 * The core's implementation of {@link Gateway}: what plugins may call, from any thread. Events hop to the
 * target session's context. Media requests reach a handle's PeerConnection; a handle that has none (or is
 * gone) drops them and the drop is counted, never thrown, because this is the per-packet path.
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
            if (jsep != null && jsep.type() == Jsep.Type.OFFER) {
                h.awaitingAnswer = true;
            }
            core.sendEvent(h.session, Replies.pluginEvent(h.session.id, null, h.id,
                    h.plugin.info().packageName(), data, jsep));
        });
    }

    @Override
    public void relayRtp(PluginHandle to, Packet packet) {
        core.counters.mediaDroppedNoPeerConnection.increment();
    }

    @Override
    public void relayRtcp(PluginHandle to, Packet packet) {
        core.counters.mediaDroppedNoPeerConnection.increment();
    }

    @Override
    public void relayData(PluginHandle to, DataMessage message) {
        core.counters.mediaDroppedNoPeerConnection.increment();
    }

    @Override
    public void sendPli(PluginHandle publisher) {
        core.counters.mediaDroppedNoPeerConnection.increment();
    }

    @Override
    public void sendFir(PluginHandle publisher) {
        core.counters.mediaDroppedNoPeerConnection.increment();
    }

    @Override
    public void closePeerConnection(PluginHandle handle) {
        // No handle has a PeerConnection until the media plane exists: nothing to close.
    }

    @Override
    public void endSession(PluginHandle handle) {
        Handle h = (Handle) handle;
        if (h.isAlive()) {
            h.session.run(() -> core.detachHandle(h, true));
        }
    }
}
