package org.janussfu.rtp;

import static org.janussfu.testing.FuzzChecks.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Coverage-guided fuzz target (Jazzer, docs/fuzzing.md) for every RTCP reader (after SRTCP unprotect): the compound
 * walk for PLI/FIR ({@link RtcpScan}, RFC 4585 §6.3.1, RFC 5104 §4.3.1), generic NACKs (RFC 4585 §6.2.1) and the SR
 * NTP middle bits (RFC 3550 §6.4.1) of {@link RtcpReports}. Invariants: nothing throws; a NACK walk reports at most 17
 * losses per 4 input bytes (bounded work and output); the readers find what our own writers put behind the fuzzed
 * compound when the fuzzed part walks cleanly (write → read round trip). Seeds: our SR/RR/PLI/FIR, a Chromium-shaped
 * RR+SDES+REMB compound and NACK compounds (see {@code webrtc.WireFuzzSeeds}). JUnit thread.
 */
class RtcpFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void rtcpCompound(byte[] p) {
        int len = p.length;
        int requests = RtcpScan.keyframeRequests(p, 0, len);
        require((requests & ~(RtcpScan.PLI | RtcpScan.FIR)) == 0, "scan result " + requests);
        long[] nacks = {0};
        RtcpReports.forEachNack(p, 0, len, (ssrc, seq) -> {
            require(seq >= 0 && seq <= 0xffff && ssrc >= 0 && ssrc <= 0xffffffffL, "NACK fields");
            nacks[0]++;
        });
        require(nacks[0] <= 17L * (len / 4), "NACK losses " + nacks[0] + " from " + len + " bytes");
        long ssrc = len >= 8 ? RtcpReports.getInt(p, 4) : 0;
        long lsr = RtcpReports.senderReportNtpMiddle(p, 0, len, ssrc);
        require(lsr >= -1 && lsr <= 0xffffffffL, "LSR " + lsr);

        // Round trip: our SR + SDES and a PLI appended behind the fuzzed compound. Readers stop at the first broken
        // packet, so they must find ours exactly when the fuzzed part walks to its end.
        boolean clean = walksCleanly(p, len);
        byte[] b = Arrays.copyOf(p, len + 128);
        int n = len;
        long ntp = RtcpReports.ntp(1_700_000_000_123L);
        n += RtcpReports.writeSenderReport(b, n, 0xFEEDF00DL, ntp, 1234, 5, 678);
        n += RtcpFeedback.writePli(b, n, 1, 2);
        int found = RtcpScan.keyframeRequests(b, 0, n);
        if (clean) {
            require((found & RtcpScan.PLI) != 0, "our PLI not found behind a clean compound");
            long want = ((ntp >>> 16) & 0xffffffffL);
            long got = RtcpReports.senderReportNtpMiddle(b, 0, n, 0xFEEDF00DL);
            require(got == want || got >= 0 && RtcpReports.senderReportNtpMiddle(p, 0, len, 0xFEEDF00DL) == got,
                    "our SR not found behind a clean compound: " + got + " != " + want);
        } else {
            require(found == requests || (requests & ~found) == 0, "appending changed what a broken compound reports");
        }
    }

    private static boolean walksCleanly(byte[] b, int len) {
        int p = 0;
        while (p + 4 <= len) {
            if ((b[p] & 0xc0) != 0x80) {
                return false;
            }
            int size = ((((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff)) + 1) * 4;
            if (p + size > len) {
                return false;
            }
            p += size;
        }
        return p == len;
    }
}
