package org.janussfu.webrtc.dtls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * The TLS crypto of every DTLS connection in the process: Bouncy Castle's JCA crypto over the JDK's providers
 * (decision 0009), except where the JDK's code is slow: AES-GCM records run on {@link DtlsGcmRecordCipher} (the
 * cipher set up per record without Bouncy Castle's per-record {@code AlgorithmParameters}), X25519 key exchange on
 * {@link DtlsX25519} and the peer's P-256 ECDSA signatures are verified by {@link DtlsEcdsa} (Bouncy Castle's
 * lightweight curve code; our own signatures too, see {@link DtlsPeerSupport#signer}). The PRF, hashes, secrets and
 * P-256 ECDH stay {@link JcaTlsCrypto}'s. Immutable after construction and thread-safe (as its parent);
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

    /** X25519 on {@link DtlsX25519}; every other group on the JCA. */
    @Override
    public TlsECDomain createECDomain(TlsECConfig ecConfig) {
        if (ecConfig.getNamedGroup() == NamedGroup.x25519) {
            return new DtlsX25519(this);
        }
        return super.createECDomain(ecConfig);
    }

    /** X.509 certificates whose P-256 signatures {@link DtlsPeerCertificate} verifies on Bouncy Castle's curve. */
    @Override
    public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
        if (type == CertificateType.X509) {
            return new DtlsPeerCertificate(this, encoding);
        }
        return super.createCertificate(type, encoding);
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
