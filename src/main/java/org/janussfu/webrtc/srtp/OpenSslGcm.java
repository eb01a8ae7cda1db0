package org.janussfu.webrtc.srtp;

import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM encryption on jitsi-srtp's OpenSSL provider with one parameter spec re-aimed per message, for other
 * record layers than SRTP (the DTLS records of data channels, {@code webrtc.dtls.DtlsGcmRecordCipher}). It is the
 * mechanism {@link SrtpGcmProtector} uses and is usable under the same condition, its once-per-JVM self-test
 * ({@link #usable()}); see that class for why a re-aimed spec is safe with this provider and not with SunJCE's.
 * Stateless; each {@link Cipher} and spec it returns has the single owner of the record layer that holds it.
 */
public final class OpenSslGcm {
    private OpenSslGcm() {
    }

    /** Whether jitsi-srtp's OpenSSL GCM is loaded and passed the self-test here. */
    public static boolean usable() {
        return SrtpGcmProtector.isAvailable();
    }

    /** A new {@code AES/GCM/NoPadding} cipher on the OpenSSL provider; only when {@link #usable()}. */
    public static Cipher newCipher() throws GeneralSecurityException {
        if (!usable()) {
            throw new IllegalStateException("jitsi-srtp's OpenSSL provider is not usable here");
        }
        return Cipher.getInstance("AES/GCM/NoPadding", SrtpGcmProtector.provider());
    }

    /**
     * A 128-bit-tag spec whose IV is {@code nonce} itself, not a copy: overwrite {@code nonce} before each
     * {@code Cipher.init}. Pass it only to a cipher from {@link #newCipher()}.
     */
    public static GCMParameterSpec reusableSpec(byte[] nonce) {
        return new SrtpGcmProtector.ReusableGcmSpec(nonce);
    }
}
