package org.janussfu.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Room state and recipient rules: sfu-protocol.md §1.3–§1.8, §2, §3.3–§3.5, §4.1, §6.3–§6.4, §11. */
class SwitchboardTest {

    private static final Subscription PUB = new Subscription(true, true, null);

    private Switchboard sb = new Switchboard(0, 0);
    private long nextId = 1;

    private Participant handle() {
        long id = nextId++;
        return sb.create(id, "core-handle-" + id);
    }

    /** A naf-style publisher: negotiates first, then joins with {notifications:true, data:true}. */
    private Participant publisher(String room, String user) throws SfuError {
        Participant p = handle();
        sb.setSubscriberOffer(p, "offer-of-" + p.handleId());
        sb.join(p, room, user, PUB);
        return p;
    }

    /** A naf-style subscriber handle: joins with the client's own user ID and {media: target}. */
    private Participant subscriber(String room, String user, String media) throws SfuError {
        Participant s = handle();
        sb.join(s, room, user, new Subscription(false, false, media));
        return s;
    }

    private static void assertError(String text, Executable call) {
        SfuError e = assertThrows(SfuError.class, call);
        assertEquals(text, e.getMessage());
    }

    private static Set<String> set(List<String> list) {
        return new HashSet<>(list);
    }

    // ---------------------------------------------------------------- roles, users, join events

    @Test
    void roleFollowsSubscribeData() throws SfuError {
        Participant a = handle();
        sb.join(a, "r", "a", new Subscription(false, true, null));
        Participant b = handle();
        sb.join(b, "r", "b", new Subscription(true, false, null));
        Participant c = handle();
        sb.join(c, "r", "c", null);
        assertEquals(Role.PUBLISHER, a.role());
        assertEquals(Role.SUBSCRIBER, b.role());
        assertEquals(Role.SUBSCRIBER, c.role());
        assertNull(c.subscription());
        assertEquals("r", a.roomId());
        assertEquals("a", a.userId());
        assertSame(a, sb.publisherOf("a"));
        assertNull(sb.publisherOf("b"));
    }

    @Test
    void usersListIsTheRoomsPublishersBeforeTheJoin() throws SfuError {
        publisher("r", "a");
        publisher("r", "b");
        publisher("other", "x");
        subscriber("r", "s", "a");
        JoinResult result = sb.join(handle(), "r", "c", PUB);
        assertEquals("r", result.roomId());
        assertEquals(Set.of("a", "b"), set(result.users()));
        assertEquals(2, result.users().size());
        assertNull(result.mediaPublisher());
        assertNull(result.offer());
        assertEquals(List.of(), sb.join(handle(), "empty", "z", PUB).users());
    }

    @Test
    void usersListContainsTheJoinerWhileAnOlderPublisherHandleOfHisRemains() throws SfuError {
        publisher("r", "b");
        Participant zombie = publisher("r", "a");
        JoinResult rejoin = sb.join(handle(), "r", "a", PUB);
        assertEquals(Set.of("a", "b"), set(rejoin.users()));
        sb.destroy(zombie);
        assertEquals(Set.of("a", "b"), set(sb.join(handle(), "r", "c", PUB).users()));
        assertEquals(List.of("b", "a", "c").size(), sb.join(handle(), "r", "d", PUB).users().size());
    }

    @Test
    void subscriberJoinListsTheJoinersOwnPublisherAndSendsNoJoinEvent() throws SfuError {
        publisher("r", "a");
        publisher("r", "b");
        JoinResult result = sb.join(handle(), "r", "a", new Subscription(false, false, "b"));
        assertEquals(Set.of("a", "b"), set(result.users()));
        assertEquals(List.of(), result.joinRecipients());
    }

    @Test
    void joinEventGoesToOtherUsersPublishersWithNotifications() throws SfuError {
        Participant a = publisher("r", "a");
        Participant quiet = handle();
        sb.join(quiet, "r", "q", new Subscription(false, true, null));
        Participant oldC = publisher("r", "c");
        publisher("elsewhere", "e");
        subscriber("r", "s", "a");
        JoinResult result = sb.join(handle(), "r", "c", PUB); // c re-joins: all of c's handles are excluded
        assertEquals(List.of(a), result.joinRecipients());
        assertFalse(result.joinRecipients().contains(oldC));
        JoinResult d = sb.join(handle(), "r", "d", PUB);
        assertEquals(3, d.joinRecipients().size()); // a and both c handles
    }

    // ---------------------------------------------------------------- leave

    @Test
    void leaveOnlyWhenTheUsersLastHandleGoesAcrossRoomsAndRoles() throws SfuError {
        Participant b = publisher("r1", "b");
        Participant c = publisher("r2", "c");
        Participant a = publisher("r1", "a");
        Participant aSubB = subscriber("r1", "a", "b");
        Participant aSubC = subscriber("r2", "a", "c");
        Participant unjoined = handle();

        assertEquals(LeaveResult.NONE, sb.destroy(unjoined));
        assertFalse(sb.destroy(a).sendLeave());
        assertFalse(sb.destroy(aSubB).sendLeave());
        LeaveResult last = sb.destroy(aSubC);
        assertTrue(last.sendLeave());
        assertEquals("a", last.userId());
        assertEquals("r2", last.roomId()); // the room of the destroyed handle (§3.4)
        assertEquals(List.of(c), last.recipients());
        assertEquals(LeaveResult.NONE, sb.destroy(aSubC)); // idempotent

        LeaveResult bLeaves = sb.destroy(b);
        assertTrue(bLeaves.sendLeave());
        assertEquals("r1", bLeaves.roomId());
        assertEquals(List.of(), bLeaves.recipients());
        assertNull(sb.find(b.handleId()));
        assertEquals(1, sb.size());
    }

    @Test
    void leaveRecipientsAreNotifiablePublishersOfOtherUsers() throws SfuError {
        Participant b = publisher("r", "b");
        Participant quiet = handle();
        sb.join(quiet, "r", "q", new Subscription(false, true, null));
        subscriber("r", "s", "b");
        Participant a = publisher("r", "a");
        LeaveResult result = sb.destroy(a);
        assertTrue(result.sendLeave());
        assertEquals(List.of(b), result.recipients());
    }

    // ---------------------------------------------------------------- user → publisher map (§3.3)

    @Test
    void newestPublisherWinsAndDestroyingTheOlderKeepsIt() throws SfuError {
        Participant old = publisher("r", "a");
        Participant fresh = publisher("r", "a");
        assertSame(fresh, sb.publisherOf("a"));
        JoinResult sub = sb.join(handle(), "r", "b", new Subscription(false, false, "a"));
        assertSame(fresh, sub.mediaPublisher());
        assertEquals(fresh.subscriberOffer(), sub.offer());

        assertFalse(sb.destroy(old).sendLeave());
        assertSame(fresh, sb.publisherOf("a"));
        assertSame(fresh, sb.join(handle(), "r", "c", new Subscription(false, false, "a")).mediaPublisher());
    }

    @Test
    void destroyingTheNewestFallsBackToTheNewestRemaining() throws SfuError {
        Participant first = publisher("r", "a");
        Participant second = publisher("r", "a");
        Participant third = publisher("r", "a");
        sb.destroy(third);
        assertSame(second, sb.publisherOf("a"));
        sb.destroy(second);
        assertSame(first, sb.publisherOf("a"));
        sb.destroy(first);
        assertNull(sb.publisherOf("a"));
        assertError(SfuError.NO_PUBLISHER, () -> sb.join(handle(), "r", "b", new Subscription(false, false, "a")));
    }

    // ---------------------------------------------------------------- subscribe, atomic join, not negotiated

    @Test
    void mediaJoinLinksAndReturnsTheOffer() throws SfuError {
        Participant a = publisher("r", "a");
        JoinResult result = sb.join(handle(), "r", "b", new Subscription(false, false, "a"));
        assertSame(a, result.mediaPublisher());
        assertEquals("offer-of-" + a.handleId(), result.offer());
        assertSame(a, sb.kickTargets("b").get(0).mediaPublisher());
        assertEquals(sb.kickTargets("b"), a.mediaSubscribers());
    }

    @Test
    void failedSubscribeStepLeavesTheHandleUnjoinedAndNothingRegistered() throws SfuError {
        Participant a = publisher("r", "a");
        Participant s = handle();
        assertError(SfuError.NO_PUBLISHER, () -> sb.join(s, "r", "b", new Subscription(false, false, "nobody")));
        assertFalse(s.joined());
        assertNull(s.subscription());
        assertEquals(List.of(), sb.kickTargets("b"));
        assertError(SfuError.BLOCK_NOT_IN_ROOM, () -> sb.block(s, "a"));

        Participant p = handle();
        assertError(SfuError.NO_PUBLISHER, () -> sb.join(p, "r", "c", new Subscription(true, true, "nobody")));
        assertFalse(p.joined());
        assertNull(sb.publisherOf("c"));
        assertEquals(List.of("a"), sb.join(handle(), "r", "d", PUB).users());
        assertEquals(List.of(), p.dataRecipientsSnapshot());
        assertFalse(a.dataRecipientsSnapshot().contains(p));

        JoinResult retry = sb.join(s, "r", "b", new Subscription(false, false, "a")); // may join again
        assertSame(a, retry.mediaPublisher());
        assertTrue(s.joined());
    }

    @Test
    void subscribingToAPublisherThatNeverNegotiatedFails() throws SfuError {
        Participant a = handle();
        sb.join(a, "r", "a", PUB); // joined without an offer
        Participant s = handle();
        assertError(SfuError.NOT_NEGOTIATED, () -> sb.join(s, "r", "b", new Subscription(false, false, "a")));
        assertEquals("Can't subscribe to a publisher that has not negotiated media yet.", SfuError.NOT_NEGOTIATED);
        assertFalse(s.joined());
        assertEquals(List.of(), sb.setSubscriberOffer(a, "sdp-1"));
        assertEquals("sdp-1", sb.join(s, "r", "b", new Subscription(false, false, "a")).offer());
    }

    @Test
    void publisherMaySubscribeToItselfInOneJoin() throws SfuError {
        Participant old = publisher("r", "a");
        Participant p = handle();
        sb.setSubscriberOffer(p, "mine");
        JoinResult result = sb.join(p, "r", "a", new Subscription(true, true, "a"));
        assertSame(p, result.mediaPublisher());
        assertFalse(old.mediaSubscribers().contains(p));
    }

    @Test
    void joinOnceAndSubscribeOnce() throws SfuError {
        publisher("r", "a");
        Participant p = publisher("r", "p");
        assertError(SfuError.JOIN_ONCE, () -> sb.join(p, "r", "p", PUB));
        assertError(SfuError.JOIN_ONCE, () -> sb.join(p, "other", "p", null));

        Participant s = handle();
        assertNull(sb.subscribe(s, new Subscription(true, false, null)));
        assertError(SfuError.SUBSCRIBE_ONCE_USER, () -> sb.subscribe(s, new Subscription(false, false, "a")));
        assertError(SfuError.SUBSCRIBE_ONCE_HANDLE, () -> sb.join(s, "r", "s", new Subscription(false, true, null)));
        assertFalse(s.joined()); // atomic
        sb.join(s, "r", "s", null); // a join without subscription is fine
        assertTrue(s.joined());
        assertEquals(new Subscription(true, false, null), s.subscription());
    }

    @Test
    void subscribeMessageBeforeJoinThenJoinAppliesBlocks() throws SfuError {
        Participant a = publisher("r", "a");
        Participant s = handle();
        assertSame(a, sb.subscribe(s, new Subscription(false, false, "a")));
        assertEquals(List.of(s), a.mediaRecipientsSnapshot());
        assertEquals(List.of(a), s.mediaSendersSnapshot());
        assertEquals(List.of(), s.dataRecipientsSnapshot()); // not joined: no data relay

        Participant b = publisher("r", "b");
        sb.block(b, "a");
        sb.join(s, "r", "b", null); // now the handle belongs to b, who is blocked with a
        assertEquals(List.of(), a.mediaRecipientsSnapshot());
        assertEquals(List.of(), s.mediaSendersSnapshot());
        assertError(SfuError.NO_PUBLISHER, () -> sb.subscribe(handle(), new Subscription(false, false, "zz")));
    }

    @Test
    void setSubscriberOfferReturnsCurrentMediaSubscribers() throws SfuError {
        Participant a = publisher("r", "a");
        Participant s1 = subscriber("r", "b", "a");
        Participant s2 = subscriber("r", "c", "a");
        publisher("r", "d");
        assertEquals(List.of(s1, s2), sb.setSubscriberOffer(a, "v2"));
        assertEquals("v2", a.subscriberOffer());
        sb.destroy(s1);
        assertEquals(List.of(s2), sb.setSubscriberOffer(a, "v3"));
        sb.block(s2, "a"); // renegotiation pushes are not block-filtered (§2)
        assertEquals(List.of(s2), sb.setSubscriberOffer(a, "v4"));
    }

    // ---------------------------------------------------------------- capacity

    @Test
    void roomIsFullCountsDistinctPublishingUsers() throws SfuError {
        sb = new Switchboard(2, 0);
        publisher("r", "a");
        publisher("r", "b");
        assertError(SfuError.ROOM_FULL, () -> publisher("r", "c"));
        assertEquals("Room is full.", SfuError.ROOM_FULL);
        publisher("r", "a"); // re-joining user already counts
        subscriber("r", "c", "a"); // subscribers are not capacity-checked
        publisher("other", "c");
        Participant b2 = sb.kickTargets("b").get(0);
        sb.destroy(b2);
        publisher("r", "c");
    }

    @Test
    void fullRoomIsCheckedBeforeJoinOnce() throws SfuError {
        sb = new Switchboard(1, 0);
        Participant s = subscriber("r", "x", null);
        publisher("r", "a");
        assertError(SfuError.ROOM_FULL, () -> sb.join(s, "r", "x", PUB));
    }

    @Test
    void serverIsFullCountsDistinctUsersWithAPublisher() throws SfuError {
        sb = new Switchboard(0, 2);
        publisher("r1", "a");
        publisher("r2", "b");
        subscriber("r1", "s", "a");
        assertError(SfuError.SERVER_FULL, () -> publisher("r3", "c"));
        assertEquals("Server is full.", SfuError.SERVER_FULL);
        publisher("r3", "b"); // b already counts, any room
        subscriber("r3", "c", "a");
        for (Participant p : sb.kickTargets("a")) {
            sb.destroy(p);
        }
        publisher("r3", "c");
    }

    @Test
    void zeroMeansUnlimited() throws SfuError {
        for (int i = 0; i < 200; i++) {
            publisher("r", "u" + i);
        }
        assertEquals(200, sb.join(handle(), "r", "late", PUB).users().size());
    }

    // ---------------------------------------------------------------- blocks

    @Test
    void blockFiltersMediaDataAndSendersBothWays() throws SfuError {
        Participant a = publisher("r", "a");
        Participant b = publisher("r", "b");
        Participant c = publisher("r", "c");
        Participant bSubA = subscriber("r", "b", "a");
        Participant cSubA = subscriber("r", "c", "a");
        Participant aSubB = subscriber("r", "a", "b");
        assertEquals(List.of(bSubA, cSubA), sb.mediaRecipients(a));
        assertEquals(List.of(b, c), sb.dataRecipients(a));

        BlockResult result = sb.block(a, "b");
        assertEquals("a", result.by());
        assertSame(b, result.eventRecipient());
        assertNull(result.firTarget());
        assertTrue(sb.isBlocked("a", "b"));
        assertTrue(sb.isBlocked("b", "a"));
        assertFalse(sb.isBlocked("a", "c"));

        assertEquals(List.of(cSubA), sb.mediaRecipients(a));
        assertEquals(List.of(cSubA), a.mediaRecipientsSnapshot());
        assertEquals(List.of(), sb.mediaRecipients(b));
        assertEquals(List.of(), b.mediaRecipientsSnapshot());
        assertEquals(List.of(), sb.mediaSenders(bSubA));
        assertEquals(List.of(), bSubA.mediaSendersSnapshot());
        assertEquals(List.of(), aSubB.mediaSendersSnapshot());
        assertEquals(List.of(a), cSubA.mediaSendersSnapshot());
        assertEquals(List.of(c), sb.dataRecipients(a));
        assertEquals(List.of(c), a.dataRecipientsSnapshot());
        assertEquals(List.of(c), b.dataRecipientsSnapshot());
        assertEquals(List.of(a, b), c.dataRecipientsSnapshot());
        assertEquals(List.of(b, c), bSubA.dataRecipientsSnapshot()); // its own publisher is not blocked

        // blocked users still subscribe (they just get nothing), and `data` messages ignore blocks (§1.7, §3.5)
        Participant bSubA2 = subscriber("r", "b", "a");
        assertEquals(List.of(), bSubA2.mediaSendersSnapshot());
        assertEquals(List.of(b), sb.data(a, "b"));
    }

    @Test
    void blockedEventOnlyToANotifiablePublisher() throws SfuError {
        Participant a = publisher("r", "a");
        Participant quiet = handle();
        sb.setSubscriberOffer(quiet, "o");
        sb.join(quiet, "r", "q", new Subscription(false, true, null));
        assertNull(sb.block(a, "q").eventRecipient());
        assertNull(sb.block(a, "ghost").eventRecipient());
        Participant x = publisher("elsewhere", "x"); // fork targeting: the target's publisher in any room
        assertSame(x, sb.block(a, "x").eventRecipient());
    }

    @Test
    void unblockRemovesOnlyTheCallersDirection() throws SfuError {
        Participant a = publisher("r", "a");
        Participant b = publisher("r", "b");
        Participant bSubA = subscriber("r", "b", "a");
        sb.block(a, "b");
        sb.block(b, "a");
        BlockResult result = sb.unblock(a, "b");
        assertEquals("a", result.by());
        assertSame(b, result.eventRecipient());
        assertSame(b, result.firTarget());
        assertTrue(sb.isBlocked("a", "b")); // b → a remains
        assertEquals(List.of(), a.mediaRecipientsSnapshot());

        sb.unblock(b, "a");
        assertFalse(sb.isBlocked("a", "b"));
        assertEquals(List.of(bSubA), a.mediaRecipientsSnapshot());
        assertEquals(List.of(a), bSubA.mediaSendersSnapshot());
        assertEquals(List.of(b), a.dataRecipientsSnapshot());
        assertEquals(List.of(a), b.dataRecipientsSnapshot());

        BlockResult none = sb.unblock(a, "ghost");
        assertNull(none.eventRecipient());
        assertNull(none.firTarget());
        Participant quiet = handle();
        sb.setSubscriberOffer(quiet, "o");
        sb.join(quiet, "r", "q", new Subscription(false, true, null));
        BlockResult silent = sb.unblock(a, "q");
        assertNull(silent.eventRecipient());
        assertSame(quiet, silent.firTarget());
    }

    @Test
    void blocksSurviveReconnects() throws SfuError {
        Participant a = publisher("r", "a");
        Participant b = publisher("r", "b");
        sb.block(a, "b");
        sb.destroy(a);
        sb.destroy(b);
        Participant a2 = publisher("r", "a");
        Participant b2 = publisher("r", "b");
        Participant c = publisher("r", "c");
        assertEquals(List.of(c), a2.dataRecipientsSnapshot());
        assertEquals(List.of(c), b2.dataRecipientsSnapshot());
        assertEquals(List.of(), subscriber("r", "b", "a").mediaSendersSnapshot());
    }

    @Test
    void notInARoomErrors() {
        Participant p = handle();
        assertError("Cannot block when not in a room.", () -> sb.block(p, "x"));
        assertError("Cannot unblock when not in a room.", () -> sb.unblock(p, "x"));
        assertError("Cannot send data when not in a room.", () -> sb.data(p, null));
        assertError("Cannot send data when not in a room.", () -> sb.data(p, "x"));
        assertEquals(List.of(), sb.dataRecipients(p));
    }

    // ---------------------------------------------------------------- data (§1.7) and kick (§1.8)

    @Test
    void dataMessageRecipients() throws SfuError {
        Participant a = publisher("r", "a");
        Participant b = publisher("r", "b");
        Participant b2 = publisher("r", "b");
        Participant noData = handle();
        sb.join(noData, "r", "n", new Subscription(true, false, null)); // a subscriber, never a recipient
        Participant elsewhere = publisher("other", "b");
        Participant aSub = subscriber("r", "a", "b");

        assertEquals(List.of(b, b2), sb.data(a, null));
        assertEquals(List.of(b, b2), sb.data(a, "b"));
        assertEquals(List.of(a), sb.data(b, "a"));
        assertEquals(List.of(a), sb.data(a, "a")); // whom = self includes the sender
        assertEquals(List.of(), sb.data(a, "n"));
        assertEquals(List.of(b, b2), sb.data(aSub, null)); // any joined handle may send
        assertFalse(sb.data(a, null).contains(elsewhere));
    }

    @Test
    void kickTargetsAreAllHandlesOfTheUser() throws SfuError {
        Participant zombie = publisher("r1", "a");
        Participant a = publisher("r1", "a");
        publisher("r2", "b");
        Participant sub1 = subscriber("r1", "a", "b");
        Participant sub2 = subscriber("r2", "a", "b");
        Participant other = subscriber("r2", "c", "b");
        assertEquals(List.of(zombie, a, sub1, sub2), sb.kickTargets("a"));
        assertFalse(sb.kickTargets("a").contains(other));
        assertEquals(List.of(), sb.kickTargets("nobody"));
        sb.destroy(sub1);
        assertEquals(List.of(zombie, a, sub2), sb.kickTargets("a"));
    }

    // ---------------------------------------------------------------- snapshots

    @Test
    void snapshotsFollowJoinAndDestroy() throws SfuError {
        Participant a = publisher("r", "a");
        assertEquals(List.of(), a.dataRecipientsSnapshot());
        Participant b = publisher("r", "b");
        assertEquals(List.of(b), a.dataRecipientsSnapshot());
        assertEquals(List.of(a), b.dataRecipientsSnapshot());
        Participant bSubA = subscriber("r", "b", "a");
        assertEquals(List.of(bSubA), a.mediaRecipientsSnapshot());
        assertEquals(List.of(a), bSubA.mediaSendersSnapshot());
        assertEquals(List.of(a, b), bSubA.dataRecipientsSnapshot());
        Participant c = publisher("r", "c");
        assertEquals(List.of(b, c), a.dataRecipientsSnapshot());
        assertEquals(List.of(a, b, c), bSubA.dataRecipientsSnapshot());
        Participant x = publisher("x", "x");
        assertEquals(List.of(b, c), a.dataRecipientsSnapshot());
        assertEquals(List.of(), x.dataRecipientsSnapshot());

        sb.destroy(c);
        assertEquals(List.of(b), a.dataRecipientsSnapshot());
        assertEquals(List.of(a, b), bSubA.dataRecipientsSnapshot());
        assertEquals(List.of(), c.dataRecipientsSnapshot());

        sb.destroy(bSubA);
        assertEquals(List.of(), a.mediaRecipientsSnapshot());
        assertEquals(List.of(), bSubA.mediaSendersSnapshot());
        assertEquals(List.of(), bSubA.dataRecipientsSnapshot());

        Participant cSubA = subscriber("r", "c", "a");
        sb.destroy(a);
        assertEquals(List.of(), a.mediaRecipientsSnapshot());
        assertEquals(List.of(), cSubA.mediaSendersSnapshot());
        assertNull(cSubA.mediaPublisher());
        assertEquals(List.of(b), cSubA.dataRecipientsSnapshot());
        assertEquals(List.of(), b.dataRecipientsSnapshot());
    }

    @Test
    void snapshotsAreImmutable() throws SfuError {
        Participant a = publisher("r", "a");
        publisher("r", "b");
        subscriber("r", "b", "a");
        assertThrows(UnsupportedOperationException.class, () -> a.dataRecipientsSnapshot().clear());
        assertThrows(UnsupportedOperationException.class, () -> a.mediaRecipientsSnapshot().clear());
        List<Participant> before = a.dataRecipientsSnapshot();
        publisher("r", "c");
        assertEquals(1, before.size()); // a published list never changes; a new one replaces it
        assertEquals(2, a.dataRecipientsSnapshot().size());
    }

    @Test
    void blockEvictionRefreshesTheEvictedPairs() throws SfuError {
        sb = new Switchboard(0, 0, new BlockList(1, 10));
        Participant a = publisher("r", "a");
        Participant b = publisher("r", "b");
        Participant c = publisher("r", "c");
        sb.block(a, "b");
        assertEquals(List.of(c), a.dataRecipientsSnapshot());
        sb.block(a, "c"); // a may block one user only: a → b is dropped
        assertFalse(sb.isBlocked("a", "b"));
        assertEquals(List.of(b), a.dataRecipientsSnapshot());
        assertEquals(List.of(a, c), b.dataRecipientsSnapshot());
    }

    // ---------------------------------------------------------------- misuse

    @Test
    void misuseIsAProgrammingError() throws SfuError {
        Participant p = handle();
        assertThrows(IllegalStateException.class, () -> sb.create(p.handleId(), "again"));
        assertSame(p, sb.find(p.handleId()));
        assertEquals("core-handle-" + p.handleId(), p.handle());
        sb.destroy(p);
        assertTrue(p.destroyed());
        assertThrows(IllegalStateException.class, () -> sb.join(p, "r", "u", PUB));
        assertThrows(IllegalArgumentException.class, () -> new Switchboard(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SfuConfig(null, 0, -1));
        assertEquals(new SfuConfig(null, 0, 0), SfuConfig.unlimited());
    }
}
