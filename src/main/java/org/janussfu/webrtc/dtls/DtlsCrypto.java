package org.janussfu.webrtc.dtls;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * The TLS crypto of every DTLS connection in the process: Bouncy Castle's JCA crypto over the JDK's providers
 * (decision 0009), except that AES-GCM records run on {@link DtlsGcmRecordCipher}, which sets the cipher up per
 * record without Bouncy Castle's per-record {@code AlgorithmParameters}. Everything else — the handshake's ECDHE,
 * ECDSA, PRF and hashes — is {@link JcaTlsCrypto}'s. Immutable after construction and thread-safe (as its parent);
 * one instance, {@link DtlsPeerSupport#CRYPTO}, shared by all connections on any thread.
 */
final class DtlsCrypto extends JcaTlsCrypto {
    private DtlsCrypto(JcaJceHelper helper, JcaJceHelper altHelper, SecureRandom entropy, SecureRandom nonceEntropy) {
        super(helper, altHelper, entropy, nonceEntropy);
    }

    /** The crypto with Bouncy Castle's default JCA helper and its nonce entropy derived from {@code random}. */
    static JcaTlsCrypto create(SecureRandom random) {
        return new JcaTlsCryptoProvider() {
            @Override
            public JcaTlsCrypto create(SecureRandom keyRandom, SecureRandom nonceRandom) {
                return new DtlsCrypto(getHelper(), getAltHelper(), keyRandom, nonceRandom);
            }
        }.create(random);
    }

    @Override
    protected TlsAEADCipherImpl createAEADCipher(String cipherName, String algorithm, int keySize,
            boolean isEncrypting) throws GeneralSecurityException {
        if (DtlsGcmRecordCipher.TRANSFORMATION.equals(cipherName) && "AES".equals(algorithm)) {
            return DtlsGcmRecordCipher.create(keySize, isEncrypting);
        }
        return super.createAEADCipher(cipherName, algorithm, keySize, isEncrypting);
    }
}
