package org.janussfu.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Known answers from libsrtp's srtp_driver.c (the AES-CM/HMAC-SHA1-80 and AES-128-GCM policies keyed with its
 * test_key / test_key_gcm), plus round trips, tampering, replay and the tailroom rule.
 */
class SrtpTransformerTest {
    private static final HexFormat HEX = HexFormat.of();

    // libsrtp srtp_driver.c: AES_CM_128_HMAC_SHA1_80
    private static final byte[] CM_KEY = HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139");
    private static final byte[] CM_SALT = HEX.parseHex("0ec675ad498afeebb6960b3aabe6");
    private static final byte[] RTP_PLAIN = HEX.parseHex(
            "800f1234decafbadcafebabeabababababababababababababababab");
    private static final byte[] SRTP_CM = HEX.parseHex(
            "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
    private static final byte[] RTCP_PLAIN = HEX.parseHex(
            "81c8000bcafebabeabababababababababababababababab");
    private static final byte[] SRTCP_CM = HEX.parseHex(
            "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798");

    // libsrtp srtp_driver.c: AEAD_AES_128_GCM (RFC 7714)
    private static final byte[] GCM_KEY = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_SALT = HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaab");
    private static final byte[] SRTP_GCM = HEX.parseHex(
            "800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06ed2976826f796b201df3131a127e8a392");
    private static final byte[] SRTCP_GCM = HEX.parseHex(
            "81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025c52c6fbea2b3b446ea31123ba88ce61e80000001");

    private static SrtpTransformer transformer(SrtpProfile profile) {
        byte[] key = profile == SrtpProfile.AEAD_AES_128_GCM ? GCM_KEY : CM_KEY;
        byte[] salt = profile == SrtpProfile.AEAD_AES_128_GCM ? GCM_SALT : CM_SALT;
        return new SrtpTransformer(new SrtpKeys(profile, key.clone(), salt.clone(), key.clone(), salt.clone()));
    }

    /** The packet at offset 7 of an array with exactly {@code tail} spare bytes after it. */
    private static byte[] place(byte[] packet, int tail) {
        byte[] buf = new byte[7 + packet.length + tail];
        System.arraycopy(packet, 0, buf, 7, packet.length);
        return buf;
    }

    private static byte[] slice(byte[] buf, int len) {
        return Arrays.copyOfRange(buf, 7, 7 + len);
    }

    @Test
    void aesCmHmacSha1VectorAndRoundTrip() {
        checkRtpVector(SrtpProfile.AES128_CM_HMAC_SHA1_80, SRTP_CM);
    }

    @Test
    void aeadAesGcmVectorAndRoundTrip() {
        checkRtpVector(SrtpProfile.AEAD_AES_128_GCM, SRTP_GCM);
    }

    private static void checkRtpVector(SrtpProfile profile, byte[] expected) {
        try (SrtpTransformer tx = transformer(profile); SrtpTransformer rx = transformer(profile)) {
            byte[] buf = place(RTP_PLAIN, SrtpTransformer.MIN_TAILROOM);
            int len = tx.protectRtp(buf, 7, RTP_PLAIN.length);
            assertEquals(expected.length, len);
            assertArrayEquals(expected, slice(buf, len));
            int back = rx.unprotectRtp(buf, 7, len);
            assertEquals(RTP_PLAIN.length, back);
            assertArrayEquals(RTP_PLAIN, slice(buf, back));
            assertEquals(1, tx.protectedPackets());
            assertEquals(1, rx.unprotectedPackets());
        }
    }

    @Test
    void srtcpVectorsAndRoundTrips() {
        checkRtcpVector(SrtpProfile.AES128_CM_HMAC_SHA1_80, SRTCP_CM);
        checkRtcpVector(SrtpProfile.AEAD_AES_128_GCM, SRTCP_GCM);
    }

    private static void checkRtcpVector(SrtpProfile profile, byte[] expected) {
        try (SrtpTransformer tx = transformer(profile); SrtpTransformer rx = transformer(profile)) {
            // The libsrtp vector carries SRTCP index 1; jitsi-srtp starts at 0, so the second packet matches.
            byte[] first = place(RTCP_PLAIN, SrtpTransformer.MIN_TAILROOM);
            int firstLen = tx.protectRtcp(first, 7, RTCP_PLAIN.length);
            assertEquals(expected.length, firstLen);
            byte[] second = place(RTCP_PLAIN, SrtpTransformer.MIN_TAILROOM);
            int len = tx.protectRtcp(second, 7, RTCP_PLAIN.length);
            assertArrayEquals(expected, slice(second, len));

            assertEquals(RTCP_PLAIN.length, rx.unprotectRtcp(first, 7, firstLen));
            assertArrayEquals(RTCP_PLAIN, slice(first, RTCP_PLAIN.length));
            assertEquals(RTCP_PLAIN.length, rx.unprotectRtcp(second, 7, len));
            assertArrayEquals(RTCP_PLAIN, slice(second, RTCP_PLAIN.length));
            // the same SRTCP packet again is a replay
            byte[] again = place(expected, 0);
            assertEquals(SrtpTransformer.ERR_REPLAY, rx.unprotectRtcp(again, 7, expected.length));
            assertEquals(1, rx.replayCount());
        }
    }

    @Test
    void tamperedPacketsFailAuthenticationAndAreCounted() {
        for (SrtpProfile profile : SrtpProfile.values()) {
            try (SrtpTransformer tx = transformer(profile); SrtpTransformer rx = transformer(profile)) {
                byte[] buf = place(RTP_PLAIN, 20);
                int len = tx.protectRtp(buf, 7, RTP_PLAIN.length);
                buf[7 + 14] ^= 0x01; // one payload bit
                assertEquals(SrtpTransformer.ERR_AUTH, rx.unprotectRtp(buf, 7, len), profile.name());
                assertEquals(1, rx.authFailureCount());

                byte[] rtcp = place(RTCP_PLAIN, 20);
                int rtcpLen = tx.protectRtcp(rtcp, 7, RTCP_PLAIN.length);
                rtcp[7 + rtcpLen - 1] ^= (byte) 0x80; // last tag bit
                assertEquals(SrtpTransformer.ERR_AUTH, rx.unprotectRtcp(rtcp, 7, rtcpLen), profile.name());
                assertEquals(2, rx.authFailureCount());
                assertEquals(0, rx.unprotectedPackets());
            }
        }
    }

    @Test
    void replayedRtpIsRefusedAndCounted() {
        for (SrtpProfile profile : SrtpProfile.values()) {
            try (SrtpTransformer tx = transformer(profile); SrtpTransformer rx = transformer(profile)) {
                byte[] buf = place(RTP_PLAIN, 20);
                int len = tx.protectRtp(buf, 7, RTP_PLAIN.length);
                byte[] copy = buf.clone();
                assertEquals(RTP_PLAIN.length, rx.unprotectRtp(buf, 7, len));
                assertEquals(SrtpTransformer.ERR_REPLAY, rx.unprotectRtp(copy, 7, len), profile.name());
                assertEquals(1, rx.replayCount());
            }
        }
    }

    @Test
    void tightBuffersAreRefusedNotCrashed() {
        for (SrtpProfile profile : SrtpProfile.values()) {
            try (SrtpTransformer tx = transformer(profile)) {
                for (int tail = 0; tail < SrtpTransformer.MIN_TAILROOM; tail++) {
                    byte[] exact = place(RTP_PLAIN, tail);
                    assertEquals(SrtpTransformer.ERR_NO_TAILROOM, tx.protectRtp(exact, 7, RTP_PLAIN.length));
                    byte[] rtcp = place(RTCP_PLAIN, tail);
                    assertEquals(SrtpTransformer.ERR_NO_TAILROOM, tx.protectRtcp(rtcp, 7, RTCP_PLAIN.length));
                }
                assertEquals(2L * SrtpTransformer.MIN_TAILROOM, tx.noTailroomCount());
                // exactly the minimum is enough, and the array is neither replaced nor overrun
                byte[] fits = place(RTCP_PLAIN, SrtpTransformer.MIN_TAILROOM);
                int len = tx.protectRtcp(fits, 7, RTCP_PLAIN.length);
                assertEquals(RTCP_PLAIN.length + profile.srtcpTrailerLength(), len);
            }
        }
    }

    @Test
    void shortAndOutOfBoundsPacketsAreCounted() {
        try (SrtpTransformer t = transformer(SrtpProfile.AEAD_AES_128_GCM)) {
            byte[] buf = new byte[64];
            assertEquals(SrtpTransformer.ERR_TOO_SHORT, t.protectRtp(buf, 0, 11));
            assertEquals(SrtpTransformer.ERR_TOO_SHORT, t.unprotectRtp(buf, 0, 12 + 15));
            assertEquals(SrtpTransformer.ERR_TOO_SHORT, t.unprotectRtcp(buf, 0, 8 + 19));
            assertEquals(SrtpTransformer.ERR_BAD_REGION, t.unprotectRtp(buf, 60, 10));
            assertEquals(SrtpTransformer.ERR_BAD_REGION, t.protectRtp(null, 0, 10));
            assertEquals(5, t.tooShortCount());
        }
    }

    @Test
    void forgedPacketsWithRandomSsrcsDoNotFillTheTable() {
        Random random = new Random(7);
        try (SrtpTransformer tx = transformer(SrtpProfile.AES128_CM_HMAC_SHA1_80);
             SrtpTransformer rx = transformer(SrtpProfile.AES128_CM_HMAC_SHA1_80)) {
            for (int i = 0; i < 3 * SrtpTransformer.MAX_SSRCS; i++) {
                byte[] forged = new byte[60];
                random.nextBytes(forged);
                forged[0] = (byte) 0x80;
                assertEquals(SrtpTransformer.ERR_AUTH, rx.unprotectRtp(forged, 0, 40));
            }
            assertEquals(0, rx.tooManySsrcsCount());
            byte[] buf = place(RTP_PLAIN, 20);
            int len = tx.protectRtp(buf, 7, RTP_PLAIN.length);
            assertEquals(RTP_PLAIN.length, rx.unprotectRtp(buf, 7, len));
        }
    }

    @Test
    void manyStreamsAndSequenceAdvanceRoundTrip() {
        try (SrtpTransformer tx = transformer(SrtpProfile.AEAD_AES_128_GCM);
             SrtpTransformer rx = transformer(SrtpProfile.AEAD_AES_128_GCM)) {
            byte[] buf = new byte[1500];
            for (int seq = 0; seq < 200; seq++) {
                for (int s = 0; s < 5; s++) {
                    byte[] packet = RTP_PLAIN.clone();
                    packet[2] = (byte) (seq >> 8);
                    packet[3] = (byte) seq;
                    packet[11] = (byte) s; // SSRC low byte
                    System.arraycopy(packet, 0, buf, 100, packet.length);
                    int len = tx.protectRtp(buf, 100, packet.length);
                    assertEquals(packet.length + 16, len);
                    assertEquals(packet.length, rx.unprotectRtp(buf, 100, len));
                    assertArrayEquals(packet, Arrays.copyOfRange(buf, 100, 100 + packet.length));
                }
            }
            assertEquals(1000, rx.unprotectedPackets());
        }
    }

    @Test
    void closedTransformerRefusesWork() {
        SrtpTransformer t = transformer(SrtpProfile.AES128_CM_HMAC_SHA1_80);
        t.close();
        t.close();
        assertEquals(SrtpTransformer.ERR_CLOSED, t.protectRtp(place(RTP_PLAIN, 20), 7, RTP_PLAIN.length));
        assertEquals(1, t.failureCount());
    }
}
