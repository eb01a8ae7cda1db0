package org.janussfu.webrtc.srtp;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.logging.Logger;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.janussfu.rtp.RtpHeader;
import org.janussfu.rtp.RtxPacket;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;

/**
 * SRTP protection of outgoing RTP packets with AEAD_AES_128_GCM (RFC 7714), in place and without allocating per
 * packet, on jitsi-srtp's OpenSSL JCE provider. It exists because jitsi-srtp's own GCM sender builds a new
 * {@link GCMParameterSpec} (plus an IV copy) for every packet; here one spec object is re-aimed instead.
 *
 * <p>Keys: the session key and session salt are derived once from the master key and 96-bit master salt with the
 * AES-CM PRF of RFC 3711 §4.3.1 and §4.3.3 (labels 0x00 and 0x02, key derivation rate 0), as RFC 7714 §11 requires;
 * per its erratum 4938 the 96-bit salt is multiplied by 2^16 (zero-padded on the right) to form the 112-bit KDF salt,
 * which is also what libsrtp and jitsi-srtp do. Per packet: the IV is RFC 7714 §8.1's
 * {@code (0x0000 || SSRC || ROC || SEQ) XOR salt}, the AAD is the whole RTP header with CSRCs and header extension
 * (§8.2), the payload (padding included) is encrypted and the 16-byte tag appended (§8.3), so the packet grows by
 * {@link #TAG_LENGTH}. The ROC and the refusal of repeated indices come from {@link SrtpSendIndex}, one per SSRC in an
 * {@link SsrcTable} (at most {@link SrtpTransformer#MAX_SSRCS}).
 *
 * <p>Why the reused spec is safe: {@link ReusableGcmSpec#getIV()} hands out its internal array, which this class
 * overwrites before every {@code Cipher.init}. That relies on jitsi-srtp 1.1-23's {@code OpenSslAesGcmCipherSpi}
 * (checked in its bytecode): {@code engineInit} only reads the tag length and the IV array, keeps the array in its
 * {@code iv} field solely to pass it to {@code EVP_CipherInit} (OpenSSL copies it) and to compare its length on the
 * next init, and has no IV-reuse check; {@code doEngineInit} skips key setup when the same {@code Key} object comes
 * back. SunJCE's GCM, by contrast, keeps the array {@code getIV()} returned as its "last IV" for its reuse check,
 * so a re-aimed spec compares equal to itself and the second init fails ("Cannot reuse iv for GCM encryption",
 * tried on JDK 17). This class is therefore only used when {@link #isAvailable()}: the OpenSSL library is loaded
 * and a self-test of two consecutive packets (one of them the RFC 7714 §16.1.1 vector) passes; otherwise
 * {@link SrtpTransformer} keeps protecting GCM through jitsi-srtp.
 *
 * <p>Single owner: the same thread as the {@link SrtpTransformer} that holds it (the handle's event loop). Errors
 * are returned as the negative {@code SrtpTransformer.ERR_*} codes, which the transformer counts; nothing throws or
 * logs per packet, and after a stream's first packet nothing allocates.
 */
final class SrtpGcmProtector implements AutoCloseable {
    /** Authentication tag length (RFC 7714 §14.2: AEAD_AES_128_GCM has a 16-octet tag). */
    static final int TAG_LENGTH = 16;
    /** Session key length for AES-128. */
    static final int KEY_LENGTH = 16;
    /** Session (and master) salt length (RFC 7714 §8.1: 96 bits). */
    static final int SALT_LENGTH = 12;

    private static final int RTP_HEADER = RtpHeader.MIN_LENGTH;
    private static final byte LABEL_RTP_ENCRYPTION = 0x00;
    private static final byte LABEL_RTP_SALT = 0x02;

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] salt;
    private final ReusableGcmSpec spec = new ReusableGcmSpec();
    private final byte[] iv = spec.array();
    private final SsrcTable<SrtpSendIndex> streams = new SsrcTable<>();
    private boolean closed;

    private SrtpGcmProtector(byte[] sessionKey, byte[] sessionSalt) throws GeneralSecurityException {
        if (sessionKey.length != KEY_LENGTH || sessionSalt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("AES-128-GCM needs a 16-byte key and a 12-byte salt");
        }
        this.cipher = Cipher.getInstance("AES/GCM/NoPadding", OpenSsl.PROVIDER);
        this.key = new SecretKeySpec(sessionKey, "AES");
        this.salt = sessionSalt.clone();
    }

    /**
     * A protector for the given SRTP master key (16 bytes) and master salt (12 bytes), or {@code null} when the
     * OpenSSL provider is not usable here. The arrays are only read.
     */
    static SrtpGcmProtector create(byte[] masterKey, byte[] masterSalt) {
        if (!isAvailable()) {
            return null;
        }
        byte[] sessionKey = null;
        byte[] sessionSalt = null;
        try {
            sessionKey = deriveSessionKey(masterKey, masterSalt, LABEL_RTP_ENCRYPTION, KEY_LENGTH);
            sessionSalt = deriveSessionKey(masterKey, masterSalt, LABEL_RTP_SALT, SALT_LENGTH);
            return new SrtpGcmProtector(sessionKey, sessionSalt);
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        } finally {
            wipe(sessionKey);
            wipe(sessionSalt);
        }
    }

    /** A protector keyed with session key and salt directly, bypassing the KDF (RFC 7714 §16 vectors, tests). */
    static SrtpGcmProtector withSessionKeys(byte[] sessionKey, byte[] sessionSalt) throws GeneralSecurityException {
        return new SrtpGcmProtector(sessionKey, sessionSalt);
    }

    /** Whether jitsi-srtp's OpenSSL provider is loaded and behaves as this class needs (checked once per JVM). */
    static boolean isAvailable() {
        return OpenSsl.USABLE;
    }

    /**
     * RFC 3711 §4.3.1 / §4.3.3 key derivation with key derivation rate 0: {@code length} bytes of AES-CM keystream
     * under the master key, starting from the IV {@code (label << 48 XOR master_salt) * 2^16}, the salt placed in
     * the high-order bytes of the 112-bit field (so a 96-bit salt is padded with zeros, RFC 7714 §11 erratum 4938).
     * Runs once per context; allocation is fine here.
     */
    static byte[] deriveSessionKey(byte[] masterKey, byte[] masterSalt, byte label, int length)
            throws GeneralSecurityException {
        if (masterSalt.length > 14) {
            throw new IllegalArgumentException("master salt longer than 112 bits");
        }
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        SecretKeySpec k = new SecretKeySpec(masterKey, "AES");
        aes.init(Cipher.ENCRYPT_MODE, k);
        byte[] x = new byte[16];
        System.arraycopy(masterSalt, 0, x, 0, masterSalt.length);
        x[7] ^= label; // key_id = label || (index DIV kdr = 0), right-aligned in the 112-bit salt field
        byte[] out = new byte[length];
        byte[] block = new byte[16];
        for (int done = 0, counter = 0; done < length; done += 16, counter++) {
            x[14] = (byte) (counter >>> 8);
            x[15] = (byte) counter;
            aes.doFinal(x, 0, 16, block, 0);
            System.arraycopy(block, 0, out, done, Math.min(16, length - done));
        }
        wipe(block);
        return out;
    }

    /**
     * Protects {@code buf[off, off+len)} in place: encrypts the payload, appends the tag, and returns the new
     * length ({@code len + 16}), or a negative {@code SrtpTransformer.ERR_*} code with the packet not sent-worthy.
     * The array must have at least {@link #TAG_LENGTH} bytes after the packet.
     */
    int protect(byte[] buf, int off, int len) {
        if (closed) {
            return SrtpTransformer.ERR_CLOSED;
        }
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return SrtpTransformer.ERR_BAD_REGION;
        }
        if (len < RTP_HEADER) {
            return SrtpTransformer.ERR_TOO_SHORT;
        }
        if (buf.length - (off + len) < TAG_LENGTH) {
            return SrtpTransformer.ERR_NO_TAILROOM; // OpenSSL writes the tag past the payload unchecked
        }
        int header = RtxPacket.headerLength(buf, off, len); // the AAD: RFC 7714 §8.2
        if (header < 0) {
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
        writeIv(ssrc, (int) (index >>> 16), seq);
        int payload = len - header;
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, spec);
            cipher.updateAAD(buf, off, header);
            int written = cipher.doFinal(buf, off + header, payload, buf, off + header);
            if (written != payload + TAG_LENGTH) {
                return SrtpTransformer.ERR_FAIL;
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpTransformer.ERR_FAIL;
        }
        stream.commit(index);
        return len + TAG_LENGTH;
    }

    /** RFC 7714 §8.1: the 12-byte IV, {@code (0x0000 || SSRC || ROC || SEQ) XOR session salt}. */
    private void writeIv(int ssrc, int roc, int seq) {
        byte[] s = salt;
        iv[0] = s[0];
        iv[1] = s[1];
        iv[2] = (byte) (s[2] ^ ssrc >>> 24);
        iv[3] = (byte) (s[3] ^ ssrc >>> 16);
        iv[4] = (byte) (s[4] ^ ssrc >>> 8);
        iv[5] = (byte) (s[5] ^ ssrc);
        iv[6] = (byte) (s[6] ^ roc >>> 24);
        iv[7] = (byte) (s[7] ^ roc >>> 16);
        iv[8] = (byte) (s[8] ^ roc >>> 8);
        iv[9] = (byte) (s[9] ^ roc);
        iv[10] = (byte) (s[10] ^ seq >>> 8);
        iv[11] = (byte) (s[11] ^ seq);
    }

    /** Forgets every stream and zeroes the salt; later calls return {@code ERR_CLOSED}. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        streams.clear();
        wipe(salt);
        wipe(iv);
        // The SecretKeySpec's copy of the key cannot be wiped through the JCE API, and jitsi's SPI frees its
        // OpenSSL context (EVP_CIPHER_CTX_free clears it) through a Cleaner once the Cipher is unreachable.
    }

    private static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }

    /**
     * A {@link GCMParameterSpec} (128-bit tag) whose {@link #getIV()} returns its own array instead of a copy, so
     * one instance serves every packet. Only ever passed to jitsi's OpenSSL GCM SPI (see the class comment).
     */
    static final class ReusableGcmSpec extends GCMParameterSpec {
        private final byte[] nonce;

        ReusableGcmSpec() {
            this(new byte[SALT_LENGTH]);
        }

        ReusableGcmSpec(byte[] nonce) {
            super(TAG_LENGTH * 8, nonce);
            this.nonce = nonce;
        }

        byte[] array() {
            return nonce;
        }

        @Override
        public byte[] getIV() {
            return nonce;
        }
    }

    /** jitsi-srtp's OpenSSL provider when {@link #isAvailable()}, else null. */
    static Provider provider() {
        return OpenSsl.USABLE ? OpenSsl.PROVIDER : null;
    }

    /** The provider instance and the once-per-JVM check that it works with a re-aimed spec (logged once). */
    private static final class OpenSsl {
        static final Provider PROVIDER;
        static final boolean USABLE;

        static {
            Provider provider = null;
            boolean usable = false;
            try {
                if (JitsiOpenSslProvider.isLoaded()) {
                    provider = new JitsiOpenSslProvider();
                }
            } catch (LinkageError | RuntimeException e) {
                provider = null;
            }
            PROVIDER = provider;
            if (provider != null) {
                try {
                    usable = selfTest();
                } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
                    usable = false;
                }
            }
            USABLE = usable;
            Logger.getLogger(SrtpGcmProtector.class.getName()).info(usable
                    ? "SRTP AES-GCM protect: in place on jitsi-srtp's OpenSSL provider"
                    : "SRTP AES-GCM protect: jitsi-srtp (OpenSSL provider " + (provider == null ? "not loaded"
                    : "failed the self-test") + ")");
        }

        /**
         * Two packets through one protector, so the second {@code Cipher.init} must pick up the overwritten IV:
         * first the RFC 7714 §16.1.1 packet with the next sequence number, checked against SunJCE given a fresh
         * spec, then the RFC packet itself (one index older, which is allowed), checked against the RFC's bytes.
         */
        private static boolean selfTest() throws GeneralSecurityException {
            HexFormat hex = HexFormat.of();
            byte[] sessionKey = hex.parseHex("000102030405060708090a0b0c0d0e0f");
            byte[] sessionSalt = hex.parseHex("517569642070726f2071756f");
            byte[] plain = hex.parseHex("8040f17b8041f8d35501a0b2"
                    + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573");
            byte[] expected = hex.parseHex("8040f17b8041f8d35501a0b2"
                    + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
                    + "899d7f27beb16a9152cf765ee4390cce");
            byte[] next = Arrays.copyOf(plain, plain.length + TAG_LENGTH);
            next[3]++; // sequence 0xf17c
            Cipher reference = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] nextIv = hex.parseHex("51753c6580c2726f20718413"); // RFC IV with SEQ f17c instead of f17b
            reference.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sessionKey, "AES"),
                    new GCMParameterSpec(TAG_LENGTH * 8, nextIv));
            reference.updateAAD(next, 0, RTP_HEADER);
            byte[] nextExpected = Arrays.copyOf(next, next.length);
            reference.doFinal(next, RTP_HEADER, plain.length - RTP_HEADER, nextExpected, RTP_HEADER);

            SrtpGcmProtector p = new SrtpGcmProtector(sessionKey, sessionSalt);
            try {
                byte[] rfc = Arrays.copyOf(plain, plain.length + TAG_LENGTH);
                return p.protect(next, 0, plain.length) == next.length && Arrays.equals(next, nextExpected)
                        && p.protect(rfc, 0, plain.length) == expected.length && Arrays.equals(rfc, expected);
            } finally {
                p.close();
            }
        }
    }
}
