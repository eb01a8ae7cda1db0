package org.janussfu.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SrtpCmProtector} against RFC 3711 Appendix B.2's AES-CM keystream vector and against jitsi-srtp: the same
 * bytes as its sending context for the same master key and salt (scripted and random traffic, the same refusals),
 * its receiving context accepting what we protect, and no allocation per packet.
 */
class SrtpCmProtectorTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int OFF = 3;
    private static final SrtpProfile CM = SrtpProfile.AES128_CM_HMAC_SHA1_80;

    private byte[] masterKey;
    private byte[] masterSalt;

    @BeforeEach
    void keys() {
        Random r = new Random(3711);
        masterKey = new byte[16];
        masterSalt = new byte[14];
        r.nextBytes(masterKey);
        r.nextBytes(masterSalt);
    }

    private SrtpCmProtector ours() {
        SrtpCmProtector p = SrtpCmProtector.create(masterKey, masterSalt);
        assertNotNull(p);
        return p;
    }

    @Test
    void rfc3711AppendixB2Keystream() throws GeneralSecurityException {
        byte[] key = HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c");
        byte[] salt = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfd");
        String keystream = "e03ead0935c95e80e166b16dd92b4eb4" + "d23513162b02d0f72a43a2fe4a5f97ab"
                + "41e95b3bb0a2e8dd477901e4fca894c0";
        try (SrtpCmProtector p = SrtpCmProtector.withSessionKeys(key, new byte[20], salt)) {
            byte[] buf = new byte[12 + 48 + SrtpCmProtector.TAG_LENGTH];
            buf[0] = (byte) 0x80; // SSRC 0, sequence 0, ROC 0: the vector's IV is the salt itself
            assertEquals(12 + 48 + 10, p.protect(buf, 0, 12 + 48));
            assertEquals(keystream, HEX.formatHex(Arrays.copyOfRange(buf, 12, 60)));
        }
    }

    @Test
    void sameBytesAsJitsiSrtp() {
        try (SrtpCmProtector p = ours(); JitsiSrtp jitsi = new JitsiSrtp(CM, true, masterKey, masterSalt)) {
            for (RtpSample sample : RtpSample.script()) {
                byte[] mine = sample.place(OFF, SrtpTransformer.MIN_TAILROOM);
                byte[] theirs = mine.clone();
                int n = p.protect(mine, OFF, sample.length());
                assertEquals(sample.length() + 10, n, sample.toString());
                assertEquals(jitsi.protect(theirs, OFF, sample.length()), n, sample.toString());
                assertArrayEquals(theirs, mine, sample.toString());
            }
        }
    }

    @Test
    void sameBytesAndRefusalsAsJitsiSrtpOnRandomTraffic() {
        Random r = new Random(80);
        int[] ssrcs = {0x0badf00d, 0x7fffffff, 0x80000000};
        int[] next = {65400, 7, 40000};
        int refused = 0;
        try (SrtpCmProtector p = ours(); JitsiSrtp jitsi = new JitsiSrtp(CM, true, masterKey, masterSalt)) {
            for (int i = 0; i < 3000; i++) {
                int k = r.nextInt(ssrcs.length);
                int roll = r.nextInt(100);
                int seq = roll < 88 ? next[k]++ : roll < 97 ? next[k] - 1 - r.nextInt(8) : next[k] - 70 - r.nextInt(99);
                seq &= 0xffff;
                next[k] &= 0xffff;
                RtpSample sample = new RtpSample(ssrcs[k], seq, r.nextInt(4), r.nextInt(3),
                        r.nextInt(4) == 0 ? 1 + r.nextInt(8) : 0, 100 + r.nextInt(1101), i);
                byte[] mine = sample.place(OFF, SrtpTransformer.MIN_TAILROOM);
                byte[] theirs = mine.clone();
                int n = p.protect(mine, OFF, sample.length());
                int m = jitsi.protect(theirs, OFF, sample.length());
                if (m < 0) {
                    assertEquals(SrtpTransformer.ERR_REPLAY, n, sample.toString());
                    refused++;
                } else {
                    assertEquals(m, n, sample.toString());
                    assertArrayEquals(theirs, mine, sample.toString());
                }
            }
        }
        assertTrue(refused > 10 && refused < 600, "refused " + refused);
    }

    @Test
    void jitsiSrtpReceiverUnprotectsWhatWeProtect() {
        try (SrtpCmProtector p = ours(); JitsiSrtp receiver = new JitsiSrtp(CM, false, masterKey, masterSalt)) {
            for (RtpSample sample : RtpSample.script()) {
                byte[] buf = sample.place(OFF, SrtpTransformer.MIN_TAILROOM);
                byte[] plain = Arrays.copyOfRange(buf, OFF, OFF + sample.length());
                int n = p.protect(buf, OFF, sample.length());
                assertEquals(sample.length(), receiver.unprotect(buf, OFF, n), sample.toString());
                assertArrayEquals(plain, Arrays.copyOfRange(buf, OFF, OFF + sample.length()), sample.toString());
            }
        }
    }

    @Test
    void malformedPacketsAreRefusedAndTheTransformerUsesIt() {
        try (SrtpCmProtector p = ours()) {
            RtpSample sample = new RtpSample(1, 1, 2, RtpSample.EXT_ONE_BYTE, 0, 100, 1);
            assertEquals(SrtpTransformer.ERR_NO_TAILROOM, p.protect(sample.place(OFF, 9), OFF, sample.length()));
            assertEquals(SrtpTransformer.ERR_TOO_SHORT, p.protect(sample.place(OFF, 20), OFF, 11));
            assertEquals(SrtpTransformer.ERR_BAD_REGION, p.protect(null, 0, 12));
        }
        SrtpKeys keys = new SrtpKeys(CM, masterKey.clone(), masterSalt.clone(), masterKey.clone(), masterSalt.clone());
        try (SrtpTransformer tx = new SrtpTransformer(keys); SrtpTransformer rx = new SrtpTransformer(keys);
             JitsiSrtp jitsi = new JitsiSrtp(CM, true, masterKey, masterSalt)) {
            RtpSample sample = new RtpSample(0x5501a0b2, 65535, 1, RtpSample.EXT_ONE_BYTE, 0, 1200, 3);
            byte[] buf = sample.place(OFF, SrtpTransformer.MIN_TAILROOM);
            byte[] theirs = buf.clone();
            int n = tx.protectRtp(buf, OFF, sample.length());
            assertEquals(jitsi.protect(theirs, OFF, sample.length()), n);
            assertArrayEquals(theirs, buf);
            assertEquals(sample.length(), rx.unprotectRtp(buf, OFF, n));
            assertEquals(SrtpTransformer.ERR_REPLAY,
                    tx.protectRtp(sample.place(OFF, SrtpTransformer.MIN_TAILROOM), OFF, sample.length()));
        }
    }

    @Test
    void protectAllocatesNothingPerPacket() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] audio = new RtpSample(0x1234, 1, 0, RtpSample.EXT_ONE_BYTE, 0, 100, 1).place(0, 32);
        byte[] video = new RtpSample(0x5678, 1, 0, RtpSample.EXT_ONE_BYTE, 0, 1200, 2).place(0, 32);
        try (SrtpCmProtector p = ours()) {
            int seq = 0;
            for (int round = 0; round < 3; round++) { // warm up (the JIT), then measure
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 20_000; i++, seq++) {
                    audio[2] = (byte) (seq >>> 8);
                    audio[3] = (byte) seq;
                    video[2] = (byte) (seq >>> 8);
                    video[3] = (byte) seq;
                    assertEquals(110, p.protect(audio, 0, 100));
                    assertEquals(1210, p.protect(video, 0, 1200));
                }
                long perPacket = (mx.getCurrentThreadAllocatedBytes() - before) / 40_000;
                if (round == 2) {
                    assertEquals(0, perPacket, "bytes allocated per protected packet");
                }
            }
        }
    }
}
