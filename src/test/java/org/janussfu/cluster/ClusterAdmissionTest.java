package org.janussfu.cluster;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.janussfu.sfu.ClusterHook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ClusterAdmission} with two "nodes" on one local Vert.x (its local locks and event bus stand in for
 * Hazelcast's and the cluster's): one lock per room held across nodes until the holder's members acknowledged its
 * join, joins queued on one node sharing an acquisition, a member that never answers not holding the lock for longer
 * than the sync timeout. Each node's "plugin context" is a context of its own; the test thread only waits.
 */
class ClusterAdmissionTest {
    private Vertx vertx;
    private final List<String> members = new CopyOnWriteArrayList<>(List.of("a", "b"));
    /** Sync requests node b received (its acknowledgements are released by the test). */
    private final List<Message<JsonObject>> syncsAtB = new CopyOnWriteArrayList<>();
    private Node a;
    private Node b;

    private final class Node {
        final Context context = vertx.getOrCreateContext();
        final ClusterCounters counters = new ClusterCounters();
        final AtomicLong published = new AtomicLong();
        final ClusterAdmission admission;

        Node(String id) {
            admission = new ClusterAdmission(vertx, id, () -> members, task -> context.runOnContext(v -> task.run()),
                    counters, published::get);
        }

        CompletableFuture<ClusterHook.Admission> admit(String room, boolean global) {
            CompletableFuture<ClusterHook.Admission> out = new CompletableFuture<>();
            context.runOnContext(v -> admission.admit(room, global).onComplete(ar -> {
                if (ar.succeeded()) {
                    out.complete(ar.result());
                } else {
                    out.completeExceptionally(ar.cause());
                }
            }));
            return out;
        }

        void done(ClusterHook.Admission permit, boolean joined) throws Exception {
            CompletableFuture<Void> ran = new CompletableFuture<>();
            context.runOnContext(v -> {
                if (joined) {
                    published.incrementAndGet(); // the join's room event
                }
                permit.done(joined);
                ran.complete(null);
            });
            ran.get(5, TimeUnit.SECONDS);
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        a = new Node("a");
        b = new Node("b");
        vertx.eventBus().<JsonObject>consumer(ClusterRooms.NODE + "b", syncsAtB::add).completion()
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.eventBus().<JsonObject>consumer(ClusterRooms.NODE + "a", m -> m.reply(ClusterAdmission.SYNCED));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.currentTimeMillis() + 5_000;
        while (!c.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < end, "condition within 5 s");
            Thread.sleep(5);
        }
    }

    @Test
    void theOtherNodeWaitsUntilTheJoinIsAcknowledgedByEveryMember() throws Exception {
        ClusterHook.Admission first = a.admit("r", false).get(5, TimeUnit.SECONDS);
        CompletableFuture<ClusterHook.Admission> second = b.admit("r", false);
        CompletableFuture<ClusterHook.Admission> otherRoom = b.admit("s", false);
        otherRoom.get(5, TimeUnit.SECONDS); // another room's lock is another lock
        a.done(first, true);
        await(() -> syncsAtB.size() == 1);
        Message<JsonObject> sync = syncsAtB.get(0);
        assertEquals("a", sync.body().getString("n"));
        assertEquals(1L, sync.body().getLong("s"), "the number of a's room event of that join");
        Thread.sleep(100);
        assertFalse(second.isDone(), "b's join waits until b itself has applied a's join");
        sync.reply(ClusterAdmission.SYNCED);
        second.get(5, TimeUnit.SECONDS);
        assertEquals(1, a.counters.admitLocked.sum());
    }

    @Test
    void aRefusedJoinGivesTheLockBackAtOnce() throws Exception {
        ClusterHook.Admission first = a.admit("r", true).get(5, TimeUnit.SECONDS);
        CompletableFuture<ClusterHook.Admission> second = b.admit("other-room", true); // max_ccu: one lock for all
        Thread.sleep(100);
        assertFalse(second.isDone());
        a.done(first, false);
        second.get(5, TimeUnit.SECONDS);
        assertEquals(0, syncsAtB.size(), "nothing registered: nothing to wait for");
    }

    @Test
    void joinsQueuedOnOneNodeShareTheAcquisitionWithOneSyncAtItsEnd() throws Exception {
        ClusterHook.Admission first = a.admit("r", false).get(5, TimeUnit.SECONDS);
        CompletableFuture<ClusterHook.Admission> second = a.admit("r", false);
        CompletableFuture<ClusterHook.Admission> third = a.admit("r", false);
        CompletableFuture<ClusterHook.Admission> atB = b.admit("r", false);
        Thread.sleep(50);
        assertFalse(second.isDone(), "one join at a time");
        a.done(first, true);
        ClusterHook.Admission p2 = second.get(5, TimeUnit.SECONDS);
        assertEquals(0, syncsAtB.size(), "no sync between this node's own joins");
        a.done(p2, true);
        a.done(third.get(5, TimeUnit.SECONDS), true);
        await(() -> syncsAtB.size() == 1);
        assertEquals(3L, syncsAtB.get(0).body().getLong("s"), "one sync covers the three joins");
        assertFalse(atB.isDone());
        syncsAtB.get(0).reply(ClusterAdmission.SYNCED);
        atB.get(5, TimeUnit.SECONDS);
        assertEquals(3, a.counters.admitLocked.sum());
        assertEquals(0, a.counters.admitSyncTimeouts.sum());
    }

    @Test
    void aSilentMemberIsCountedAndNotWaitedForBeyondTheSyncTimeout() throws Exception {
        ClusterHook.Admission first = a.admit("r", false).get(5, TimeUnit.SECONDS);
        CompletableFuture<ClusterHook.Admission> atB = b.admit("r", false);
        long t0 = System.nanoTime();
        a.done(first, true); // b never answers the sync
        atB.get(ClusterAdmission.SYNC_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= ClusterAdmission.SYNC_TIMEOUT_MS - 100);
        assertEquals(1, a.counters.admitSyncTimeouts.sum());
    }

    @Test
    void aMemberWithoutTheConsumerYetCountsAsAcknowledged() throws Exception {
        members.add("c"); // in the membership, not registered on the bus yet: it learns the state by hello
        ClusterHook.Admission first = a.admit("r", false).get(5, TimeUnit.SECONDS);
        CompletableFuture<ClusterHook.Admission> atB = b.admit("r", false);
        a.done(first, true);
        await(() -> syncsAtB.size() == 1);
        syncsAtB.get(0).reply(ClusterAdmission.SYNCED);
        atB.get(5, TimeUnit.SECONDS);
        assertEquals(0, a.counters.admitSyncTimeouts.sum());
    }

    @Test
    void beyondTheWaitingBudgetAJoinIsRefusedServerIsFull() throws Exception {
        ClusterHook.Admission first = a.admit("r", false).get(5, TimeUnit.SECONDS);
        List<CompletableFuture<ClusterHook.Admission>> queued = new java.util.ArrayList<>();
        for (int i = 1; i < ClusterAdmission.MAX_WAITING; i++) {
            queued.add(a.admit(i % 2 == 0 ? "r" : "other" + i, false)); // the budget counts every lock's waiters
        }
        java.util.concurrent.ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> a.admit("r", false).get(5, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof org.janussfu.sfu.SfuError e && "Server is full.".equals(e.text()),
                refused.getCause()::toString);
        assertEquals(1, a.counters.admitRefused.sum());
        a.done(first, false); // the head goes: one place frees up
        queued.get(1).get(5, TimeUnit.SECONDS); // "r" next in line (index 1 is i = 2)
        a.admit("s", false).get(5, TimeUnit.SECONDS);
    }
}
