package org.janussfu.loadtest.bench;

import java.util.SplittableRandom;

import org.janussfu.webrtc.srtp.SrtpKeys;
import org.janussfu.webrtc.srtp.SrtpProfile;

/**
 * Test material shared by the benchmarks: plain RTP packets of a given size and SRTP key pairs with random
 * key material (no DTLS). A seeded generator keeps runs comparable.
 */
final class BenchPackets {
    /** Opus-size packet: 12-byte RTP header plus about 88 bytes (header extensions + 20 ms of speech). */
    static final int AUDIO_SIZE = 100;
    /** A full video packet as browsers send it. */
    static final int VIDEO_SIZE = 1200;
    /** Spare bytes we keep after every packet for the in-place SRTP tag (as PooledPacket does). */
    static final int TAILROOM = 32;
    static final int AUDIO_PT = 111;
    static final int VIDEO_PT = 96;

    private BenchPackets() {
    }

    /** A version-2 RTP packet of {@code size} bytes with random payload, in an exact-size array. */
    static byte[] rtp(int size, int payloadType, long ssrc, int seq, long timestamp, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        b[0] = (byte) 0x80;
        b[1] = (byte) payloadType;
        setSequence(b, 0, seq);
        setTimestamp(b, 0, timestamp);
        b[8] = (byte) (ssrc >>> 24);
        b[9] = (byte) (ssrc >>> 16);
        b[10] = (byte) (ssrc >>> 8);
        b[11] = (byte) ssrc;
        return b;
    }

    static void setSequence(byte[] b, int off, int seq) {
        b[off + 2] = (byte) (seq >>> 8);
        b[off + 3] = (byte) seq;
    }

    static void setTimestamp(byte[] b, int off, long ts) {
        b[off + 4] = (byte) (ts >>> 24);
        b[off + 5] = (byte) (ts >>> 16);
        b[off + 6] = (byte) (ts >>> 8);
        b[off + 7] = (byte) ts;
    }

    /** Two matching key sets: [0] for the sending side, [1] for the receiving side (local/remote swapped). */
    static SrtpKeys[] keyPair(SrtpProfile profile, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] k1 = random(r, profile.keyLength());
        byte[] s1 = random(r, profile.saltLength());
        byte[] k2 = random(r, profile.keyLength());
        byte[] s2 = random(r, profile.saltLength());
        return new SrtpKeys[]{
            new SrtpKeys(profile, k1, s1, k2, s2),
            new SrtpKeys(profile, k2.clone(), s2.clone(), k1.clone(), s1.clone())
        };
    }

    private static byte[] random(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
