package org.janussfu.core;

import org.janussfu.rtp.RtcpReports;
import org.janussfu.rtp.RtpHeader;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LegTap}'s per-medium statistics from packets in the clear: RTP in (by payload type) and out (by our SSRCs,
 * RTX counted apart), NACK/PLI/FIR feedback both ways attributed to the right medium, and an RR block's loss,
 * jitter and RTT (RFC 3550 §6.4.1: A - LSR - DLSR); malformed RTCP ends the walk without harm; the capture sees
 * every packet.
 */
class LegTapTest {
    static final long AUDIO = 0xA1, VIDEO = 0xB2, RTX = 0xC3, PEER_AUDIO = 0x1A, PEER_VIDEO = 0x2B;

    static LegTap tap() {
        byte[] kinds = new byte[128];
        kinds[111] = 1;
        kinds[96] = 2;
        return new LegTap(kinds, AUDIO, VIDEO, RTX);
    }

    static byte[] rtp(int pt, long ssrc, int len) {
        byte[] b = new byte[len];
        RtpHeader.write(b, 0, pt, 1, 1, ssrc);
        return b;
    }

    static void put32(byte[] b, int o, long v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    static byte[] feedback(int pt, int fmt, long media, int words) {
        byte[] b = new byte[(words + 1) * 4];
        b[0] = (byte) (0x80 | fmt);
        b[1] = (byte) pt;
        b[3] = (byte) words;
        put32(b, 4, 0x99);
        if (fmt == 4) {
            put32(b, 12, media); // FIR: the media SSRC is in the FCI
        } else {
            put32(b, 8, media);
        }
        return b;
    }

    @Test
    void rtpCountsByMediumAndDirection() {
        LegTap t = tap();
        AtomicInteger captured = new AtomicInteger();
        t.capture = (out, rtcp, buf, off, len) -> captured.incrementAndGet();
        t.onPacket(false, false, rtp(111, PEER_AUDIO, 100), 0, 100);
        t.onPacket(false, false, rtp(96, PEER_VIDEO, 1000), 0, 1000);
        t.onPacket(false, false, rtp(96, PEER_VIDEO, 900), 0, 900);
        t.onPacket(true, false, rtp(111, AUDIO, 80), 0, 80);
        t.onPacket(true, false, rtp(96, VIDEO, 1200), 0, 1200);
        t.onPacket(true, false, rtp(97, RTX, 1202), 0, 1202);
        t.onPacket(false, false, new byte[5], 0, 5); // too short: not counted, still captured
        assertEquals(1, t.get(LegTap.AUDIO, LegTap.IN_PACKETS));
        assertEquals(100, t.get(LegTap.AUDIO, LegTap.IN_BYTES));
        assertEquals(2, t.get(LegTap.VIDEO, LegTap.IN_PACKETS));
        assertEquals(1900, t.get(LegTap.VIDEO, LegTap.IN_BYTES));
        assertEquals(1, t.get(LegTap.AUDIO, LegTap.OUT_PACKETS));
        assertEquals(2, t.get(LegTap.VIDEO, LegTap.OUT_PACKETS));
        assertEquals(2402, t.get(LegTap.VIDEO, LegTap.OUT_BYTES));
        assertEquals(1, t.get(LegTap.VIDEO, LegTap.OUT_RTX));
        assertEquals(7, captured.get());
    }

    @Test
    void feedbackAndReportBlocks() {
        LegTap t = tap();
        t.onPacket(false, false, rtp(111, PEER_AUDIO, 50), 0, 50); // learns the peer's audio SSRC
        // Received from the peer: PLI and FIR about our video, a NACK about our audio, in one compound with an RR.
        byte[] rr = new byte[32];
        rr[0] = (byte) 0x81;
        rr[1] = (byte) 201;
        rr[3] = 7;
        put32(rr, 4, PEER_VIDEO);
        put32(rr, 8, VIDEO);
        rr[12] = 64;             // fraction lost
        rr[13] = (byte) 0xff;    // cumulative lost -2 (24-bit two's complement)
        rr[14] = (byte) 0xff;
        rr[15] = (byte) 0xfe;
        put32(rr, 20, 77);       // jitter
        long nowMiddle = (RtcpReports.ntp(System.currentTimeMillis()) >>> 16) & 0xffffffffL;
        put32(rr, 24, (nowMiddle - 65536 / 10) & 0xffffffffL); // our SR left 100 ms ago
        put32(rr, 28, 65536 / 20);                             // the peer held it 50 ms
        byte[] pli = feedback(206, 1, VIDEO, 2);
        byte[] fir = feedback(206, 4, VIDEO, 4);
        byte[] nack = feedback(205, 1, AUDIO, 3);
        byte[] compound = concat(rr, pli, fir, nack);
        t.onPacket(false, true, compound, 0, compound.length);
        assertEquals(1, t.get(LegTap.VIDEO, LegTap.PLIS_RECEIVED));
        assertEquals(1, t.get(LegTap.VIDEO, LegTap.FIRS_RECEIVED));
        assertEquals(1, t.get(LegTap.AUDIO, LegTap.NACKS_RECEIVED));
        assertEquals(0, t.get(LegTap.VIDEO, LegTap.NACKS_RECEIVED));
        assertEquals(-2, t.get(LegTap.VIDEO, LegTap.REMOTE_LOST));
        assertEquals(64, t.get(LegTap.VIDEO, LegTap.REMOTE_FRACTION));
        assertEquals(77, t.get(LegTap.VIDEO, LegTap.REMOTE_JITTER));
        long rtt = t.get(LegTap.VIDEO, LegTap.RTT_MS);
        assertTrue(rtt >= 40 && rtt <= 200, "rtt " + rtt);
        assertEquals(-1, t.get(LegTap.AUDIO, LegTap.RTT_MS), "no report about audio yet");
        // Sent by us: a PLI about the peer's video, a NACK about its audio.
        byte[] sent = concat(feedback(206, 1, PEER_VIDEO, 2), feedback(205, 1, PEER_AUDIO, 3));
        t.onPacket(true, true, sent, 0, sent.length);
        assertEquals(1, t.get(LegTap.VIDEO, LegTap.PLIS_SENT));
        assertEquals(1, t.get(LegTap.AUDIO, LegTap.NACKS_SENT));
    }

    @Test
    void malformedRtcpEndsTheWalk() {
        LegTap t = tap();
        byte[] pli = feedback(206, 1, VIDEO, 2);
        byte[] lying = feedback(206, 1, VIDEO, 2);
        lying[3] = 40; // claims more bytes than there are
        byte[] compound = concat(pli, lying, feedback(206, 1, VIDEO, 2));
        t.onPacket(false, true, compound, 0, compound.length);
        assertEquals(1, t.get(LegTap.VIDEO, LegTap.PLIS_RECEIVED));
        byte[] junk = {(byte) 0x40, 0, 0, 0};
        t.onPacket(false, true, junk, 0, junk.length);
        t.onPacket(false, true, junk, 0, 2);
        assertEquals(1, t.get(LegTap.VIDEO, LegTap.PLIS_RECEIVED));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
