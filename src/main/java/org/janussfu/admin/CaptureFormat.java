package org.janussfu.admin;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The two file formats of Janus' packet dumps ({@code text2pcap.c}). <b>pcap</b>: the libpcap 2.4 file format
 * (global header with magic {@code 0xa1b2c3d4} in our byte order — little endian, as Janus writes on x86 and ARM —
 * snaplen 65535, link type 1 Ethernet), each packet behind a record header and a made-up Ethernet/IPv4/UDP header
 * so that Wireshark decodes the RTP: incoming packets from 10.1.1.1:1000 to 10.2.2.2:2000, outgoing the other way
 * (RFC 791 header with its checksum, RFC 768 UDP without one). <b>text2pcap</b>: one line per packet, {@code I}
 * or {@code O}, the local time {@code HH:MM:SS.uuuuuu}, offset {@code 000000}, the bytes in hex, the packet type
 * ({@code JANUS_TEXT2PCAP_RTP} / {@code _RTCP}) and {@code [session=S][handle=H]}, ended by CRLF — what
 * {@code text2pcap -D -n -l 1 -i 17 -u 1000,2000 -t '%H:%M:%S.'} reads. Stateless; used on the writer thread.
 */
final class CaptureFormat {
    static final int PCAP_MAGIC = 0xa1b2c3d4;
    static final int GLOBAL_HEADER = 24;
    static final int RECORD_HEADER = 16;
    /** Ethernet (14) + IPv4 (20) + UDP (8). */
    static final int FAKE_HEADERS = 42;
    static final int PORT_IN = 1000;
    static final int PORT_OUT = 2000;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private CaptureFormat() {
    }

    static void globalHeader(ByteBuffer b) {
        b.order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(PCAP_MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
    }

    /** Bytes {@link #pcapRecord} writes for a record of {@code saved} packet bytes. */
    static int pcapSize(int saved) {
        return RECORD_HEADER + FAKE_HEADERS + saved;
    }

    static void pcapRecord(ByteBuffer b, CaptureRing.Record r) {
        boolean out = (r.flags & CaptureRing.OUTGOING) != 0;
        b.order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) (r.micros / 1_000_000)).putInt((int) (r.micros % 1_000_000));
        b.putInt(FAKE_HEADERS + r.saved).putInt(FAKE_HEADERS + r.length);
        b.order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 12; i++) {
            b.put((byte) 0); // destination and source MAC
        }
        b.putShort((short) 0x0800); // IPv4
        int ip = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + r.length)).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0);
        int src = out ? 0x0a020202 : 0x0a010101;
        int dst = out ? 0x0a010101 : 0x0a020202;
        b.putInt(src).putInt(dst);
        b.putShort(ip + 10, (short) ipChecksum(b, ip));
        b.putShort((short) (out ? PORT_OUT : PORT_IN)).putShort((short) (out ? PORT_IN : PORT_OUT));
        b.putShort((short) (8 + r.length)).putShort((short) 0);
        b.put(r.data, 0, r.saved);
    }

    /** RFC 791 §3.1: the one's complement of the one's complement sum of the header's 16-bit words. */
    private static int ipChecksum(ByteBuffer b, int off) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += b.getShort(off + i) & 0xffff;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    /** Bytes {@link #textLine} writes at most for {@code saved} packet bytes and a suffix of {@code suffix} bytes. */
    static int textSize(int saved, int suffix) {
        return 2 + 16 + 8 + 3 * saved + 1 + 21 + 1 + suffix + 2;
    }

    static void textLine(ByteBuffer b, CaptureRing.Record r, ZoneId zone, byte[] suffix) {
        boolean out = (r.flags & CaptureRing.OUTGOING) != 0;
        LocalTime t = LocalTime.ofInstant(Instant.ofEpochSecond(r.micros / 1_000_000, (r.micros % 1_000_000) * 1000), zone);
        String head = String.format("%s %02d:%02d:%02d.%06d 000000 ", out ? "O" : "I", t.getHour(), t.getMinute(),
                t.getSecond(), r.micros % 1_000_000);
        b.put(head.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < r.saved; i++) {
            b.put((byte) ' ').put(HEX[(r.data[i] >> 4) & 0xf]).put(HEX[r.data[i] & 0xf]);
        }
        b.put(((r.flags & CaptureRing.RTCP) != 0 ? " JANUS_TEXT2PCAP_RTCP " : " JANUS_TEXT2PCAP_RTP ")
                .getBytes(StandardCharsets.US_ASCII));
        b.put(suffix).put((byte) '\r').put((byte) '\n');
    }
}
