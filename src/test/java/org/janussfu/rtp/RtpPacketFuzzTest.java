package org.janussfu.rtp;

import static org.janussfu.testing.FuzzChecks.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Coverage-guided fuzz target (Jazzer, docs/fuzzing.md) for the RTP a publisher sends after SRTP unprotect: the fixed
 * header accessors and RFC 7983 check ({@link RtpHeader}), the CSRC and RFC 8285 header-extension length walk
 * ({@link RtxPacket#headerLength}, also the AAD length of SRTP-GCM) and the RFC 4588 retransmission rewrite, then the
 * per-stream receive statistics ({@link InboundStream}), the RFC 4588 unwrap and the NACK gap tracker ({@link NackGenerator}) and the SSRC/sequence/timestamp rewrite ({@link OutboundStream})
 * over the input read as a run of 12-byte headers. Invariants: nothing throws; the header length is -1 or within the
 * packet; an RTX packet is at most 2 bytes longer than its source, keeps its header length, carries the original
 * sequence number and the original payload without padding; report fields stay in their wire ranges. Seeds: the RTP
 * shapes of {@code webrtc/srtp/RtpSample} and the loadtest probe (see {@code webrtc.WireFuzzSeeds}). JUnit thread.
 */
class RtpPacketFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void rtpPacket(byte[] p) {
        int len = p.length;
        int h = RtxPacket.headerLength(p, 0, len);
        require(h == -1 || (h >= RtpHeader.MIN_LENGTH && h <= len), "header length " + h + " of " + len);
        if (RtpHeader.isRtp(p, 0, len)) {
            require(RtpHeader.payloadType(p, 0) < 128 && RtpHeader.sequence(p, 0) < 65536
                    && RtpHeader.timestamp(p, 0) >= 0 && RtpHeader.ssrc(p, 0) >= 0, "header field range");
        }
        byte[] before = p.clone();
        byte[] dst = new byte[len + 2 + 20];
        int n = RtxPacket.write(p, 0, len, dst, 0, 97, 0xBBBBBBBBL, 4242);
        require(Arrays.equals(before, p), "RtxPacket.write modified its source");
        require(n == -1 ? h == -1 : h >= 0, "RTX written for a malformed packet, or refused a valid one");
        require(RtxPacket.write(p, 0, len, new byte[len + 1], 0, 97, 1, 1) == -1,
                "RTX written into a buffer without room");
        if (n >= 0) {
            require(n <= len + 2, "RTX longer than source + OSN");
            require(RtxPacket.headerLength(dst, 0, n) == h, "RTX header length differs");
            require(RtpHeader.payloadType(dst, 0) == 97 && RtpHeader.sequence(dst, 0) == 4242
                    && RtpHeader.ssrc(dst, 0) == 0xBBBBBBBBL && (dst[0] & 0x20) == 0, "RTX header fields");
            require((dst[1] & 0x80) == (p[1] & 0x80), "marker bit lost");
            require(((dst[h] & 0xff) << 8 | (dst[h + 1] & 0xff)) == RtpHeader.sequence(p, 0), "OSN");
            int payload = n - h - 2;
            require(payload <= len - h, "RTX payload longer than the original");
            require(Arrays.equals(dst, h + 2, n, p, h, h + payload), "RTX payload is not the original's prefix");
            // and back (RFC 4588 §4 receive side): the original header fields and payload again, OSN gone
            byte[] back = Arrays.copyOf(dst, n);
            int m = RtxPacket.unwrap(back, 0, n, RtpHeader.payloadType(p, 0), RtpHeader.ssrc(p, 0));
            require(m == (payload >= 0 ? n - 2 : -1), "unwrap length " + m + " of " + n);
            require(RtpHeader.sequence(back, 0) == RtpHeader.sequence(p, 0) && RtpHeader.ssrc(back, 0) == RtpHeader.ssrc(p, 0)
                    && back[1] == p[1] && Arrays.equals(back, h, m, p, h, h + payload), "unwrapped is not the original");
        }
        int osn = RtxPacket.originalSequence(p, 0, len);
        require(osn >= -1 && osn < 65536 && (osn == -1 || h >= 0), "OSN " + osn);
        byte[] copy = p.clone();
        int u = RtxPacket.unwrap(copy, 0, len, 96, 7);
        require(u == -1 ? osn == -1 && Arrays.equals(copy, p) : u == len - 2 && RtpHeader.sequence(copy, 0) == osn,
                "unwrap of the raw input");
        streams(p);
    }

    /**
     * The input as a run of 12-byte headers arriving 1 ms apart into the receive and send statistics and the NACK
     * gap tracker (odd marker bits: as RTX of that sequence number); the tracker's bounds hold.
     */
    private static void streams(byte[] p) {
        InboundStream in = new InboundStream(90_000);
        OutboundStream out = new OutboundStream(0x1234, 90_000, 64);
        long now = 1_000_000_000L;
        byte[] hdr = new byte[RtpHeader.MIN_LENGTH];
        NackGenerator nacks = new NackGenerator();
        int[] due = new int[16];
        for (int off = 0; off + RtpHeader.MIN_LENGTH <= p.length; off += RtpHeader.MIN_LENGTH) {
            now += 1_000_000L * (p[off + 1] & 0x0f);
            in.onPacket(RtpHeader.ssrc(p, off), RtpHeader.sequence(p, off), RtpHeader.timestamp(p, off), now);
            System.arraycopy(p, off, hdr, 0, hdr.length);
            if ((p[off + 1] & 0x80) != 0) {
                nacks.onRetransmission(RtpHeader.sequence(p, off), now);
            } else {
                nacks.onPacket(RtpHeader.sequence(p, off), now);
            }
            int asked = nacks.poll(now, due);
            require(asked >= 0 && asked <= due.length && nacks.outstanding() >= 0
                    && nacks.outstanding() <= NackGenerator.MAX_OUTSTANDING, "NACK tracker bounds");
            int seq = out.rewrite(hdr, 0, hdr.length, now);
            require(seq == RtpHeader.sequence(hdr, 0) && RtpHeader.ssrc(hdr, 0) == 0x1234, "rewrite fields");
            if ((p[off] & 3) == 0) {
                int fraction = in.fractionLostSinceLastReport();
                long lost = in.cumulativeLost();
                require(fraction >= 0 && fraction <= 255, "fraction lost " + fraction);
                require(lost >= -0x800000 && lost <= 0x7fffff, "cumulative lost " + lost);
                require(in.jitter() >= 0 && in.takeLostInWindow() >= 0, "jitter / window loss");
                require(in.extendedHighestSequence() >= 0, "extended sequence");
            }
        }
        require(out.packets() == p.length / RtpHeader.MIN_LENGTH, "packet count");
    }
}
