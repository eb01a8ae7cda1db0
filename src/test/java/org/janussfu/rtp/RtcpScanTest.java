package org.janussfu.rtp;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** PLI/FIR detection in compound RTCP, and robustness against arbitrary bytes. */
class RtcpScanTest {
    static final byte[] RR = {(byte) 0x81, (byte) 201, 0, 7, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static final byte[] PLI = {(byte) 0x81, (byte) 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2};
    static final byte[] FIR = {(byte) 0x84, (byte) 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 5, 0, 0, 0};

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

    @Test
    void findsRequestsInCompoundPackets() {
        assertEquals(0, RtcpScan.keyframeRequests(RR, 0, RR.length));
        byte[] c = concat(RR, PLI);
        assertEquals(RtcpScan.PLI, RtcpScan.keyframeRequests(c, 0, c.length));
        c = concat(RR, FIR, PLI);
        assertEquals(RtcpScan.PLI | RtcpScan.FIR, RtcpScan.keyframeRequests(c, 0, c.length));
        byte[] shifted = concat(new byte[]{9, 9, 9}, RR, FIR);
        assertEquals(RtcpScan.FIR, RtcpScan.keyframeRequests(shifted, 3, shifted.length - 3));
    }

    @Test
    void truncatedOrGarbageIsHarmless() {
        byte[] c = concat(RR, PLI);
        assertEquals(0, RtcpScan.keyframeRequests(c, 0, c.length - 1), "PLI cut short is not counted");
        Random r = new Random(1);
        byte[] buf = new byte[1500];
        for (int i = 0; i < 100_000; i++) {
            r.nextBytes(buf);
            RtcpScan.keyframeRequests(buf, r.nextInt(100), r.nextInt(1400));
        }
    }
}
