package org.janussfu.webrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds random and mutated packets (mutations of packets captured from a real simulated exchange) into established
 * associations: nothing may throw, nothing may trip the internal-error guard, and garbage that fails validation
 * must leave the association fully working with its real peer.
 */
class FuzzTest {

    /** Captures handshake, data, SACK, FORWARD-TSN, RE-CONFIG, HEARTBEAT and SHUTDOWN-shaped packets. */
    private static List<byte[]> corpus(long seed) {
        SimulatedLink link = new SimulatedLink(seed, SctpConfig.defaults());
        link.capture = true;
        link.loss = 0.15;
        link.reorder = 0.2;
        link.startBoth();
        link.runUntil(() -> link.a.established && link.b.established, 30_000);
        Random r = new Random(seed);
        for (int i = 0; i < 60; i++) {
            int size = r.nextInt(4) == 0 ? r.nextInt(5000) : r.nextInt(100);
            link.a.assoc.send(r.nextInt(4), 53, new byte[size], 0, size, r.nextBoolean(), r.nextInt(3) - 1, -1);
            link.b.assoc.send(r.nextInt(4), 51, new byte[size], 0, size, false, -1, -1);
            link.clock.advance(3);
        }
        link.a.assoc.resetStreams(new int[] {1, 2});
        link.runUntil(() -> false, 5_000);
        link.loss = 0;
        link.clock.advance(70_000); // heartbeats
        link.a.assoc.close();
        link.runUntil(() -> link.a.closed != null, 30_000);
        List<byte[]> c = new ArrayList<>(link.captured);
        // A few hand-made chunk shapes the exchange may not produce.
        c.add(SctpPacket.encode(5000, 5000, 1, List.of(new ValueChunk(0x7F, 0, new byte[3]),
                new ValueChunk(0xFF, 0, new byte[5]), new ReconfigChunk(List.of(
                        new ReconfigChunk.IncomingResetRequest(5, new int[] {1}),
                        new ReconfigChunk.Other(15, 6, new byte[4]))))));
        c.add(SctpPacket.encode(5000, 5000, 1, List.of(new ForwardTsnChunk(5, new int[] {1, 2}, new int[] {3, 4}),
                new SackChunk(3, 1000, new int[] {2, 5}, new int[] {3, 9}, new int[] {1}))));
        return c;
    }

    static byte[] mutate(Random r, List<byte[]> corpus) {
        byte[] b = corpus.get(r.nextInt(corpus.size())).clone();
        int ops = 1 + r.nextInt(3);
        for (int k = 0; k < ops; k++) {
            switch (r.nextInt(8)) {
                case 0 -> {
                    for (int i = 0; i < 1 + r.nextInt(4); i++) {
                        int p = r.nextInt(b.length);
                        b[p] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> b[r.nextInt(b.length)] = (byte) (r.nextBoolean() ? 0 : r.nextBoolean() ? 0xFF : r.nextInt());
                case 2 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 3 -> {
                    byte[] tail = new byte[r.nextInt(64)];
                    r.nextBytes(tail);
                    byte[] n = java.util.Arrays.copyOf(b, b.length + tail.length);
                    System.arraycopy(tail, 0, n, b.length, tail.length);
                    b = n;
                }
                case 4 -> {
                    // Rewrite a 16-bit field at a 2-aligned position past the header (chunk/param lengths, counts).
                    if (b.length >= 16) {
                        int p = 12 + 2 * r.nextInt((b.length - 12) / 2);
                        int v = r.nextBoolean() ? r.nextInt(65536) : r.nextInt(64);
                        b[p] = (byte) (v >> 8);
                        if (p + 1 < b.length) {
                            b[p + 1] = (byte) v;
                        }
                    }
                }
                case 5 -> {
                    // Splice the chunks of another packet after ours.
                    byte[] o = corpus.get(r.nextInt(corpus.size()));
                    if (o.length > 12) {
                        byte[] n = java.util.Arrays.copyOf(b, b.length + o.length - 12);
                        System.arraycopy(o, 12, n, b.length, o.length - 12);
                        b = n;
                    }
                }
                case 6 -> {
                    // Change a chunk type byte at the first chunk.
                    if (b.length > 12) {
                        b[12] = (byte) r.nextInt(256);
                    }
                }
                default -> {
                    // Overwrite a 32-bit field (TSNs, tags, cum acks) with something near or far.
                    if (b.length >= 20) {
                        int p = 12 + 4 * r.nextInt((b.length - 12) / 4);
                        if (p + 4 <= b.length) {
                            WireBytes.put32(b, p, r.nextBoolean() ? WireBytes.i32(b, p) + r.nextInt(64) - 32
                                    : r.nextInt());
                        }
                    }
                }
            }
            if (b.length == 0) {
                b = new byte[1];
            }
        }
        return b;
    }

    static void fixChecksum(byte[] b) {
        if (b.length >= 12) {
            int crc = SctpPacket.checksum(b, 0, b.length);
            b[8] = (byte) crc;
            b[9] = (byte) (crc >>> 8);
            b[10] = (byte) (crc >>> 16);
            b[11] = (byte) (crc >>> 24);
        }
    }

    @Test
    void garbageNeverBreaksAnEstablishedAssociation() {
        List<byte[]> corpus = corpus(101);
        assertTrue(corpus.size() > 200, "corpus " + corpus.size());
        SimulatedLink link = AssociationTest.established(102);
        SctpAssociation victim = link.b.assoc;
        int localTag = victim.localTag();
        int peerTag = victim.peerTag;
        Random r = new Random(103);
        int fed = 0;
        for (int i = 0; i < 120_000; i++) {
            byte[] b;
            int kind = r.nextInt(10);
            if (kind < 2) {
                b = new byte[r.nextInt(1500)];
                r.nextBytes(b);
            } else {
                b = mutate(r, corpus);
                if (kind >= 5 && b.length >= 12) {
                    // Valid checksum, but a tag that is not ours (nor the peer's, which T-bit chunks would accept).
                    int tag;
                    do {
                        tag = r.nextInt(8) == 0 ? 0 : r.nextInt();
                    } while (tag == localTag || tag == peerTag);
                    WireBytes.put32(b, 4, tag);
                    fixChecksum(b);
                }
            }
            victim.receive(b, 0, b.length);
            fed++;
            if (i % 1000 == 0) {
                link.a.assoc.send(0, 53, new byte[] {(byte) (i / 1000)}, 0, 1, false, -1, -1);
                link.clock.advance(20);
            }
        }
        assertTrue(fed >= 100_000);
        link.clock.advance(5_000);
        SctpCounters c = victim.counters();
        assertEquals(0, c.internalErrors(), c.toString());
        assertTrue(c.badChecksums() > 10_000 && c.badVerificationTags() > 10_000, c.toString());
        assertNull(link.a.closed);
        assertNull(link.b.closed);
        assertEquals(AssociationState.ESTABLISHED, victim.state());
        // The interleaved real messages all arrived, in order.
        assertEquals(120, link.b.messages.size());
        for (int i = 0; i < 120; i++) {
            assertEquals((byte) i, link.b.messages.get(i)[0]);
        }
        // And the association still does real work both ways, under loss.
        link.loss = 0.1;
        link.reorder = 0.2;
        AssociationTest.Traffic ab = new AssociationTest.Traffic();
        AssociationTest.Traffic ba = new AssociationTest.Traffic();
        for (int i = 0; i < 40; i++) {
            ab.add(i % 3, AssociationTest.payload(r, r.nextInt(20000)), false, -1, -1);
            ba.add(i % 3, AssociationTest.payload(r, r.nextInt(20000)), false, -1, -1);
        }
        int before = link.b.messages.size();
        link.a.messages.clear();
        long limit = link.clock.nowMillis() + 600_000;
        while (link.b.messages.size() < before + 40 || link.a.messages.size() < 40) {
            ab.pump(link.a.assoc);
            ba.pump(link.b.assoc);
            assertTrue(link.clock.runNext(limit), "stalled after fuzzing");
        }
        for (int i = 0; i < 40; i++) {
            assertTrue(java.util.Arrays.equals(ab.sent.get(i % 3).get(i / 3),
                    link.b.messages.subList(before, before + 40).stream()
                            .filter(m -> true).toList().get(indexOnStream(link.b, before, i % 3, i / 3))));
        }
        assertEquals(0, link.a.assoc.counters().internalErrors());
    }

    private static boolean terminates(byte[] b) {
        SctpPacket p = SctpPacket.decode(b, 0, b.length, new SctpCounters());
        if (p == null) {
            return false;
        }
        for (Chunk c : p.chunks()) {
            int t = c.type();
            if (t == Chunk.ABORT || t == Chunk.SHUTDOWN || t == Chunk.SHUTDOWN_ACK || t == Chunk.SHUTDOWN_COMPLETE
                    || (c instanceof DataChunk d && d.dataLen() == 0)) {
                return true;
            }
        }
        return false;
    }

    private static int indexOnStream(SimulatedLink.End end, int from, int stream, int nth) {
        int seen = 0;
        for (int i = from; i < end.messages.size(); i++) {
            if (end.meta.get(i)[0] == stream && seen++ == nth) {
                return i - from;
            }
        }
        throw new AssertionError("message " + nth + " on stream " + stream + " missing");
    }

    @Test
    void authenticatedGarbageNeverTripsTheEngine() {
        // Mutations that keep a valid checksum AND the right tag reach every chunk handler. They may legitimately
        // abort the association (that is what an ABORT or a protocol violation does); they must never throw, hang
        // or corrupt the engine's invariants.
        List<byte[]> corpus = corpus(201);
        Random r = new Random(202);
        int fed = 0;
        int pairs = 0;
        while (fed < 40_000) {
            SimulatedLink link = AssociationTest.established(300 + pairs++);
            SctpAssociation victim = link.b.assoc;
            for (int i = 0; i < 5_000 && link.b.closed == null; i++) {
                byte[] b = mutate(r, corpus);
                if (b.length >= 12) {
                    if (!(b.length > 12 && (b[12] == Chunk.INIT || b[12] == Chunk.COOKIE_ECHO))) {
                        WireBytes.put32(b, 4, r.nextInt(4) == 0 ? victim.peerTag : victim.localTag());
                    }
                    b[0] = 0x13;
                    b[1] = (byte) 0x88;
                    b[2] = 0x13;
                    b[3] = (byte) 0x88;
                    fixChecksum(b);
                    if (r.nextInt(10) != 0 && terminates(b)) {
                        continue; // mostly skip chunks that legitimately end the association, to fuzz deeper
                    }
                }
                victim.receive(b, 0, b.length);
                fed++;
                if (i % 200 == 0) {
                    link.a.assoc.send(0, 53, new byte[] {1}, 0, 1, false, -1, -1);
                    link.clock.advance(10);
                }
            }
            link.clock.advance(2_000);
            assertEquals(0, victim.counters().internalErrors(), "pair " + pairs + ": " + victim.counters());
            assertEquals(0, link.a.assoc.counters().internalErrors());
            assertTrue(victim.bufferedAmount() >= 0);
        }
        assertTrue(pairs >= 8);
    }
}
