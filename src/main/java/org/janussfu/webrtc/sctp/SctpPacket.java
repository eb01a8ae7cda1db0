package org.janussfu.webrtc.sctp;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An SCTP packet (RFC 9260 §3.1): the common header (ports, verification tag, CRC32C checksum) and its chunks.
 * {@link #decode} checks the checksum (computed with the checksum field taken as zero and stored little-endian, the
 * byte order every deployed stack uses, RFC 9260 §6.8 and Appendix B), frames the chunks with bounds checks and
 * decodes each with its record's codec; it never throws and counts what it drops. Unknown chunk types are handled per
 * the upper two bits of the type (§3.2): they appear as {@link ValueChunk}s, and decoding stops after one whose 0x80
 * bit is clear. {@link #writeHeader}, {@link #writeChunk} and {@link #seal} build packets in place. Static helpers;
 * the decoded record is immutable and used on the association's context.
 */
record SctpPacket(int sourcePort, int destinationPort, int verificationTag, List<Chunk> chunks) {

    static final int HEADER = 12;

    /** Decodes a packet; null when it must be dropped as a whole (too short, bad checksum, broken chunk framing). */
    static SctpPacket decode(byte[] b, int off, int len, SctpCounters counters) {
        if (b == null || off < 0 || len < HEADER + 4 || off > b.length - len) {
            counters.malformedPackets++;
            return null;
        }
        if (storedChecksum(b, off) != checksum(b, off, len)) {
            counters.badChecksums++;
            return null;
        }
        List<Chunk> chunks = new ArrayList<>(2);
        int p = off + HEADER;
        int end = off + len;
        while (end - p >= 4) {
            int type = WireBytes.u8(b, p);
            int flags = WireBytes.u8(b, p + 1);
            int clen = WireBytes.u16(b, p + 2);
            if (clen < 4 || clen > end - p) {
                counters.malformedPackets++;
                return null;
            }
            Chunk c = decodeChunk(type, flags, b, p + 4, clen - 4);
            if (c == null) {
                counters.malformedChunks++;
            } else {
                chunks.add(c);
                if (c instanceof ValueChunk && !known(type)) {
                    counters.unknownChunks++;
                    if ((type & 0x80) == 0) {
                        break;
                    }
                }
            }
            p += Math.min(WireBytes.pad4(clen), end - p);
        }
        if (chunks.isEmpty()) {
            counters.malformedPackets++;
            return null;
        }
        return new SctpPacket(WireBytes.u16(b, off), WireBytes.u16(b, off + 2), WireBytes.i32(b, off + 4), chunks);
    }

    static boolean known(int type) {
        return switch (type) {
            case Chunk.DATA, Chunk.INIT, Chunk.INIT_ACK, Chunk.SACK, Chunk.HEARTBEAT, Chunk.HEARTBEAT_ACK,
                 Chunk.ABORT, Chunk.SHUTDOWN, Chunk.SHUTDOWN_ACK, Chunk.ERROR, Chunk.COOKIE_ECHO, Chunk.COOKIE_ACK,
                 Chunk.SHUTDOWN_COMPLETE, Chunk.RE_CONFIG, Chunk.FORWARD_TSN -> true;
            default -> false;
        };
    }

    /** Decodes one chunk value; null when a known type's value is malformed. */
    static Chunk decodeChunk(int type, int flags, byte[] b, int off, int len) {
        return switch (type) {
            case Chunk.DATA -> DataChunk.decode(flags, b, off, len);
            case Chunk.INIT -> InitChunk.decode(false, b, off, len);
            case Chunk.INIT_ACK -> InitChunk.decode(true, b, off, len);
            case Chunk.SACK -> SackChunk.decode(b, off, len);
            case Chunk.SHUTDOWN -> ShutdownChunk.decode(b, off, len);
            case Chunk.FORWARD_TSN -> ForwardTsnChunk.decode(b, off, len);
            case Chunk.RE_CONFIG -> ReconfigChunk.decode(b, off, len);
            case Chunk.COOKIE_ACK, Chunk.SHUTDOWN_ACK, Chunk.SHUTDOWN_COMPLETE ->
                    new ValueChunk(type, flags, ValueChunk.EMPTY);
            default -> ValueChunk.decode(type, flags, b, off, len);
        };
    }

    /** CRC32C of the packet with the checksum field taken as zero (RFC 9260 Appendix B). */
    static int checksum(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, 8);
        crc.update(ZEROS, 0, 4);
        crc.update(b, off + HEADER, len - HEADER);
        return (int) crc.getValue();
    }

    private static final byte[] ZEROS = new byte[4];

    static int storedChecksum(byte[] b, int off) {
        return (b[off + 8] & 0xFF) | (b[off + 9] & 0xFF) << 8 | (b[off + 10] & 0xFF) << 16 | (b[off + 11] & 0xFF) << 24;
    }

    static void writeHeader(byte[] b, int srcPort, int dstPort, int vtag) {
        WireBytes.put16(b, 0, srcPort);
        WireBytes.put16(b, 2, dstPort);
        WireBytes.put32(b, 4, vtag);
        WireBytes.put32(b, 8, 0);
    }

    /** Padded size the chunk occupies in a packet. */
    static int paddedSize(Chunk c) {
        return WireBytes.pad4(c.encodedLength());
    }

    /** Writes the chunk with its header and zero padding at {@code off}; returns the offset after the padding. */
    static int writeChunk(byte[] b, int off, Chunk c) {
        int len = c.encodedLength();
        b[off] = (byte) c.type();
        b[off + 1] = (byte) c.flags();
        WireBytes.put16(b, off + 2, len);
        c.writeValue(b, off + 4);
        int end = off + WireBytes.pad4(len);
        for (int i = off + len; i < end; i++) {
            b[i] = 0;
        }
        return end;
    }

    /** Computes and stores the checksum of a finished packet of {@code len} bytes at offset 0. */
    static void seal(byte[] b, int len) {
        int crc = checksum(b, 0, len);
        b[8] = (byte) crc;
        b[9] = (byte) (crc >>> 8);
        b[10] = (byte) (crc >>> 16);
        b[11] = (byte) (crc >>> 24);
    }

    /** Encodes a whole packet (tests and single-chunk sends). */
    static byte[] encode(int srcPort, int dstPort, int vtag, List<? extends Chunk> chunks) {
        int len = HEADER;
        for (Chunk c : chunks) {
            len += paddedSize(c);
        }
        byte[] b = new byte[len];
        writeHeader(b, srcPort, dstPort, vtag);
        int p = HEADER;
        for (Chunk c : chunks) {
            p = writeChunk(b, p, c);
        }
        seal(b, len);
        return b;
    }
}
