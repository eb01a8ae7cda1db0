package org.janussfu.admin;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The capture ring and file formats: records survive the ring's wrap-around byte for byte, a full ring refuses
 * (never blocks) and frees space as the consumer takes records, one producer and one consumer thread exchange a
 * long stream without loss or corruption; a pcap record has Janus' made-up Ethernet/IPv4/UDP headers with a valid
 * IPv4 checksum and the truncation; a text2pcap line has Janus' layout.
 */
class CaptureRingTest {
    static byte[] packet(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    @Test
    void recordsWrapAndAFullRingRefuses() {
        CaptureRing ring = new CaptureRing(1024);
        CaptureRing.Record r = new CaptureRing.Record();
        int seed = 0;
        for (int round = 0; round < 50; round++) {
            int accepted = 0;
            while (ring.offer(CaptureRing.OUTGOING, 1000 + round, packet(100 + round, seed + accepted), 0, 100 + round,
                    100 + round)) {
                accepted++;
            }
            assertTrue(accepted >= 1 && accepted * (116 + round) <= 1024, "accepted " + accepted);
            for (int i = 0; i < accepted; i++) {
                assertTrue(ring.poll(r));
                assertEquals(100 + round, r.saved);
                assertEquals(CaptureRing.OUTGOING, r.flags);
                assertEquals(1000 + round, r.micros);
                byte[] got = java.util.Arrays.copyOf(r.data, r.saved);
                assertArrayEquals(packet(100 + round, seed + i), got, "round " + round + " record " + i);
            }
            assertFalse(ring.poll(r));
            seed += accepted;
        }
        // Truncated: saved < length.
        assertTrue(ring.offer(CaptureRing.RTCP, 5, packet(300, 1), 0, 300, 16));
        assertTrue(ring.poll(r));
        assertEquals(16, r.saved);
        assertEquals(300, r.length);
        assertEquals(CaptureRing.RTCP, r.flags);
    }

    @Test
    void oneProducerOneConsumerLoseNothingTheyAccept() throws Exception {
        CaptureRing ring = new CaptureRing(1 << 16);
        int n = 200_000;
        AtomicLong accepted = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            byte[] p = new byte[200];
            for (int i = 0; i < n; i++) {
                int len = 20 + i % 180;
                ByteBuffer.wrap(p).putInt(0, i);
                if (ring.offer(0, i, p, 0, len, len)) {
                    accepted.incrementAndGet();
                }
            }
            done.set(true);
        });
        producer.start();
        CaptureRing.Record r = new CaptureRing.Record();
        long taken = 0;
        long last = -1;
        while (true) {
            boolean finished = done.get(); // read before the poll: once set and the ring is empty, nothing comes
            if (!ring.poll(r)) {
                if (finished) {
                    break;
                }
                Thread.onSpinWait();
                continue;
            }
            int i = ByteBuffer.wrap(r.data).getInt(0);
            assertTrue(i > last, "order");
            assertEquals(i, r.micros);
            assertEquals(20 + i % 180, r.saved);
            last = i;
            taken++;
        }
        producer.join();
        assertEquals(accepted.get(), taken);
        assertTrue(taken > 0);
    }

    @Test
    void pcapRecordAndTextLine() {
        CaptureRing.Record r = new CaptureRing.Record();
        byte[] rtp = packet(60, 3);
        rtp[0] = (byte) 0x80;
        System.arraycopy(rtp, 0, r.data, 0, 20);
        r.saved = 20;
        r.length = 60;
        r.flags = 0;
        r.micros = 1_700_000_000_123_456L;
        ByteBuffer b = ByteBuffer.allocate(200);
        CaptureFormat.pcapRecord(b, r);
        assertEquals(CaptureFormat.pcapSize(20), b.position());
        b.order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1_700_000_000, b.getInt(0));
        assertEquals(123_456, b.getInt(4));
        assertEquals(42 + 20, b.getInt(8), "saved");
        assertEquals(42 + 60, b.getInt(12), "original");
        b.order(ByteOrder.BIG_ENDIAN);
        int ip = 16 + 14;
        assertEquals(0x0800, b.getShort(16 + 12));
        assertEquals(20 + 8 + 60, b.getShort(ip + 2), "IP total length of the whole packet");
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += b.getShort(ip + i) & 0xffff;
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        assertEquals(0xffff, sum, "checksum");
        assertEquals(0x0a010101, b.getInt(ip + 12), "incoming from 10.1.1.1");
        assertEquals(1000, b.getShort(ip + 20));
        assertEquals(2000, b.getShort(ip + 22));
        assertEquals(8 + 60, b.getShort(ip + 24));
        assertEquals((byte) 0x80, b.get(16 + 42));

        ByteBuffer t = ByteBuffer.allocate(CaptureFormat.textSize(20, 24));
        r.flags = CaptureRing.OUTGOING | CaptureRing.RTCP;
        r.saved = 3;
        r.data[0] = (byte) 0x81;
        r.data[1] = (byte) 0xc9;
        r.data[2] = 0x00;
        CaptureFormat.textLine(t, r, ZoneOffset.UTC, "[session=1][handle=2]".getBytes(StandardCharsets.US_ASCII));
        String line = new String(t.array(), 0, t.position(), StandardCharsets.US_ASCII);
        assertEquals("O 22:13:20.123456 000000  81 c9 00 JANUS_TEXT2PCAP_RTCP [session=1][handle=2]\r\n", line);
    }
}
