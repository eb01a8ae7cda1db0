package org.janussfu.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import org.janussfu.sfu.ClusterHook;
import org.janussfu.sfu.SfuError;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Strict {@code max_room_size} / {@code max_ccu} across nodes (issue 16, decision 0014 "Limits"). Without it two
 * publisher joins on different nodes within the propagation delay are each checked against a view without the
 * other. With it a publisher join into a room with a limit first takes a cluster-wide lock (one per room, or one for
 * the cluster while {@code max_ccu} is set: Vert.x's Hazelcast lock, an {@code IMap} lock that Hazelcast frees
 * when its holder dies), is then checked and registered by the plugin as on one node, and the lock is given back
 * only once every other member has applied this node's events up to that join ({@code sync} on
 * {@code janus-sfu.node.<id>}, answered by {@link MirrorRegistry#whenApplied} on that member's plugin context) — so
 * the next holder, on any node, checks against a view that holds it. The client's reply does not wait for that.
 *
 * <p>Joins of one lock queue here, one at a time, so that only one per node waits on Hazelcast (bounded by
 * {@link #MAX_WAITING}: beyond it a join is refused with "Server is full."); joins that queued while it was held
 * share that acquisition, up to {@link #MAX_BATCH}, with one sync at its end (a join storm on one node costs one
 * lock and one sync, not one each). A lock not obtained within
 * {@link #LOCK_TIMEOUT_MS} (a holder that died and is not yet declared dead) admits the join on this node's view
 * (counted {@code admit_unlocked}: availability over strictness); a member that does not acknowledge within
 * {@link #SYNC_TIMEOUT_MS} is counted and not waited for longer. Owned by the plugin's context: every method runs
 * there, and the lock's and the replies' callbacks hop back to it.
 */
final class ClusterAdmission {
    static final long LOCK_TIMEOUT_MS = 3_000;
    static final long SYNC_TIMEOUT_MS = 2_000;
    static final int MAX_WAITING = 512;
    /** Consecutive local joins under one acquisition before the lock goes back (fairness between nodes). */
    static final int MAX_BATCH = 32;
    static final JsonObject SYNCED = new JsonObject().put("t", "synced");
    private static final DeliveryOptions SYNC = new DeliveryOptions().setSendTimeout(SYNC_TIMEOUT_MS);

    private final Vertx vertx;
    private final String self;
    private final java.util.function.Supplier<? extends java.util.Collection<String>> members;
    /** Runs a task on the plugin's context, after those queued before it. */
    private final java.util.function.Consumer<Runnable> onPluginContext;
    private final ClusterCounters counters;
    /** The number of this node's newest room event (read on the plugin context, where it is written). */
    private final LongSupplier published;
    /** Local joins by lock name; the head holds or is asking for the lock. */
    private final Map<String, ArrayDeque<Promise<ClusterHook.Admission>>> queues = new HashMap<>();
    /** Lock names being acquired, held or given back (a join for one of them only queues). */
    private final java.util.Set<String> active = new java.util.HashSet<>();
    private int waiting;

    /**
     * @param self this node's id; {@code members} the cluster's (this one included)
     * @param published the number of this node's newest room event (plugin context)
     */
    ClusterAdmission(Vertx vertx, String self, java.util.function.Supplier<? extends java.util.Collection<String>> members,
                     java.util.function.Consumer<Runnable> onPluginContext, ClusterCounters counters, LongSupplier published) {
        this.vertx = vertx;
        this.self = self;
        this.members = members;
        this.onPluginContext = onPluginContext;
        this.counters = counters;
        this.published = published;
    }

    /** A permit for a publisher join into {@code roomId}; {@code global}: {@code max_ccu} is set (one lock for all). */
    Future<ClusterHook.Admission> admit(String roomId, boolean global) {
        if (waiting >= MAX_WAITING) {
            counters.admitRefused.increment();
            return Future.failedFuture(SfuError.serverFull());
        }
        String name = global ? "janus-sfu.admit" : "janus-sfu.admit/" + roomId;
        Promise<ClusterHook.Admission> p = Promise.promise();
        queues.computeIfAbsent(name, k -> new ArrayDeque<>(2)).add(p);
        waiting++;
        if (active.add(name)) {
            acquire(name);
        }
        return p.future();
    }

    private void acquire(String name) {
        long t0 = System.nanoTime();
        vertx.sharedData().getLockWithTimeout(name, LOCK_TIMEOUT_MS).onComplete(ar -> onPluginContext.accept(() -> {
            counters.admitWaitMicros.add((System.nanoTime() - t0) / 1_000);
            grant(new Hold(name, ar.succeeded() ? ar.result() : null));
        }));
    }

    private void grant(Hold h) {
        h.grants++;
        (h.lock == null ? counters.admitUnlocked : counters.admitLocked).increment();
        queues.get(h.name).peek().complete(new Permit(h));
    }

    /**
     * The head of {@code h}'s queue is done. The next local join gets the same hold (this node's view already has
     * the joins before it: no sync between them), up to {@link #MAX_BATCH}; then, or when none waits, the lock goes
     * back — after a sync if any join of the hold registered — and a join that came meanwhile asks for it again.
     */
    private void next(Hold h) {
        ArrayDeque<Promise<ClusterHook.Admission>> q = queues.get(h.name);
        q.poll();
        waiting--;
        if (!q.isEmpty() && h.lock != null && h.grants < MAX_BATCH) {
            grant(h);
            return;
        }
        Runnable after = () -> {
            if (h.lock != null) {
                h.lock.release();
            }
            if (q.isEmpty()) {
                queues.remove(h.name);
                active.remove(h.name);
            } else {
                acquire(h.name);
            }
        };
        if (h.joined && h.lock != null) {
            sync(published.getAsLong()).onComplete(x -> onPluginContext.accept(after));
        } else {
            after.run();
        }
    }

    /** Completes once every other member has applied this node's room events up to {@code seq} (or gave no answer). */
    private Future<Void> sync(long seq) {
        List<Future<?>> acks = new ArrayList<>();
        JsonObject req = new JsonObject().put("t", "sync").put("n", self).put("s", seq);
        for (String member : members.get()) {
            if (member.equals(self)) {
                continue;
            }
            Promise<Void> one = Promise.promise();
            vertx.eventBus().request(ClusterRooms.NODE + member, req, SYNC).onComplete(ar -> {
                if (ar.failed() && !(ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS)) {
                    counters.admitSyncTimeouts.increment(); // no handlers: a member still starting learns by hello
                }
                one.complete();
            });
            acks.add(one.future());
        }
        return Future.join(acks).mapEmpty();
    }

    /** One acquisition of a lock (or of nothing, when it timed out), handed to consecutive local joins. */
    private static final class Hold {
        final String name;
        final Lock lock;
        int grants;
        boolean joined;

        Hold(String name, Lock lock) {
            this.name = name;
            this.lock = lock;
        }
    }

    /** One join's share of a hold. */
    private final class Permit implements ClusterHook.Admission {
        private final Hold hold;
        private boolean done;

        Permit(Hold hold) {
            this.hold = hold;
        }

        @Override
        public void done(boolean joined) {
            if (done) {
                return;
            }
            done = true;
            hold.joined |= joined;
            next(hold);
        }
    }
}
