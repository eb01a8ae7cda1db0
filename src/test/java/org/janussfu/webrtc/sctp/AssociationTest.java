package org.janussfu.webrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AssociationTest {

    private static final SctpConfig CONFIG = SctpConfig.defaults();

    static SimulatedLink established(long seed) {
        SimulatedLink link = new SimulatedLink(seed, CONFIG);
        link.startBoth();
        assertTrue(link.runUntil(() -> link.a.established && link.b.established, 10_000), "handshake");
        return link;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void simultaneousOpenEstablishesBothSidesEvenUnderLoss(long seed) {
        SimulatedLink link = new SimulatedLink(seed, CONFIG);
        link.loss = seed <= 4 ? 0 : 0.3;
        link.duplicate = 0.2;
        link.reorder = 0.3;
        link.startBoth();
        assertTrue(link.runUntil(() -> link.a.established && link.b.established, 60_000), "both established");
        assertEquals(AssociationState.ESTABLISHED, link.a.assoc.state());
        assertEquals(AssociationState.ESTABLISHED, link.b.assoc.state());
        assertNull(link.a.closed);
        assertNull(link.b.closed);
        // Data flows both ways afterwards.
        link.a.assoc.send(0, 53, new byte[] {1}, 0, 1, false, -1, -1);
        link.b.assoc.send(0, 53, new byte[] {2}, 0, 1, false, -1, -1);
        assertTrue(link.runUntil(() -> link.a.messages.size() == 1 && link.b.messages.size() == 1, 60_000));
        assertArrayEquals(new byte[] {2}, link.a.messages.get(0));
        assertArrayEquals(new byte[] {1}, link.b.messages.get(0));
        assertEquals(0, link.a.assoc.counters().internalErrors() + link.b.assoc.counters().internalErrors());
    }

    @Test
    void simultaneousOpenUsesCollisionPathWithoutExtraTags() {
        SimulatedLink link = new SimulatedLink(42, CONFIG);
        link.startBoth(); // both INITs cross: each side answers an INIT while in COOKIE-WAIT (§5.2.1)
        assertTrue(link.runUntil(() -> link.a.established && link.b.established, 5_000));
        // Each side learnt the other's original INIT tag: packets keep flowing with no tag errors.
        assertEquals(0, link.a.assoc.counters().badVerificationTags());
        assertEquals(0, link.b.assoc.counters().badVerificationTags());
        assertEquals(link.a.assoc.localTag(), link.b.assoc.peerTag);
        assertEquals(link.b.assoc.localTag(), link.a.assoc.peerTag);
    }

    @Test
    void oneSidedOpenAlsoWorks() {
        SimulatedLink link = new SimulatedLink(9, CONFIG);
        link.a.assoc.start();
        assertTrue(link.runUntil(() -> link.a.established && link.b.established, 5_000));
    }

    @Test
    void setupTimesOutWhenNobodyAnswers() {
        SimulatedLink link = new SimulatedLink(10, CONFIG);
        link.dead = true;
        link.a.assoc.start();
        assertTrue(link.runUntil(() -> link.a.closed != null, 600_000));
        assertTrue(link.a.closed.contains("setup timed out"), link.a.closed);
    }

    /** Message traffic generator: per-stream sent lists, pumped into the association as the send buffer allows. */
    static final class Traffic {
        final Map<Integer, List<byte[]>> sent = new HashMap<>();
        final ArrayDeque<Object[]> pending = new ArrayDeque<>();

        void add(int stream, byte[] data, boolean unordered, int maxRtx, int lifetime) {
            pending.add(new Object[] {stream, data, unordered, maxRtx, lifetime});
        }

        void pump(SctpAssociation s) {
            while (!pending.isEmpty()) {
                Object[] m = pending.peek();
                byte[] d = (byte[]) m[1];
                int ppid = d.length == 0 ? 57 : 53;
                if (!s.send((int) m[0], ppid, d, 0, d.length, (boolean) m[2], (int) m[3], (int) m[4])) {
                    return;
                }
                pending.poll();
                sent.computeIfAbsent((int) m[0], k -> new ArrayList<>()).add(d);
            }
        }
    }

    static byte[] payload(Random r, int size) {
        byte[] b = new byte[size];
        r.nextBytes(b);
        return b;
    }

    static Map<Integer, List<byte[]>> byStream(SimulatedLink.End end) {
        Map<Integer, List<byte[]>> m = new HashMap<>();
        for (int i = 0; i < end.messages.size(); i++) {
            m.computeIfAbsent(end.meta.get(i)[0], k -> new ArrayList<>()).add(end.messages.get(i));
        }
        return m;
    }

    static List<String> sortedHex(List<byte[]> l) {
        List<String> out = new ArrayList<>();
        for (byte[] b : l) {
            out.add(java.util.HexFormat.of().formatHex(b));
        }
        out.sort(null);
        return out;
    }

    private static Traffic traffic(long seed, int count) {
        Random r = new Random(seed);
        Traffic t = new Traffic();
        int[] fixed = {0, 1, 1171, 1172, 1173, 262144, 0, 65536};
        for (int i = 0; i < count; i++) {
            int size;
            if (i < fixed.length) {
                size = fixed[i];
            } else {
                double x = r.nextDouble();
                size = x < 0.4 ? r.nextInt(17) : x < 0.8 ? r.nextInt(5000) : x < 0.96 ? r.nextInt(65536)
                        : r.nextInt(262145);
            }
            int stream = r.nextInt(5); // 0..2 ordered, 3..4 unordered
            t.add(stream, payload(r, size), stream >= 3, -1, -1);
        }
        return t;
    }

    private static void assertDelivered(Traffic t, SimulatedLink.End receiver) {
        Map<Integer, List<byte[]>> got = byStream(receiver);
        for (Map.Entry<Integer, List<byte[]>> e : t.sent.entrySet()) {
            List<byte[]> g = got.getOrDefault(e.getKey(), List.of());
            assertEquals(e.getValue().size(), g.size(), "count on stream " + e.getKey());
            if (e.getKey() < 3) {
                for (int i = 0; i < g.size(); i++) {
                    assertArrayEquals(e.getValue().get(i), g.get(i), "stream " + e.getKey() + " message " + i);
                }
            } else {
                assertEquals(sortedHex(e.getValue()), sortedHex(g), "unordered stream " + e.getKey());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void messagesBothWaysExactlyOnceUnderLossDuplicationAndReordering(long seed) {
        SimulatedLink link = established(seed);
        link.loss = 0.10;
        link.duplicate = 0.05;
        link.reorder = 0.2;
        Traffic ab = traffic(seed * 7, 160);
        Traffic ba = traffic(seed * 7 + 1, 160);
        int expectAb = ab.pending.size();
        int expectBa = ba.pending.size();
        long limit = link.clock.nowMillis() + 3_600_000;
        while (link.b.messages.size() < expectAb || link.a.messages.size() < expectBa) {
            ab.pump(link.a.assoc);
            ba.pump(link.b.assoc);
            assertTrue(link.clock.runNext(limit), "stalled: a=" + link.a.assoc.counters() + " b="
                    + link.b.assoc.counters() + " got " + link.b.messages.size() + "/" + link.a.messages.size());
        }
        link.runUntil(() -> link.a.assoc.bufferedAmount() == 0 && link.b.assoc.bufferedAmount() == 0, 600_000);
        link.clock.advance(5_000); // late duplicates must not be delivered again
        assertDelivered(ab, link.b);
        assertDelivered(ba, link.a);
        assertEquals(0, link.a.assoc.bufferedAmount());
        assertTrue(link.a.assoc.counters().retransmissions() > 0);
        assertTrue(link.a.assoc.counters().fastRetransmits() > 0);
        assertTrue(link.b.assoc.counters().duplicateTsns() > 0);
        assertEquals(0, link.a.assoc.counters().internalErrors() + link.b.assoc.counters().internalErrors());
        assertEquals(0, link.a.assoc.counters().dropsReceiveWindow() + link.b.assoc.counters().dropsReceiveWindow());
        assertNull(link.a.closed);
        assertNull(link.b.closed);
    }

    @Test
    void emptyMessagesUseTheRfc8831FillerByte() {
        SimulatedLink link = established(14);
        assertFalse(link.a.assoc.send(0, 51, new byte[0], 0, 0, false, -1, -1), "empty with a non-empty PPID");
        assertTrue(link.a.assoc.send(0, 56, new byte[0], 0, 0, false, -1, -1));
        assertTrue(link.runUntil(() -> link.b.messages.size() == 1, 5_000));
        assertEquals(0, link.b.messages.get(0).length);
        assertEquals(56, link.b.meta.get(0)[1]);
        assertFalse(link.a.assoc.send(0, 53, new byte[262145], 0, 262145, false, -1, -1), "too large");
    }

    @Test
    void unreliableMessagesAreAbandonedAndLaterOrderedMessagesStillArrive() {
        SimulatedLink link = established(15);
        link.loss = 0.3;
        Random r = new Random(15);
        List<byte[]> reliable = new ArrayList<>();
        List<byte[]> orderedUnreliable = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] d = payload(r, 1 + r.nextInt(3000));
            // Chromium's "unreliable" channel: unordered, maxRetransmits 0.
            assertTrue(link.a.assoc.send(1, 53, d, 0, d.length, true, 0, -1));
            byte[] o = payload(r, 1 + r.nextInt(3000));
            orderedUnreliable.add(o);
            assertTrue(link.a.assoc.send(2, 53, o, 0, o.length, false, 0, -1)); // ordered, no retransmissions
            if (i % 10 == 0) {
                byte[] q = payload(r, 1 + r.nextInt(300));
                reliable.add(q);
                assertTrue(link.a.assoc.send(2, 51, q, 0, q.length, false, -1, -1)); // same stream, reliable
            }
            link.clock.advance(5);
        }
        assertTrue(link.runUntil(() -> link.a.assoc.bufferedAmount() == 0, 600_000), "everything acked/abandoned");
        link.loss = 0;
        link.clock.advance(10_000);
        SctpCounters ac = link.a.assoc.counters();
        SctpCounters bc = link.b.assoc.counters();
        assertTrue(ac.abandonedMessages() > 0, "abandoned");
        assertTrue(ac.forwardTsnsSent() > 0 && bc.forwardTsnsReceived() > 0, "FORWARD-TSN exchanged");
        // Every reliable ordered message arrived, in order, despite abandoned messages before them on the stream.
        List<byte[]> got2 = new ArrayList<>();
        List<byte[]> gotReliable = new ArrayList<>();
        for (int i = 0; i < link.b.messages.size(); i++) {
            if (link.b.meta.get(i)[0] == 2) {
                got2.add(link.b.messages.get(i));
                if (link.b.meta.get(i)[1] == 51) {
                    gotReliable.add(link.b.messages.get(i));
                }
            }
        }
        assertEquals(reliable.size(), gotReliable.size());
        for (int i = 0; i < reliable.size(); i++) {
            assertArrayEquals(reliable.get(i), gotReliable.get(i));
        }
        // Unreliable ordered messages arrive at most once, in order (a subsequence of what was sent).
        int j = 0;
        for (byte[] g : got2) {
            if (g.length > 300 || !containsRef(reliable, g)) {
                while (j < orderedUnreliable.size() && !java.util.Arrays.equals(orderedUnreliable.get(j), g)) {
                    j++;
                }
                assertTrue(j < orderedUnreliable.size(), "out of order or duplicated unreliable message");
                j++;
            }
        }
        long unorderedGot = link.b.meta.stream().filter(m -> m[0] == 1).count();
        assertTrue(unorderedGot > 0 && unorderedGot < 200, "some unreliable messages lost: " + unorderedGot);
        // The association still carries reliable traffic afterwards.
        link.a.assoc.send(2, 51, new byte[] {42}, 0, 1, false, -1, -1);
        assertTrue(link.runUntil(() -> java.util.Arrays.equals(link.b.messages.get(link.b.messages.size() - 1),
                new byte[] {42}), 10_000));
        assertEquals(0, ac.internalErrors() + bc.internalErrors());
    }

    private static boolean containsRef(List<byte[]> l, byte[] b) {
        for (byte[] x : l) {
            if (java.util.Arrays.equals(x, b)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void lifetimeLimitedMessagesExpire() {
        SimulatedLink link = established(16);
        link.dead = true;
        for (int i = 0; i < 20; i++) {
            assertTrue(link.a.assoc.send(3, 53, new byte[500], 0, 500, false, -1, 100));
        }
        link.clock.advance(1_500);
        link.dead = false;
        assertTrue(link.runUntil(() -> link.a.assoc.bufferedAmount() == 0, 60_000));
        assertTrue(link.a.assoc.counters().abandonedMessages() > 0);
        byte[] after = {7, 7};
        link.a.assoc.send(3, 53, after, 0, 2, false, -1, -1);
        assertTrue(link.runUntil(() -> !link.b.messages.isEmpty()
                && java.util.Arrays.equals(link.b.messages.get(link.b.messages.size() - 1), after), 10_000));
        assertNull(link.a.closed);
    }

    @Test
    void streamResetIsReportedToThePeerAndStreamsRestart() {
        SimulatedLink link = established(17);
        link.loss = 0.1;
        for (int i = 0; i < 30; i++) {
            link.a.assoc.send(4, 53, new byte[] {(byte) i}, 0, 1, false, -1, -1);
        }
        link.a.assoc.resetStreams(new int[] {4});
        // A message sent after the reset request waits and then goes out with SSN 0.
        link.a.assoc.send(4, 53, new byte[] {99}, 0, 1, false, -1, -1);
        assertTrue(link.runUntil(() -> !link.b.resets.isEmpty() && link.b.messages.size() == 31, 60_000));
        assertArrayEquals(new int[] {4}, link.b.resets.get(0));
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(new byte[] {(byte) i}, link.b.messages.get(i));
        }
        assertArrayEquals(new byte[] {99}, link.b.messages.get(30));
        // The peer closes its direction too, as a data channel close does (RFC 8831 §6.7).
        link.b.assoc.resetStreams(new int[] {4});
        assertTrue(link.runUntil(() -> !link.a.resets.isEmpty(), 60_000));
        assertArrayEquals(new int[] {4}, link.a.resets.get(0));
        assertEquals(1, link.b.resets.size(), "reported once");
    }

    @Test
    void gracefulShutdownDeliversPendingDataFirst() {
        SimulatedLink link = established(18);
        link.loss = 0.1;
        for (int i = 0; i < 50; i++) {
            link.a.assoc.send(0, 53, new byte[3000], 0, 3000, false, -1, -1);
        }
        link.a.assoc.close();
        assertFalse(link.a.assoc.send(0, 53, new byte[1], 0, 1, false, -1, -1), "no sends after close");
        assertTrue(link.runUntil(() -> link.a.closed != null && link.b.closed != null, 600_000));
        assertEquals(50, link.b.messages.size());
        assertEquals("shutdown complete", link.a.closed);
        assertEquals("shutdown complete", link.b.closed);
        assertEquals(AssociationState.CLOSED, link.a.assoc.state());
        assertEquals(AssociationState.CLOSED, link.b.assoc.state());
    }

    @Test
    void abortIsReportedToThePeer() {
        SimulatedLink link = established(19);
        link.a.assoc.abort("user hung up");
        assertTrue(link.runUntil(() -> link.b.closed != null, 5_000));
        assertEquals("aborted: user hung up", link.a.closed);
        assertTrue(link.b.closed.startsWith("peer aborted"), link.b.closed);
        assertTrue(link.b.closed.contains("user hung up"), link.b.closed);
        assertFalse(link.b.assoc.isEstablished());
    }

    @Test
    void deadLinkFailsAfterMaxRetransmissions() {
        SimulatedLink link = established(20);
        link.dead = true;
        link.a.assoc.send(0, 53, new byte[100], 0, 100, false, -1, -1);
        assertTrue(link.runUntil(() -> link.a.closed != null, 3_600_000));
        assertTrue(link.a.closed.contains("too many retransmissions"), link.a.closed);
        assertEquals(CONFIG.maxRetransmissions(), link.a.assoc.counters().t3Expirations());
    }

    @Test
    void idleDeadLinkIsDetectedByHeartbeats() {
        SimulatedLink link = established(21);
        link.clock.advance(120_000);
        assertNull(link.a.closed, "an idle live link stays up");
        assertTrue(link.a.assoc.counters().heartbeatsSent() > 0);
        link.dead = true;
        assertTrue(link.runUntil(() -> link.a.closed != null && link.b.closed != null, 3_600_000));
        assertTrue(link.a.closed.contains("too many retransmissions"), link.a.closed);
    }

    /**
     * RFC 9260 §8.3: an idle path sees one HEARTBEAT per RTO + HB.interval. An answered heartbeat once made the next
     * one go out at its RTO, so every idle association exchanged a HEARTBEAT and its ACK each way about five times a
     * second (idle-500: ~9,500 DTLS records a second for 500 PeerConnections).
     */
    @Test
    void anIdlePathSeesOneHeartbeatPerInterval() {
        SimulatedLink link = established(23);
        long before = link.a.assoc.counters().heartbeatsSent();
        long beforeB = link.b.assoc.counters().heartbeatsSent();
        long seconds = 300;
        link.clock.advance(seconds * 1000);
        assertNull(link.a.closed);
        long sent = link.a.assoc.counters().heartbeatsSent() - before;
        long interval = CONFIG.heartbeatIntervalMillis();
        long max = seconds * 1000 / interval + 1;
        long min = seconds * 1000 / (interval + CONFIG.rtoMaxMillis()) - 1;
        assertTrue(sent >= min && sent <= max, sent + " heartbeats in " + seconds + " s, expected " + min + ".." + max);
        long sentB = link.b.assoc.counters().heartbeatsSent() - beforeB;
        assertTrue(Math.abs(sentB - sent) <= 1, "both ends alike: " + sent + " and " + sentB);
    }

    @Test
    void rtoFollowsMeasuredRtt() {
        SimulatedLink link = established(22);
        link.delayMillis = 50;
        for (int i = 0; i < 50; i++) {
            link.a.assoc.send(0, 53, new byte[10], 0, 10, false, -1, -1);
            link.clock.advance(300);
        }
        long rto = link.a.assoc.rtoMillis();
        assertTrue(rto >= CONFIG.rtoMinMillis() && rto < 400, "rto " + rto);
        assertNotNull(link.a.assoc.sender());
    }
}
