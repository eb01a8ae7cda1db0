package org.janussfu.webrtc.sctp;

import static org.janussfu.testing.FuzzChecks.bounded;
import static org.janussfu.testing.FuzzChecks.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.janussfu.testing.FuzzChecks;

/**
 * Coverage-guided fuzz targets (Jazzer, docs/fuzzing.md) for our SCTP (RFC 9260 over DTLS, RFC 8261).
 * {@link #packetCodec}: {@link SctpPacket#decode} and every chunk codec it dispatches to (DATA, INIT/INIT-ACK, SACK,
 * SHUTDOWN, FORWARD-TSN, RE-CONFIG, value chunks), with the CRC32C fixed up so that the fuzzer reaches the chunks.
 * Invariants: nothing throws; decode → encode → decode → encode is stable (same chunk types, same bytes) and the
 * encoding stays within a bounded multiple of the input. {@link #association}: the input as a run of packets
 * ({@code u16 length, bytes}) with the right ports, verification tag and checksum, fed into an association freshly
 * established with a real simulated peer (what a DTLS-authenticated but hostile peer can send). Invariants: nothing
 * throws and the engine's internal-error guard never trips on either side. Seeds: the handshake, DATA, SACK,
 * FORWARD-TSN, RE-CONFIG, HEARTBEAT and SHUTDOWN packets of a simulated exchange (as {@code FuzzTest} captures them).
 * JUnit thread.
 */
class SctpPacketFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void packetCodec(byte[] data) {
        byte[] b = data.clone();
        if (b.length >= SctpPacket.HEADER) {
            SctpPacket.seal(b, b.length);
        }
        SctpPacket p = SctpPacket.decode(b, 0, b.length, new SctpCounters());
        if (p == null) {
            return;
        }
        require(!p.chunks().isEmpty(), "decoded packet without chunks");
        for (Chunk c : p.chunks()) {
            if (c instanceof InitChunk init) {
                require(init.unrecognized().size() <= 8, "unrecognized parameters kept: " + init.unrecognized().size());
            }
        }
        byte[] e1 = SctpPacket.encode(p.sourcePort(), p.destinationPort(), p.verificationTag(), normalized(p.chunks()));
        bounded(e1.length, b.length, 4L * p.chunks().size() + 16, "encoded packet");
        SctpPacket again = SctpPacket.decode(e1, 0, e1.length, new SctpCounters());
        require(again != null, "own encoding does not decode");
        require(again.chunks().size() == p.chunks().size(), "chunk count changed: " + p.chunks().size() + " → "
                + again.chunks().size());
        for (int i = 0; i < p.chunks().size(); i++) {
            require(again.chunks().get(i).type() == p.chunks().get(i).type(), "chunk type changed at " + i);
        }
        byte[] e2 = SctpPacket.encode(again.sourcePort(), again.destinationPort(), again.verificationTag(),
                again.chunks());
        require(Arrays.equals(e1, e2), "encode(decode(encode)) differs");
    }

    /**
     * INIT/INIT-ACK are not symmetric by design: decoding collects the peer's unknown parameters to report, encoding
     * writes that list as our Unrecognized Parameter reports (RFC 9260 §3.3.3), and an INIT carries no cookie. The
     * round trip compares what our encoder is meant to write.
     */
    private static List<Chunk> normalized(List<Chunk> chunks) {
        List<Chunk> out = new ArrayList<>(chunks.size());
        for (Chunk c : chunks) {
            if (c instanceof InitChunk i) {
                c = new InitChunk(i.ack(), i.initiateTag(), i.aRwnd(), i.outboundStreams(), i.inboundStreams(),
                        i.initialTsn(), i.ack() ? i.cookie() : null, i.forwardTsnSupported(), i.supportedExtensions(),
                        List.of());
            }
            out.add(c);
        }
        return out;
    }

    @FuzzTest(maxDuration = "60s")
    void association(byte[] data) {
        SimulatedLink link = AssociationTest.established(7); // fresh per input: findings replay deterministically
        SctpAssociation victim = link.b.assoc;
        for (byte[] raw : packets(data)) {
            byte[] b = raw;
            if (b.length >= 12) {
                if (!(b.length > 12 && (b[12] == Chunk.INIT || b[12] == Chunk.COOKIE_ECHO))) {
                    WireBytes.put32(b, 4, (b[0] & 1) != 0 ? victim.peerTag : victim.localTag());
                }
                WireBytes.put16(b, 0, 5000);
                WireBytes.put16(b, 2, 5000);
                SctpPacket.seal(b, b.length);
            }
            victim.receive(b, 0, b.length);
            link.clock.advance(1 + (b.length > 0 ? b[b.length - 1] & 0x3f : 0));
            if (victim.state() != AssociationState.ESTABLISHED) {
                break;
            }
        }
        link.clock.advance(50);
        require(victim.counters().internalErrors() == 0, "internal error: " + victim.counters());
        require(link.a.assoc.counters().internalErrors() == 0, "peer internal error: " + link.a.assoc.counters());
        require(victim.bufferedAmount() >= 0, "negative buffered amount");
    }

    static List<byte[]> packets(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int p = 0;
        while (p + 2 <= data.length && out.size() < 64) {
            int len = ((data[p] & 0xff) << 8) | (data[p + 1] & 0xff);
            int end = Math.min(data.length, p + 2 + len);
            out.add(Arrays.copyOfRange(data, p + 2, end));
            p = end;
        }
        return out;
    }

    /** Regenerates both seed corpora from a simulated exchange (run from the project root). */
    public static void main(String[] args) {
        SimulatedLink l = new SimulatedLink(11, SctpConfig.defaults());
        l.capture = true;
        l.startBoth();
        l.runUntil(() -> l.a.established && l.b.established, 30_000);
        Random r = new Random(12);
        for (int i = 0; i < 8; i++) {
            int size = i == 3 ? 3000 : 20 + r.nextInt(200);
            l.a.assoc.send(i % 2, 51, new byte[size], 0, size, i == 5, i == 6 ? 0 : -1, -1);
            l.b.assoc.send(0, 53, new byte[size], 0, size, false, -1, -1);
            l.clock.advance(3);
        }
        l.runUntil(() -> false, 2_000);
        l.a.assoc.resetStreams(new int[] {1});
        l.runUntil(() -> false, 2_000);
        l.clock.advance(70_000); // heartbeats
        l.a.assoc.close();
        l.runUntil(() -> l.a.closed != null, 30_000);
        List<byte[]> captured = new ArrayList<>(l.captured);
        captured.add(SctpPacket.encode(5000, 5000, 1, List.of(new ForwardTsnChunk(5, new int[] {1, 2},
                new int[] {3, 4}), new SackChunk(3, 1000, new int[] {2, 5}, new int[] {3, 9}, new int[] {1}))));
        Map<String, byte[]> codec = new LinkedHashMap<>();
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (byte[] c : captured) {
            String kind = "type" + (c.length > 12 ? c[12] & 0xff : -1);
            int seen = kinds.merge(kind, 1, Integer::sum);
            if (seen <= 3) {
                codec.put(FuzzChecks.name(kind, c), c);
            }
        }
        FuzzChecks.writeSeeds(SctpPacketFuzzTest.class, "packetCodec", codec);
        Map<String, byte[]> runs = new LinkedHashMap<>();
        for (int start = 0; start + 6 <= captured.size() && runs.size() < 12; start += Math.max(1, captured.size() / 12)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (byte[] c : captured.subList(start, start + 6)) {
                out.write(c.length >>> 8);
                out.write(c.length);
                out.writeBytes(c);
            }
            byte[] run = out.toByteArray();
            runs.put(FuzzChecks.name("run", run), run);
        }
        FuzzChecks.writeSeeds(SctpPacketFuzzTest.class, "association", runs);
    }
}
