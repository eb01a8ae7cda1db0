package org.janussfu.webrtc.dtls;

import java.io.IOException;
import java.security.interfaces.ECPublicKey;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsVerifier;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCertificate;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * A DTLS peer's X.509 certificate as {@link JcaTlsCertificate} parses and checks it, except that an ECDSA P-256
 * signature made with it (the peer's ServerKeyExchange or CertificateVerify) is verified by {@link DtlsEcdsa} on Bouncy
 * Castle's custom curve instead of SunEC. The parent's key-usage and key-type checks still run first. Immutable after
 * parsing; used on the handshake's thread.
 */
final class DtlsPeerCertificate extends JcaTlsCertificate {
    DtlsPeerCertificate(JcaTlsCrypto crypto, byte[] encoding) throws IOException {
        super(crypto, encoding);
    }

    @Override
    public TlsVerifier createVerifier(short signatureAlgorithm) throws IOException {
        TlsVerifier jca = super.createVerifier(signatureAlgorithm); // validates key usage and the key's type
        if (signatureAlgorithm == SignatureAlgorithm.ecdsa && getPublicKey() instanceof ECPublicKey ec) {
            TlsVerifier fast;
            try {
                fast = DtlsEcdsa.verifier(ec);
            } catch (IllegalArgumentException offCurve) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate, "EC public key not on its curve");
            }
            if (fast != null) {
                return fast;
            }
        }
        return jca;
    }
}
