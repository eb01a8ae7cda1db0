package org.janussfu.webrtc.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {

    private final SctpCounters counters = new SctpCounters();

    private Chunk roundTrip(Chunk c) {
        byte[] pkt = SctpPacket.encode(5000, 5001, 0x01020304, List.of(c));
        SctpPacket p = SctpPacket.decode(pkt, 0, pkt.length, counters);
        assertNotNull(p, "decodes");
        assertEquals(5000, p.sourcePort());
        assertEquals(5001, p.destinationPort());
        assertEquals(0x01020304, p.verificationTag());
        assertEquals(1, p.chunks().size());
        Chunk d = p.chunks().get(0);
        assertEquals(c.type(), d.type());
        assertEquals(c.flags(), d.flags());
        assertEquals(c.encodedLength(), d.encodedLength());
        return d;
    }

    @Test
    void crc32cKnownVectors() {
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0xE3069283L, crc.getValue());
        // A header-only packet (ports 5000/5000, tag 0) as pion/sctp's tests carry it: checksum e1 00 a9 06 stored
        // little-endian as 06 a9 00 e1.
        byte[] header = {0x13, (byte) 0x88, 0x13, (byte) 0x88, 0, 0, 0, 0, 0x06, (byte) 0xa9, 0x00, (byte) 0xe1};
        assertEquals(SctpPacket.storedChecksum(header, 0), SctpPacket.checksum(header, 0, header.length));
        // An INIT built by scapy (an independent implementation).
        int[] init = {0x13, 0x88, 0x13, 0x88, 0x00, 0x00, 0x00, 0x00, 0x16, 0xde, 0x25, 0x9a, 0x01, 0x00, 0x00, 0x14,
            0x12, 0x34, 0x56, 0x78, 0x00, 0x01, 0xa0, 0x00, 0x04, 0x00, 0x04, 0x00, 0x00, 0x00, 0x10, 0x00};
        byte[] b = new byte[init.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) init[i];
        }
        SctpPacket p = SctpPacket.decode(b, 0, b.length, counters);
        assertNotNull(p);
        InitChunk ic = (InitChunk) p.chunks().get(0);
        assertEquals(0x12345678, ic.initiateTag());
        assertEquals(106496, ic.aRwnd());
        assertEquals(1024, ic.outboundStreams());
        assertEquals(1024, ic.inboundStreams());
        assertEquals(0x1000, ic.initialTsn());
        // Our encoder reproduces the same bytes, checksum included.
        byte[] ours = SctpPacket.encode(5000, 5000, 0, List.of(ic));
        assertArrayEquals(b, ours);
        b[20] ^= 1;
        assertNull(SctpPacket.decode(b, 0, b.length, counters));
        assertEquals(1, counters.badChecksums());
    }

    @Test
    void dataRoundTripWithFlagsAndPadding() {
        byte[] payload = "hello".getBytes(StandardCharsets.UTF_8);
        DataChunk c = new DataChunk(DataChunk.FLAG_B | DataChunk.FLAG_E | DataChunk.FLAG_U, 0xFFFFFFF0, 7, 65535,
                51, payload, 0, payload.length);
        DataChunk d = (DataChunk) roundTrip(c);
        assertEquals(c.tsn(), d.tsn());
        assertEquals(7, d.streamId());
        assertEquals(65535, d.ssn());
        assertEquals(51, d.ppid());
        assertTrue(d.beginning() && d.ending() && d.unordered());
        assertArrayEquals(payload, java.util.Arrays.copyOfRange(d.data(), d.dataOff(), d.dataOff() + d.dataLen()));
    }

    @Test
    void initAndInitAckRoundTrip() {
        InitChunk init = new InitChunk(false, 0xCAFEBABE, 1 << 20, 65535, 65535, 12345, null, true,
                new int[] {Chunk.FORWARD_TSN, Chunk.RE_CONFIG}, List.of());
        InitChunk d = (InitChunk) roundTrip(init);
        assertEquals(0xCAFEBABE, d.initiateTag());
        assertEquals(1 << 20, d.aRwnd());
        assertTrue(d.forwardTsnSupported());
        assertTrue(d.peerSupports(Chunk.FORWARD_TSN));
        assertTrue(d.peerSupports(Chunk.RE_CONFIG));
        assertNull(d.cookie());

        byte[] unknown = {(byte) 0xC0, 0x77, 0, 6, 1, 2};
        InitChunk ack = new InitChunk(true, 9, 100000, 10, 20, -5, new byte[] {1, 2, 3, 4, 5}, false, new int[0],
                List.of());
        InitChunk e = (InitChunk) roundTrip(ack);
        // Reported unrecognized parameters travel as Unrecognized Parameter (8) wrapping the original TLV.
        InitChunk reporting = new InitChunk(true, 9, 100000, 10, 20, -5, new byte[] {1}, false, new int[0],
                List.of(unknown));
        byte[] v = new byte[reporting.valueLength()];
        reporting.writeValue(v, 0);
        int at = 16 + 8;
        assertEquals(InitChunk.PARAM_UNRECOGNIZED, WireBytes.u16(v, at));
        assertEquals(4 + unknown.length, WireBytes.u16(v, at + 2));
        assertEquals(0xC077, WireBytes.u16(v, at + 4));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, e.cookie());
        assertEquals(10, e.outboundStreams());
        assertEquals(20, e.inboundStreams());
        assertEquals(-5, e.initialTsn());
        assertFalse(e.forwardTsnSupported());
    }

    @Test
    void initUnknownParametersFollowTheirTypeBits() {
        // value: fixed 16 bytes, then params: 0x8123 (skip), 0xC124 (skip+report), 0x4125 (stop+report),
        // then a forward-tsn-supported that must not be seen.
        byte[] v = new byte[16 + 8 + 8 + 8 + 4];
        WireBytes.put32(v, 0, 1);
        WireBytes.put32(v, 4, 5000);
        WireBytes.put16(v, 8, 1);
        WireBytes.put16(v, 10, 1);
        int p = 16;
        for (int type : new int[] {0x8123, 0xC124, 0x4125}) {
            WireBytes.put16(v, p, type);
            WireBytes.put16(v, p + 2, 8);
            p += 8;
        }
        WireBytes.put16(v, p, InitChunk.PARAM_FORWARD_TSN_SUPPORTED);
        WireBytes.put16(v, p + 2, 4);
        InitChunk c = InitChunk.decode(false, v, 0, v.length);
        assertNotNull(c);
        assertEquals(2, c.unrecognized().size());
        assertFalse(c.forwardTsnSupported(), "processing stopped at the 0x4125 parameter");
        WireBytes.put16(v, 16 + 2, 200); // a parameter overrunning the chunk
        assertNull(InitChunk.decode(false, v, 0, v.length));
    }

    @Test
    void sackRoundTrip() {
        SackChunk s = new SackChunk(-2, 65536, new int[] {2, 10}, new int[] {5, 12}, new int[] {7, -1});
        SackChunk d = (SackChunk) roundTrip(s);
        assertEquals(-2, d.cumulativeTsnAck());
        assertEquals(65536, d.aRwnd());
        assertArrayEquals(new int[] {2, 10}, d.gapStarts());
        assertArrayEquals(new int[] {5, 12}, d.gapEnds());
        assertArrayEquals(new int[] {7, -1}, d.duplicates());
        byte[] v = new byte[12];
        WireBytes.put16(v, 8, 3); // claims 3 gap blocks in a 12-byte value
        assertNull(SackChunk.decode(v, 0, v.length));
    }

    @Test
    void forwardTsnRoundTrip() {
        ForwardTsnChunk f = new ForwardTsnChunk(77, new int[] {1, 65535}, new int[] {3, 4});
        ForwardTsnChunk d = (ForwardTsnChunk) roundTrip(f);
        assertEquals(77, d.newCumulativeTsn());
        assertArrayEquals(new int[] {1, 65535}, d.streamIds());
        assertArrayEquals(new int[] {3, 4}, d.ssns());
    }

    @Test
    void reconfigRoundTrip() {
        ReconfigChunk r = new ReconfigChunk(List.of(
                new ReconfigChunk.OutgoingResetRequest(10, 20, 30, new int[] {1, 3, 5}),
                new ReconfigChunk.IncomingResetRequest(11, new int[] {2}),
                new ReconfigChunk.Response(9, ReconfigChunk.RESULT_PERFORMED),
                new ReconfigChunk.Other(17, 12, new byte[] {0, 0, 0, 12, 0, 1, 0, 0})));
        ReconfigChunk d = (ReconfigChunk) roundTrip(r);
        assertEquals(4, d.params().size());
        ReconfigChunk.OutgoingResetRequest o = (ReconfigChunk.OutgoingResetRequest) d.params().get(0);
        assertEquals(10, o.requestSeq());
        assertEquals(20, o.responseSeq());
        assertEquals(30, o.lastAssignedTsn());
        assertArrayEquals(new int[] {1, 3, 5}, o.streamIds());
        assertArrayEquals(new int[] {2}, ((ReconfigChunk.IncomingResetRequest) d.params().get(1)).streamIds());
        assertEquals(new ReconfigChunk.Response(9, 1), d.params().get(2));
        assertEquals(12, ((ReconfigChunk.Other) d.params().get(3)).requestSeq());
    }

    @Test
    void valueChunksRoundTrip() {
        int[] types = {Chunk.HEARTBEAT, Chunk.HEARTBEAT_ACK, Chunk.ABORT, Chunk.ERROR, Chunk.COOKIE_ECHO};
        for (int t : types) {
            byte[] v = {0, 1, 0, 7, 9, 9, 9};
            ValueChunk d = (ValueChunk) roundTrip(new ValueChunk(t, t == Chunk.ABORT ? Chunk.FLAG_T : 0, v));
            assertArrayEquals(v, d.value());
        }
        for (int t : new int[] {Chunk.COOKIE_ACK, Chunk.SHUTDOWN_ACK, Chunk.SHUTDOWN_COMPLETE}) {
            assertEquals(0, ((ValueChunk) roundTrip(ValueChunk.of(t))).value().length);
        }
        assertEquals(0x12345678, ((ShutdownChunk) roundTrip(new ShutdownChunk(0x12345678))).cumulativeTsnAck());
    }

    @Test
    void unknownChunksFollowTheirTypeBits() {
        ValueChunk skip = new ValueChunk(0x85, 0, new byte[] {1});       // 10: skip
        ValueChunk stop = new ValueChunk(0x45, 0, new byte[] {2});       // 01: stop and report
        ShutdownChunk after = new ShutdownChunk(1);
        byte[] pkt = SctpPacket.encode(1, 2, 3, List.of(skip, after, stop, after));
        SctpPacket p = SctpPacket.decode(pkt, 0, pkt.length, counters);
        assertNotNull(p);
        assertEquals(3, p.chunks().size(), "the chunk after the stop-type is not processed");
        assertInstanceOf(ShutdownChunk.class, p.chunks().get(1));
        assertEquals(0x45, p.chunks().get(2).type());
    }

    @Test
    void errorCausesDescribe() {
        byte[] c = ErrorCauses.text(ErrorCauses.USER_INITIATED_ABORT, "bye");
        assertEquals("user-initiated abort: bye", ErrorCauses.describe(c));
        assertEquals("no cause", ErrorCauses.describe(new byte[] {0, 1, 0}));
    }

    @Test
    void decoderNeverThrowsOnGarbage() {
        Random r = new Random(7);
        for (int i = 0; i < 20000; i++) {
            byte[] b = new byte[r.nextInt(80)];
            r.nextBytes(b);
            if (b.length >= 12 && r.nextBoolean()) {
                int crc = SctpPacket.checksum(b, 0, b.length);
                b[8] = (byte) crc;
                b[9] = (byte) (crc >>> 8);
                b[10] = (byte) (crc >>> 16);
                b[11] = (byte) (crc >>> 24);
            }
            SctpPacket.decode(b, 0, b.length, counters);
            SctpPacket.decode(b, Math.min(3, b.length), Math.max(0, b.length - 3), counters);
        }
        assertNull(SctpPacket.decode(new byte[10], 5, 20, counters));
        assertNull(SctpPacket.decode(null, 0, 0, counters));
    }
}
