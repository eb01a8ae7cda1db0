package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import org.janussfu.rtp.Packet;

/**
 * What the Janus core calls on a plugin, after Janus' {@code plugin.h} ({@code janus_plugin}). Every
 * per-handle callback runs on the Vert.x context that owns the handle's session; a plugin that keeps shared
 * state (rooms, users) must hand work to the context that owns that state and never block. The media
 * callbacks ({@link #incomingRtp}, {@link #incomingRtcp}, {@link #incomingData}) are on the per-packet path:
 * no allocation, logging or exceptions there.
 */
public interface Plugin {

    PluginInfo info();

    /** Called once at start, before any handle exists; the future completes when the plugin is ready. */
    Future<Void> init(Gateway gateway);

    /** Called once at shutdown, after every handle was destroyed. */
    Future<Void> destroy();

    /** A client attached a new handle ({@code attach}). Throwing {@link JanusException} refuses it. */
    void createSession(PluginHandle handle) throws JanusException;

    /**
     * A {@code message} request. The core has already answered it with an {@code ack}; the returned future's
     * result becomes exactly one {@code event} on the same transaction. {@code jsep} is null when the request
     * had none.
     */
    Future<PluginReply> handleMessage(PluginHandle handle, String transaction, ObjectNode body, Jsep jsep);

    /** The handle's PeerConnection is up (ICE and DTLS done; the client got {@code webrtcup}). */
    void setupMedia(PluginHandle handle);

    /** The handle's PeerConnection went away (hangup request, ICE failure, DTLS alert). */
    void hangupMedia(PluginHandle handle);

    /** A decrypted RTP packet arrived on the handle; the plugin may relay it but not keep it. */
    void incomingRtp(PluginHandle handle, Packet packet);

    /** A decrypted RTCP compound packet arrived on the handle. */
    void incomingRtcp(PluginHandle handle, Packet packet);

    /** A data-channel message arrived on the handle. */
    void incomingData(PluginHandle handle, DataMessage message);

    /** The handle is gone (detach, session destroy or timeout, socket close, {@link Gateway#endSession}). */
    void destroySession(PluginHandle handle);

    /**
     * The Admin API's {@code message_plugin}: an operator's request to the plugin as a whole (not to a handle). Any
     * thread; the plugin answers on its own context with the {@code response} object. Without an implementation the
     * Admin API answers Janus' 490 {@code Plugin doesn't support Admin API messages}.
     */
    default Future<ObjectNode> handleAdminMessage(ObjectNode request) {
        return Future.failedFuture(new JanusException(JanusError.UNKNOWN, "Plugin doesn't support Admin API messages"));
    }

    /**
     * The {@code plugin_specific} part of the Admin API's {@code handle_info} for one of the plugin's handles (Janus'
     * {@code query_session}); null when the plugin has nothing to say. Called on the handle's session context.
     */
    default Future<ObjectNode> queryHandle(PluginHandle handle) {
        return Future.succeededFuture(null);
    }
}
