package org.janussfu.cluster;

import org.janussfu.core.PluginHandle;

/**
 * A {@link PluginHandle} that is not a Janus handle of this node: the plugin's stand-in for a publisher handle or a
 * user's presence on another node ({@link Kind#PUBLISHER}, {@link Kind#PRESENCE}), or for another node's media
 * subscription to a local publisher ({@link Kind#RELAY}). {@link ClusterGateway} routes what the plugin asks of it to
 * that node. Fields are final but the plugin state, which the plugin sets once on its context and the media path
 * reads (volatile), and the relay sequence fields, which only the media loop touches ({@link MediaRelay}).
 */
final class RemoteHandle implements PluginHandle {
    enum Kind { PUBLISHER, PRESENCE, RELAY }

    final Kind kind;
    /** The other node: where the mirrored handle lives, or (relay) the node that subscribed. */
    final String node;
    /** The handle's id on {@link #node} (publisher/presence: the origin's handle id; relay: the subscriber node's mirror id). */
    final long remoteId;
    /** The id this stand-in has in this node's plugin (negative: never a core handle id). */
    final long localId;
    /** Relay: the local publisher handle id it subscribes to. Publisher: whether this node subscribed at the origin. */
    final long publisherId;
    /**
     * Publisher mirror: the secret the origin must put in every relayed frame for it (random, never 0; sent to the
     * origin over the event bus with the subscription). Relay: the secret the subscribing node gave.
     */
    final long token;
    /** Relay: where the subscribing node's {@link MediaRelay} reads (null: frames go on the event bus). */
    final java.net.InetSocketAddress relayTo;
    /** Relay: sequence number of the next frame (media loop). Mirror: the last one received and whether any was. */
    int relaySeq;
    boolean relaySeen;
    volatile boolean subscribed;
    private volatile Object state;
    private volatile boolean alive = true;

    RemoteHandle(Kind kind, String node, long remoteId, long localId, long publisherId) {
        this(kind, node, remoteId, localId, publisherId, 0, null);
    }

    RemoteHandle(Kind kind, String node, long remoteId, long localId, long publisherId, long token,
                 java.net.InetSocketAddress relayTo) {
        this.token = token;
        this.relayTo = relayTo;
        this.kind = kind;
        this.node = node;
        this.remoteId = remoteId;
        this.localId = localId;
        this.publisherId = publisherId;
    }

    @Override
    public long id() {
        return localId;
    }

    @Override
    public long sessionId() {
        return 0;
    }

    @Override
    public String opaqueId() {
        return null;
    }

    @Override
    public boolean isAlive() {
        return alive;
    }

    void kill() {
        alive = false;
    }

    @Override
    public Object pluginState() {
        return state;
    }

    @Override
    public void setPluginState(Object s) {
        this.state = s;
    }

    @Override
    public String toString() {
        return "RemoteHandle[" + kind + " " + remoteId + "@" + node + " local=" + localId + "]";
    }
}
