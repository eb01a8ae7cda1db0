package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.rtp.Packet;

/**
 * What a plugin may ask of the core, after Janus' {@code janus_callbacks}. Every method may be called from
 * any thread; the core hands the work to the context that owns the target handle. Requests for a handle
 * that is gone, or that has no PeerConnection yet, are dropped and counted, never thrown.
 */
public interface Gateway {

    /** Sends an asynchronous plugin event (no transaction) to the handle's session. */
    void pushEvent(PluginHandle handle, ObjectNode data, Jsep jsep);

    /** Sends an RTP packet to the handle's PeerConnection. The gateway copies what it keeps. */
    void relayRtp(PluginHandle to, Packet packet);

    /** Sends an RTCP packet to the handle's PeerConnection. The gateway copies what it keeps. */
    void relayRtcp(PluginHandle to, Packet packet);

    /** Sends a data-channel message to the handle's PeerConnection, on the channel with the same label. */
    void relayData(PluginHandle to, DataMessage message);

    /**
     * Sends one data-channel message to every element of {@code to} ({@code handleOf} gives its handle): a room's
     * recipients. By default one {@link #relayData(PluginHandle, DataMessage)} each; a gateway spanning nodes sends
     * the message once per other node that has recipients. Pass a non-capturing {@code handleOf} (a static method
     * reference) so that the call allocates nothing.
     */
    default <T> void relayData(java.util.List<T> to, java.util.function.Function<? super T, PluginHandle> handleOf,
                               DataMessage message) {
        for (int i = 0, n = to.size(); i < n; i++) {
            relayData(handleOf.apply(to.get(i)), message);
        }
    }

    /** Asks the publisher behind the handle for a keyframe with a PLI (RFC 4585 §6.3.1). */
    void sendPli(PluginHandle publisher);

    /** Asks the publisher behind the handle for a keyframe with a FIR (RFC 5104 §4.3.1). */
    void sendFir(PluginHandle publisher);

    /** Closes the handle's PeerConnection; the handle stays attached. */
    void closePeerConnection(PluginHandle handle);

    /** Detaches the handle as if the client had sent {@code detach}. */
    void endSession(PluginHandle handle);

    /**
     * Null while the server accepts new work; else which budget is nearly spent ("memory", "file descriptors",
     * "PeerConnections"). Plugins refuse what brings new users (a publisher join) while it is set. Any thread.
     */
    String overloadReason();
}
