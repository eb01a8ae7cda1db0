package org.janussfu.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.jitsi.srtp.SrtpErrorStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SrtpGcmProtector} against the RFC 7714 §16.1.1 vector, the RFC 3711 Appendix B.3 key derivation vector,
 * and jitsi-srtp itself: byte-for-byte equal output to jitsi-srtp's sending context for the same master key and
 * salt (several SSRCs, a sequence wrap, late packets, CSRCs, header extensions, padding, audio and video sizes),
 * jitsi-srtp's receiving context accepting what we protect, and the same refusals.
 */
class SrtpGcmProtectorTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int OFF = 5;

    private byte[] masterKey;
    private byte[] masterSalt;

    @BeforeEach
    void keys() {
        Random r = new Random(7714);
        masterKey = new byte[16];
        masterSalt = new byte[12];
        r.nextBytes(masterKey);
        r.nextBytes(masterSalt);
    }

    private SrtpGcmProtector ours() {
        assumeTrue(SrtpGcmProtector.isAvailable(), "jitsi-srtp's OpenSSL provider is not usable here");
        SrtpGcmProtector p = SrtpGcmProtector.create(masterKey, masterSalt);
        assertNotNull(p);
        return p;
    }

    @Test
    void openSslProviderIsUsableOnLinuxX64() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && "amd64".equals(System.getProperty("os.arch")));
        assertTrue(SrtpGcmProtector.isAvailable(), "self-test failed or libjitsisrtp did not load");
    }

    @Test
    void rfc7714Section16Vector() throws GeneralSecurityException {
        assumeTrue(SrtpGcmProtector.isAvailable());
        byte[] plain = HEX.parseHex("8040f17b8041f8d35501a0b2"
                + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573");
        byte[] expected = HEX.parseHex("8040f17b8041f8d35501a0b2"
                + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
                + "899d7f27beb16a9152cf765ee4390cce");
        try (SrtpGcmProtector p = SrtpGcmProtector.withSessionKeys(HEX.parseHex("000102030405060708090a0b0c0d0e0f"),
                HEX.parseHex("517569642070726f2071756f"))) {
            byte[] buf = new byte[OFF + plain.length + SrtpGcmProtector.TAG_LENGTH]; // exactly the tag as tailroom
            System.arraycopy(plain, 0, buf, OFF, plain.length);
            assertEquals(expected.length, p.protect(buf, OFF, plain.length));
            assertArrayEquals(expected, Arrays.copyOfRange(buf, OFF, OFF + expected.length));
            System.arraycopy(plain, 0, buf, OFF, plain.length);
            assertEquals(SrtpTransformer.ERR_REPLAY, p.protect(buf, OFF, plain.length), "same index twice");
        }
    }

    @Test
    void keyDerivationMatchesRfc3711AppendixB3() throws GeneralSecurityException {
        byte[] key = HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139");
        byte[] salt = HEX.parseHex("0ec675ad498afeebb6960b3aabe6");
        assertEquals("c61e7a93744f39ee10734afe3ff7a087",
                HEX.formatHex(SrtpGcmProtector.deriveSessionKey(key, salt, (byte) 0, 16)));
        assertEquals("cebe321f6ff7716b6fd4ab49af256a156d38baa4",
                HEX.formatHex(SrtpGcmProtector.deriveSessionKey(key, salt, (byte) 1, 20)));
        assertEquals("30cbbc08863d8c85d49db34a9ae1",
                HEX.formatHex(SrtpGcmProtector.deriveSessionKey(key, salt, (byte) 2, 14)));
    }

    /** Interleaved streams: a wrap with a packet sent late across it, gaps, CSRCs, extensions, padding. */

    @Test
    void sameBytesAsJitsiSrtp() {
        try (SrtpGcmProtector p = ours(); JitsiSrtp jitsi = new JitsiSrtp(SrtpProfile.AEAD_AES_128_GCM, true, masterKey, masterSalt)) {
            for (RtpSample sample : RtpSample.script()) {
                byte[] mine = sample.place(OFF, SrtpTransformer.MIN_TAILROOM);
                byte[] theirs = mine.clone();
                int n = p.protect(mine, OFF, sample.length());
                int m = jitsi.protect(theirs, OFF, sample.length());
                assertEquals(sample.length() + 16, n, sample.toString());
                assertEquals(m, n, sample.toString());
                assertArrayEquals(theirs, mine, sample.toString());
            }
        }
    }

    @Test
    void sameBytesAndSameRefusalsAsJitsiSrtpOnRandomTraffic() {
        Random r = new Random(42);
        int[] ssrcs = {0x0badf00d, 0x7fffffff, 0x80000000};
        int[] next = {65000, 100, 30000};
        int refused = 0;
        try (SrtpGcmProtector p = ours(); JitsiSrtp jitsi = new JitsiSrtp(SrtpProfile.AEAD_AES_128_GCM, true, masterKey, masterSalt)) {
            for (int i = 0; i < 3000; i++) {
                int k = r.nextInt(ssrcs.length);
                int roll = r.nextInt(100);
                int seq;
                if (roll < 80) {
                    seq = next[k]++;
                } else if (roll < 90) {
                    next[k] += 1 + r.nextInt(5); // a gap; some of it may be sent late below
                    seq = next[k]++;
                } else if (roll < 98) {
                    seq = next[k] - 1 - r.nextInt(8); // late, maybe never sent, maybe a repeat
                } else {
                    seq = next[k] - 70 - r.nextInt(100); // outside the window
                }
                seq &= 0xffff;
                next[k] &= 0xffff;
                RtpSample sample = new RtpSample(ssrcs[k], seq, r.nextInt(4), r.nextInt(3), r.nextInt(4) == 0
                        ? 1 + r.nextInt(8) : 0, 100 + r.nextInt(1101), i);
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
        try (SrtpGcmProtector p = ours(); JitsiSrtp receiver = new JitsiSrtp(SrtpProfile.AEAD_AES_128_GCM, false, masterKey, masterSalt)) {
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
    void malformedOrUnplaceablePacketsAreRefused() {
        try (SrtpGcmProtector p = ours()) {
            RtpSample sample = new RtpSample(1, 1, 2, RtpSample.EXT_ONE_BYTE, 0, 100, 1);
            byte[] tight = sample.place(OFF, SrtpGcmProtector.TAG_LENGTH - 1);
            assertEquals(SrtpTransformer.ERR_NO_TAILROOM, p.protect(tight, OFF, sample.length()));
            byte[] buf = sample.place(OFF, 20);
            int extAt = OFF + 12 + 8;
            buf[extAt + 2] = 0x7f; // extension length far past the packet
            assertEquals(SrtpTransformer.ERR_INVALID, p.protect(buf, OFF, sample.length()));
            buf[OFF] = (byte) 0x9f; // X bit and 15 CSRCs: 72 header bytes, so the extension head ends past 70
            assertEquals(SrtpTransformer.ERR_INVALID, p.protect(buf, OFF, 70));
            assertEquals(SrtpTransformer.ERR_TOO_SHORT, p.protect(buf, OFF, 11));
            assertEquals(SrtpTransformer.ERR_BAD_REGION, p.protect(buf, buf.length - 4, 12));
            assertEquals(SrtpTransformer.ERR_BAD_REGION, p.protect(null, 0, 12));
        }
    }

    @Test
    void ssrcTableIsBoundedAndCloseRefusesWork() {
        SrtpGcmProtector p = ours();
        for (int ssrc = 0; ssrc < SrtpTransformer.MAX_SSRCS; ssrc++) {
            RtpSample sample = new RtpSample(ssrc * 7919, 1, 0, 0, 0, 100, ssrc);
            assertEquals(116, p.protect(sample.place(0, 16), 0, 100));
        }
        RtpSample extra = new RtpSample(-1, 1, 0, 0, 0, 100, 0);
        assertEquals(SrtpTransformer.ERR_TOO_MANY_SSRCS, p.protect(extra.place(0, 16), 0, 100));
        p.close();
        p.close();
        assertEquals(SrtpTransformer.ERR_CLOSED, p.protect(extra.place(0, 16), 0, 100));
    }

    @Test
    void transformerUsesItForGcmAndCountsItsRefusals() {
        assumeTrue(SrtpGcmProtector.isAvailable());
        SrtpKeys keys = new SrtpKeys(SrtpProfile.AEAD_AES_128_GCM, masterKey.clone(), masterSalt.clone(),
                masterKey.clone(), masterSalt.clone());
        try (SrtpTransformer tx = new SrtpTransformer(keys); SrtpTransformer rx = new SrtpTransformer(keys);
             JitsiSrtp jitsi = new JitsiSrtp(SrtpProfile.AEAD_AES_128_GCM, true, masterKey, masterSalt)) {
            RtpSample sample = new RtpSample(0x5501a0b2, 65535, 1, RtpSample.EXT_ONE_BYTE, 0, 1200, 3);
            byte[] buf = sample.place(OFF, SrtpTransformer.MIN_TAILROOM);
            byte[] theirs = buf.clone();
            int n = tx.protectRtp(buf, OFF, sample.length());
            assertEquals(jitsi.protect(theirs, OFF, sample.length()), n);
            assertArrayEquals(theirs, buf);
            assertEquals(sample.length(), rx.unprotectRtp(buf, OFF, n));
            byte[] again = sample.place(OFF, SrtpTransformer.MIN_TAILROOM);
            assertEquals(SrtpTransformer.ERR_REPLAY, tx.protectRtp(again, OFF, sample.length()));
            assertEquals(1, tx.replayCount());
            assertEquals(1, tx.protectedPackets());
        }
    }
}
