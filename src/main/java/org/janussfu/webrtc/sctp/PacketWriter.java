package org.janussfu.webrtc.sctp;

/**
 * Bundles chunks into SCTP packets of at most one MTU (RFC 9260 §6.10) and hands each finished packet, checksum
 * sealed, to the association's {@link SctpAssociation.Output}. Between {@link #begin} and {@link #end} chunks are
 * appended in call order; a chunk that does not fit closes the current packet and opens the next one with the same
 * verification tag. A chunk larger than the MTU goes alone in an oversized packet (only DATA is ever fragmented).
 * Packets are assembled in one array of one MTU that is reused for every packet, so the output must consume (or
 * copy) it during {@code send} — the DTLS record layer encrypts it into its own record there; only an oversized
 * packet gets an array of its own. Owned by one association; its context.
 */
final class PacketWriter {

    private final int srcPort;
    private final int dstPort;
    private final int mtu;
    private final SctpAssociation.Output out;
    private final SctpCounters counters;
    private final byte[] scratch;
    private byte[] buf;
    private int pos;
    private int vtag;

    PacketWriter(int srcPort, int dstPort, int mtu, SctpAssociation.Output out, SctpCounters counters) {
        this.srcPort = srcPort;
        this.dstPort = dstPort;
        this.mtu = mtu;
        this.out = out;
        this.counters = counters;
        this.scratch = new byte[mtu];
    }

    void begin(int verificationTag) {
        end();
        vtag = verificationTag;
    }

    void add(Chunk c) {
        int size = SctpPacket.paddedSize(c);
        if (buf != null && pos + size > mtu) {
            end();
        }
        if (buf == null) {
            buf = SctpPacket.HEADER + size <= mtu ? scratch : new byte[SctpPacket.HEADER + size];
            SctpPacket.writeHeader(buf, srcPort, dstPort, vtag);
            pos = SctpPacket.HEADER;
        }
        pos = SctpPacket.writeChunk(buf, pos, c);
    }

    /** Seals and sends the open packet, if any. */
    void end() {
        if (buf != null) {
            byte[] b = buf;
            int len = pos;
            buf = null;
            pos = 0;
            SctpPacket.seal(b, len);
            counters.packetsOut++;
            out.send(b, 0, len);
        }
    }

    /** Sends one chunk alone in its own packet (INIT, INIT-ACK, SHUTDOWN-COMPLETE must not be bundled, §6.10). */
    void sendAlone(int verificationTag, Chunk c) {
        end();
        int saved = vtag;
        vtag = verificationTag;
        add(c);
        end();
        vtag = saved;
    }
}
