package org.janussfu.sfu;

/**
 * What the room plugin tells a cluster layer about its own (non-mirror) handles, so that other nodes can mirror
 * them (issue 16; the cluster package implements it, this package never sees that one). Every method is
 * called on the plugin's context, in the order the changes happened there; implementations must not block.
 */
public interface ClusterHook {
    /** The single-node default: nothing to tell. */
    ClusterHook NONE = new ClusterHook() {
    };

    /** A local handle joined a room (any role); its subscriber offer may already be set. */
    default void joined(Participant p) {
    }

    /** A joined local publisher negotiated: a new subscriber offer. */
    default void offer(Participant p) {
    }

    /** A joined local handle is gone (called after the switchboard removed it). */
    default void destroyed(Participant p) {
    }

    /** A local user blocked ({@code block}) or unblocked {@code whom}. */
    default void blockChanged(String by, String whom, boolean block) {
    }

    /**
     * Strict room limits across nodes: a publisher join into {@code roomId} while {@code max_room_size} or (with
     * {@code global}) {@code max_ccu} is set waits for the returned permit before the switchboard checks the limit,
     * and hands it back through {@link Admission#done} once processed. Null (the single-node default): no waiting,
     * this node's view is the whole truth. A failed future refuses the join with its {@link SfuError}'s text.
     */
    default io.vertx.core.Future<Admission> admit(String roomId, boolean global) {
        return null;
    }

    /** A join's permission to check the limits against a complete view; plugin context only. */
    interface Admission {
        /** The join was processed; {@code joined}: it registered a new publisher (which the others must see). */
        void done(boolean joined);
    }

    /** A mirrored (remote) publisher got its first, or lost its last, local media subscriber. */
    default void mirrorSubscribersChanged(Participant mirrorPublisher) {
    }
}
