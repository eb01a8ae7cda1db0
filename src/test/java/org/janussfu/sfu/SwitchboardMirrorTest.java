package org.janussfu.sfu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The switchboard's cluster mirrors (issue 16): a mirrored join is never refused but counts for local joins'
 * limits and users lists, and notifies local publishers; a mirrored publisher can be subscribed to and reports its
 * first/last subscriber; a mirrored block filters media and data; a relay subscription receives a local publisher's
 * media; destroying the last mirror of a user gives the leave.
 */
class SwitchboardMirrorTest {
    private static final Subscription PUB = new Subscription(true, true, null);
    private final Switchboard sb = new Switchboard(2, 0);
    private long next = 1;
    private long mirrorId = -1;

    private Participant local(String room, String user) throws SfuError {
        Participant p = sb.create(next++, "h");
        sb.setSubscriberOffer(p, "offer");
        sb.join(p, room, user, PUB);
        return p;
    }

    private Participant mirror(String room, String user, Subscription s) {
        Participant m = sb.createMirror(mirrorId--, "remote");
        m.subscriberOffer("remote-offer");
        sb.mirrorJoin(m, room, user, s);
        return m;
    }

    @Test
    void mirroredUsersCountForLimitsAndListsAndAreNeverRefused() throws SfuError {
        Participant a = local("r", "alice");
        Participant bob = sb.createMirror(mirrorId--, "remote");
        List<Participant> told = sb.mirrorJoin(bob, "r", "bob", PUB);
        assertEquals(List.of(a), told, "local publishers hear the remote join");
        assertTrue(bob.isMirror());
        // max_room_size = 2: a third (local) user is refused because of the mirrored one
        Participant c = sb.create(next++, "h");
        SfuError e = assertThrows(SfuError.class, () -> sb.join(c, "r", "carol", PUB));
        assertEquals(SfuError.ROOM_FULL, e.getMessage());
        // but a mirrored join (accepted on its own node) is registered regardless
        mirror("r", "dave", PUB);
        Participant e2 = sb.create(next++, "h");
        JoinResult r = sb.join(e2, "r", "erin", new Subscription(false, false, null));
        assertEquals(List.of("alice", "bob", "dave"), new ArrayList<>(r.users()).stream().sorted().toList());
    }

    @Test
    void subscribingToAMirrorReportsFirstAndLastSubscriber() throws SfuError {
        List<Participant> changes = new ArrayList<>();
        sb.onMirrorSubscribersChanged(changes::add);
        Participant bob = mirror("r", "bob", PUB);
        Participant a = local("r", "alice");
        Participant sub = sb.create(next++, "h");
        JoinResult r = sb.join(sub, "r", "alice", new Subscription(false, false, "bob"));
        assertEquals(bob, r.mediaPublisher());
        assertEquals("remote-offer", r.offer());
        assertEquals(List.of(bob), changes);
        assertEquals(List.of(sub), bob.mediaRecipientsSnapshot());
        sb.destroy(sub);
        assertEquals(List.of(bob, bob), changes);
        assertTrue(bob.mediaSubscribers().isEmpty());
        assertFalse(a.destroyed());
    }

    @Test
    void mirroredBlockFiltersMediaAndDataAndRelayGetsMedia() throws SfuError {
        Participant a = local("r", "alice");
        Participant bob = mirror("r", "bob", PUB);
        assertEquals(List.of(bob), a.dataRecipientsSnapshot());
        Participant relay = sb.createMirror(mirrorId--, "relay");
        sb.linkRelay(relay, a);
        assertEquals(List.of(relay), a.mediaRecipientsSnapshot());
        sb.mirrorBlock("bob", "alice", true);
        assertTrue(sb.isBlocked("alice", "bob"));
        assertEquals(List.of(), a.dataRecipientsSnapshot());
        sb.mirrorBlock("bob", "alice", false);
        assertEquals(List.of(bob), a.dataRecipientsSnapshot());
    }

    @Test
    void theLastMirrorOfAUserGivesTheLeave() throws SfuError {
        Participant a = local("r", "alice");
        Participant presence = mirror("r", "bob", null);
        Participant pub = mirror("r", "bob", PUB);
        assertFalse(sb.destroy(pub).sendLeave(), "bob still present through his other node's handles");
        LeaveResult leave = sb.destroy(presence);
        assertTrue(leave.sendLeave());
        assertEquals("bob", leave.userId());
        assertEquals(List.of(a), leave.recipients());
    }
}
