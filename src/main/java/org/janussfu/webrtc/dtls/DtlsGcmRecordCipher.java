package org.janussfu.webrtc.dtls;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.janussfu.webrtc.srtp.OpenSslGcm;

/**
 * One direction of a DTLS connection's AES-GCM record protection (RFC 5288 §3, RFC 6347 §4.1.2.1), set up per
 * record from a parameter spec. Bouncy Castle's own {@code JceAEADCipherImpl} builds a JCA {@code
 * AlgorithmParameters} for every record instead — a provider lookup and an ASN.1 round trip that cost more than the
 * encryption of a 300-byte SCTP packet (`perf` on a room of 15, docs/performance.md "DTLS records"). Bouncy Castle's
 * {@code TlsAEADCipher} owns the nonce (fixed IV ‖ epoch ‖ sequence number) and the additional data; this class only
 * runs the cipher ({@link #create} says which one).
 *
 * <p>Owned by one {@code TlsAEADCipher}, i.e. one DTLS connection's record layer; called on whichever thread that
 * connection's records are encoded or decoded on (never two at once: Bouncy Castle serialises a direction).
 */
public final class DtlsGcmRecordCipher implements TlsAEADCipherImpl {
    /** The JCA transformation Bouncy Castle asks for AES-GCM suites. */
    public static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_LENGTH = 12; // RFC 5288 §3: 4-byte salt ‖ 8-byte explicit nonce
    private static final int TAG_LENGTH = 16;

    private final Cipher cipher;
    private final int mode;
    private final int keySize;
    /** The re-aimed spec's own IV array (OpenSSL encryption only), else null: a new spec per record. */
    private final byte[] reusedNonce;
    private final GCMParameterSpec reusedSpec;
    private SecretKeySpec key;

    private DtlsGcmRecordCipher(Cipher cipher, int keySize, boolean encrypting, boolean reuseSpec) {
        this.cipher = cipher;
        this.keySize = keySize;
        this.mode = encrypting ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        this.reusedNonce = reuseSpec ? new byte[NONCE_LENGTH] : null;
        this.reusedSpec = reuseSpec ? OpenSslGcm.reusableSpec(reusedNonce) : null;
    }

    /**
     * The cipher the server uses for {@code keySize}-byte AES keys (16 or 32): encryption on jitsi-srtp's OpenSSL
     * GCM with one re-aimed spec where {@link OpenSslGcm#usable()} (no allocation in the cipher per record),
     * decryption — and encryption elsewhere — on the JDK's SunJCE with a spec per record. Bouncy Castle encrypts and
     * decrypts in place (same array, same offset); OpenSSL only encrypts here because the once-per-JVM self-test
     * that vouches for the re-aimed spec covers encryption only.
     */
    public static DtlsGcmRecordCipher create(int keySize, boolean encrypting) throws GeneralSecurityException {
        if (encrypting && OpenSslGcm.usable()) {
            return new DtlsGcmRecordCipher(OpenSslGcm.newCipher(), keySize, true, true);
        }
        return jdk(keySize, encrypting);
    }

    /** The same on the JDK's SunJCE AES-GCM only (a new {@link GCMParameterSpec} per record). */
    public static DtlsGcmRecordCipher jdk(int keySize, boolean encrypting) throws GeneralSecurityException {
        return new DtlsGcmRecordCipher(Cipher.getInstance(TRANSFORMATION), keySize, encrypting, false);
    }

    @Override
    public void setKey(byte[] keyBytes, int offset, int length) {
        if (length != keySize) {
            throw new IllegalStateException("AES-GCM key of " + length + " bytes, expected " + keySize);
        }
        this.key = new SecretKeySpec(keyBytes, offset, length, "AES");
    }

    /** Starts one record: {@code nonce} is the 12-byte GCM nonce, {@code macSize} the tag length in bytes (16). */
    @Override
    public void init(byte[] nonce, int macSize) {
        try {
            if (reusedSpec != null && macSize == TAG_LENGTH && nonce.length == NONCE_LENGTH) {
                System.arraycopy(nonce, 0, reusedNonce, 0, NONCE_LENGTH);
                cipher.init(mode, key, reusedSpec);
            } else {
                cipher.init(mode, key, new GCMParameterSpec(macSize * 8, nonce));
            }
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Whether this cipher encrypts on OpenSSL with the re-aimed spec (for tests). */
    boolean onOpenSsl() {
        return reusedSpec != null;
    }

    @Override
    public int getOutputSize(int inputLength) {
        return cipher.getOutputSize(inputLength);
    }

    /**
     * Encrypts (plaintext → ciphertext ‖ tag) or decrypts and verifies one record. A record whose tag does not verify
     * throws {@link IllegalStateException}, as Bouncy Castle's own implementation does; its record layer turns that
     * into {@code bad_record_mac}, which DTLS discards without closing the connection (RFC 6347 §4.1.2.7).
     */
    @Override
    public int doFinal(byte[] additionalData, byte[] input, int inputOffset, int inputLength, byte[] output,
            int outputOffset) {
        if (reusedSpec != null && (outputOffset < 0 || inputLength < 0
                || output.length - outputOffset < inputLength + TAG_LENGTH)) {
            // jitsi's OpenSSL SPI checks room for the ciphertext only and writes the tag after it unchecked.
            throw new IllegalStateException("no room for the record and its tag");
        }
        try {
            if (additionalData != null && additionalData.length > 0) {
                cipher.updateAAD(additionalData);
            }
            return cipher.doFinal(input, inputOffset, inputLength, output, outputOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
