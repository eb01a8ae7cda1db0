package org.janussfu.webrtc.srtp;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

import org.janussfu.rtp.RtpHeader;
import org.janussfu.rtp.RtxPacket;

/**
 * SRTP protection of outgoing RTP packets with AES_CM_128_HMAC_SHA1_80 (RFC 3711's default transforms), in place
 * and without allocating per packet. It exists for the same reason as {@link SrtpGcmProtector}: jitsi-srtp's sender
 * allocates on every packet of this profile (120 B measured), and a forwarded copy should allocate nothing (issue 13).
 *
 * <p>Keys: the session encryption key (label 0x00, 128 bits), authentication key (label 0x01, 160 bits) and salt
 * (label 0x02, 112 bits) come once from the master key and salt through the AES-CM PRF of RFC 3711 §4.3.1/§4.3.3
 * (key derivation rate 0; {@link SrtpGcmProtector#deriveSessionKey}). Per packet: the keystream is AES in counter
 * mode (§4.1.1) — block {@code j} is {@code AES(k_e, (k_s * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16) + j)} —
 * computed as AES-ECB over the counter blocks (the JDK's AES intrinsic, one {@code Cipher} for the connection's
 * life, no re-initialisation) and XORed over the payload (everything after the header, its CSRCs and extension);
 * the tag (§4.2) is the first 80 bits of {@code HMAC-SHA1(k_a, packet || ROC)}, computed with two SHA-1
 * {@link MessageDigest}s whose {@code digest(buf, off, len)} writes into our arrays (the JCA {@code Mac} returns a
 * new array per call), and appended. The ROC and the refusal of repeated indices come from {@link SrtpSendIndex},
 * one per SSRC in an {@link SsrcTable}, as for GCM.
 *
 * <p>Single owner: the thread of the {@link SrtpTransformer} that holds it (the connection's media loop). Errors
 * are the negative {@code SrtpTransformer.ERR_*} codes, counted by the transformer; nothing throws, logs or
 * allocates per packet after a stream's first.
 */
final class SrtpCmProtector implements AutoCloseable {
    /** RFC 3711 §5.2: HMAC-SHA1 truncated to 80 bits. */
    static final int TAG_LENGTH = 10;
    static final int KEY_LENGTH = 16;
    /** RFC 3711 §4.3.3: n_s = 112 bits. */
    static final int SALT_LENGTH = 14;
    /** RFC 3711 §4.2: n_a = 160 bits. */
    static final int AUTH_KEY_LENGTH = 20;

    private static final int BLOCK = 16;
    private static final int SHA1_BLOCK = 64;
    private static final int SHA1_LENGTH = 20;
    /** Largest payload one packet can have here: an Ethernet MTU. */
    private static final int MAX_PAYLOAD = 1500;
    private static final byte LABEL_RTP_ENCRYPTION = 0x00;
    private static final byte LABEL_RTP_AUTH = 0x01;
    private static final byte LABEL_RTP_SALT = 0x02;

    private final Cipher aes;
    private final byte[] salt;
    private final byte[] innerPad = new byte[SHA1_BLOCK];
    private final byte[] outerPad = new byte[SHA1_BLOCK];
    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] counters = new byte[(MAX_PAYLOAD / BLOCK + 1) * BLOCK];
    private final byte[] keystream = new byte[counters.length];
    private final byte[] roc = new byte[4];
    private final byte[] digest = new byte[SHA1_LENGTH];
    private final SsrcTable<SrtpSendIndex> streams = new SsrcTable<>();
    private boolean closed;

    private SrtpCmProtector(byte[] encryptionKey, byte[] authKey, byte[] sessionSalt) throws GeneralSecurityException {
        if (encryptionKey.length != KEY_LENGTH || authKey.length != AUTH_KEY_LENGTH || sessionSalt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("AES-CM-128 + HMAC-SHA1 needs 16-, 20- and 14-byte session keys");
        }
        this.aes = Cipher.getInstance("AES/ECB/NoPadding");
        this.aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encryptionKey, "AES"));
        this.salt = sessionSalt.clone();
        // RFC 2104 §2: a key no longer than the block is zero-padded, then XORed with ipad / opad.
        for (int i = 0; i < SHA1_BLOCK; i++) {
            byte k = i < authKey.length ? authKey[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
        this.inner = MessageDigest.getInstance("SHA-1");
        this.outer = MessageDigest.getInstance("SHA-1");
    }

    /** A protector for the SRTP master key (16 bytes) and salt (14 bytes), or {@code null} if the JDK lacks AES/SHA-1. */
    static SrtpCmProtector create(byte[] masterKey, byte[] masterSalt) {
        byte[] ke = null;
        byte[] ka = null;
        byte[] ks = null;
        try {
            ke = SrtpGcmProtector.deriveSessionKey(masterKey, masterSalt, LABEL_RTP_ENCRYPTION, KEY_LENGTH);
            ka = SrtpGcmProtector.deriveSessionKey(masterKey, masterSalt, LABEL_RTP_AUTH, AUTH_KEY_LENGTH);
            ks = SrtpGcmProtector.deriveSessionKey(masterKey, masterSalt, LABEL_RTP_SALT, SALT_LENGTH);
            return new SrtpCmProtector(ke, ka, ks);
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        } finally {
            wipe(ke);
            wipe(ka);
            wipe(ks);
        }
    }

    /** Keyed with session keys directly, bypassing the KDF (RFC 3711 Appendix B vectors, tests). */
    static SrtpCmProtector withSessionKeys(byte[] encryptionKey, byte[] authKey, byte[] sessionSalt)
            throws GeneralSecurityException {
        return new SrtpCmProtector(encryptionKey, authKey, sessionSalt);
    }

    /**
     * Protects {@code buf[off, off+len)} in place: encrypts the payload, appends the 10-byte tag and returns
     * {@code len + 10}, or a negative {@code SrtpTransformer.ERR_*} code. Needs {@link #TAG_LENGTH} spare bytes.
     */
    int protect(byte[] buf, int off, int len) {
        if (closed) {
            return SrtpTransformer.ERR_CLOSED;
        }
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return SrtpTransformer.ERR_BAD_REGION;
        }
        if (len < RtpHeader.MIN_LENGTH) {
            return SrtpTransformer.ERR_TOO_SHORT;
        }
        if (buf.length - (off + len) < TAG_LENGTH) {
            return SrtpTransformer.ERR_NO_TAILROOM;
        }
        int header = RtxPacket.headerLength(buf, off, len);
        if (header < 0) {
            return SrtpTransformer.ERR_INVALID;
        }
        int payload = len - header;
        if (payload > MAX_PAYLOAD) {
            return SrtpTransformer.ERR_INVALID;
        }
        int ssrc = (int) RtpHeader.ssrc(buf, off);
        int seq = RtpHeader.sequence(buf, off);
        SrtpSendIndex stream = streams.get(ssrc);
        if (stream == null) {
            if (streams.isFull()) {
                return SrtpTransformer.ERR_TOO_MANY_SSRCS;
            }
            stream = new SrtpSendIndex();
            streams.put(ssrc, stream);
        }
        long index = stream.estimate(seq);
        if (index < 0) {
            return index == SrtpSendIndex.EXHAUSTED ? SrtpTransformer.ERR_FAIL : SrtpTransformer.ERR_REPLAY;
        }
        try {
            encrypt(buf, off + header, payload, ssrc, index);
            int rocValue = (int) (index >>> 16);
            roc[0] = (byte) (rocValue >>> 24);
            roc[1] = (byte) (rocValue >>> 16);
            roc[2] = (byte) (rocValue >>> 8);
            roc[3] = (byte) rocValue;
            // RFC 3711 §4.2: M = authenticated portion || ROC; HMAC per RFC 2104.
            inner.update(innerPad, 0, SHA1_BLOCK);
            inner.update(buf, off, len);
            inner.update(roc, 0, 4);
            inner.digest(digest, 0, SHA1_LENGTH);
            outer.update(outerPad, 0, SHA1_BLOCK);
            outer.update(digest, 0, SHA1_LENGTH);
            outer.digest(digest, 0, SHA1_LENGTH);
        } catch (DigestException | ShortBufferException | RuntimeException e) {
            inner.reset();
            outer.reset();
            return SrtpTransformer.ERR_FAIL;
        }
        System.arraycopy(digest, 0, buf, off + len, TAG_LENGTH);
        stream.commit(index);
        return len + TAG_LENGTH;
    }

    /** RFC 3711 §4.1.1: XORs the AES-CM keystream for this packet over {@code buf[at, at+n)}. */
    private void encrypt(byte[] buf, int at, int n, int ssrc, long index) throws ShortBufferException {
        if (n == 0) {
            return;
        }
        int blocks = (n + BLOCK - 1) / BLOCK;
        byte[] c = counters;
        byte[] s = salt;
        // IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16): salt in bytes 0..13, SSRC over 4..7, i over 8..13.
        for (int j = 0; j < 14; j++) {
            c[j] = s[j];
        }
        c[4] ^= (byte) (ssrc >>> 24);
        c[5] ^= (byte) (ssrc >>> 16);
        c[6] ^= (byte) (ssrc >>> 8);
        c[7] ^= (byte) ssrc;
        c[8] ^= (byte) (index >>> 40);
        c[9] ^= (byte) (index >>> 32);
        c[10] ^= (byte) (index >>> 24);
        c[11] ^= (byte) (index >>> 16);
        c[12] ^= (byte) (index >>> 8);
        c[13] ^= (byte) index;
        c[14] = 0;
        c[15] = 0;
        for (int b = 1; b < blocks; b++) {
            int o = b * BLOCK;
            System.arraycopy(c, 0, c, o, 14);
            c[o + 14] = (byte) (b >>> 8); // the block counter: the low 16 bits (at most 94 blocks here)
            c[o + 15] = (byte) b;
        }
        aes.update(c, 0, blocks * BLOCK, keystream, 0);
        byte[] k = keystream;
        for (int i = 0; i < n; i++) {
            buf[at + i] ^= k[i];
        }
    }

    @Override
    public void close() {
        closed = true;
        wipe(salt);
        wipe(innerPad);
        wipe(outerPad);
        wipe(keystream);
        wipe(digest);
    }

    private static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }
}
