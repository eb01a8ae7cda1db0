package org.janussfu.sfu;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.core.PluginHandle;

import java.util.ArrayList;
import java.util.List;

/**
 * The plugin's side of cluster mirroring (issue 16): registers, updates and removes the participants that stand for
 * other nodes' handles — remote publishers, remote users' presence and remote nodes' media subscriptions — and
 * sends the join/leave events they cause to this node's own handles only. Every method may be called from any
 * thread and runs on the plugin's context, in call order (so a node's events apply in the order it sent them).
 */
public final class SfuMirrors {
    private final SfuPlugin plugin;

    SfuMirrors(SfuPlugin plugin) {
        this.plugin = plugin;
    }

    /** Runs {@code task} on the plugin's context (after everything scheduled before it). */
    public void run(Runnable task) {
        plugin.context().runOnContext(v -> task.run());
    }

    /**
     * Mirrors a handle of another node that joined {@code roomId} as {@code userId} ({@code subscribe.data()}: a
     * publisher), with its subscriber offer if it has one; the join event goes to local publishers as on one node.
     */
    public void join(PluginHandle mirror, long id, String roomId, String userId, Subscription subscribe, String offer) {
        run(() -> {
            Switchboard board = plugin.board();
            if (board.find(id) != null) {
                return;
            }
            Participant p = board.createMirror(id, mirror);
            mirror.setPluginState(p);
            if (offer != null) {
                p.subscriberOffer(offer);
            }
            List<Participant> notify = board.mirrorJoin(p, roomId, userId, subscribe);
            if (!notify.isEmpty()) {
                ObjectNode ev = SfuPlugin.event("join");
                ev.put("room_id", roomId);
                ev.put("user_id", userId);
                plugin.pushLocal(notify, ev);
            }
        });
    }

    /** A mirrored publisher renegotiated: the new offer goes to its local subscribers (§2.1). */
    public void offer(PluginHandle mirror, String sdp) {
        run(() -> {
            Participant p = SfuPlugin.participant(mirror);
            if (p == null || p.destroyed()) {
                return;
            }
            for (Participant s : plugin.board().setSubscriberOffer(p, sdp)) {
                plugin.gateway().pushEvent(SfuPlugin.handleOf(s), org.janussfu.core.Replies.JSON.objectNode(),
                        org.janussfu.core.Jsep.offer(sdp));
            }
        });
    }

    /** A mirror is gone (its handle left, or its node died): as {@code destroySession}, leave to local handles. */
    public void destroy(PluginHandle mirror) {
        run(() -> {
            Participant p = SfuPlugin.participant(mirror);
            if (p == null) {
                return;
            }
            LeaveResult leave = plugin.board().destroy(p);
            if (leave.sendLeave()) {
                ObjectNode ev = SfuPlugin.event("leave");
                ev.put("room_id", leave.roomId());
                ev.put("user_id", leave.userId());
                plugin.pushLocal(leave.recipients(), ev);
            }
        });
    }

    /** A {@code kick} accepted on another node: ends this node's own handles of {@code userId} in {@code roomId}. */
    public void kick(String userId, String roomId) {
        run(() -> {
            for (Participant target : plugin.board().kickTargets(userId)) {
                if (!target.isMirror() && roomId.equals(target.roomId())) {
                    plugin.gateway().endSession(SfuPlugin.handleOf(target));
                }
            }
        });
    }

    /** Every block this node knows, for a node that joins later; call on the plugin context (inside {@link #run}). */
    public void forEachBlock(java.util.function.BiConsumer<String, String> pair) {
        plugin.board().forEachBlock(pair);
    }

    /** A block or unblock made on another node. */
    public void block(String by, String whom, boolean block) {
        run(() -> plugin.board().mirrorBlock(by, whom, block));
    }

    /**
     * Another node subscribes to the media of local publisher handle {@code publisherId} through {@code relay}
     * (one per publisher and node): its packets then go to the relay once. Answers false if there is no such live
     * local publisher.
     */
    public void subscribe(PluginHandle relay, long id, long publisherId, java.util.function.Consumer<Boolean> done) {
        run(() -> {
            Switchboard board = plugin.board();
            Participant pub = board.find(publisherId);
            if (pub == null || pub.isMirror() || pub.destroyed() || board.find(id) != null) {
                done.accept(false);
                return;
            }
            Participant r = board.createMirror(id, relay);
            relay.setPluginState(r);
            board.linkRelay(r, pub);
            done.accept(true);
        });
    }

    /** This node's own joined handles, in join order per user, for a node that asks for the current state. */
    public void localJoined(java.util.function.Consumer<List<Participant>> out) {
        run(() -> {
            List<Participant> mine = new ArrayList<>();
            for (Room room : plugin.board().rooms()) {
                for (Participant p : room.members) {
                    if (!p.isMirror() && !p.destroyed()) {
                        mine.add(p);
                    }
                }
            }
            out.accept(mine);
        });
    }
}
