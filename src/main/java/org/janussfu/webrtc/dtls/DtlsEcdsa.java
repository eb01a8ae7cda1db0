package org.janussfu.webrtc.dtls;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.tls.crypto.TlsSigner;
import org.bouncycastle.tls.crypto.TlsVerifier;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsECDSASigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsECDSAVerifier;

/**
 * ECDSA over P-256 (RFC 8422 §5.1.1, ecdsa_secp256r1_sha256) for the DTLS handshake on Bouncy Castle's custom
 * secp256r1 arithmetic instead of SunEC's generic Java code: on this box a signature costs ~0.1 ms instead of
 * ~0.7 ms and a verification ~0.1 ms instead of ~1.3 ms (docs/performance.md "Handshake crypto"). Every handshake
 * signs once (our ServerKeyExchange or CertificateVerify) and verifies once (the peer's). The signatures are RFC 6979
 * deterministic and DER-encoded, which any verifier accepts. Keys other than P-256 get {@code null} here and stay on
 * the JCA path. Stateless and thread-safe; called on the DTLS handshake threads.
 */
final class DtlsEcdsa {
    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256);
    /** Only for its SecureRandom and digests; the signatures themselves need no randomness (RFC 6979). */
    private static final BcTlsCrypto BC = new BcTlsCrypto(new SecureRandom());

    private DtlsEcdsa() {
    }

    /** A signer for our P-256 key, or null if the key is on another curve. */
    static TlsSigner signer(ECPrivateKey key) {
        if (!isP256(key)) {
            return null;
        }
        return new BcTlsECDSASigner(BC, new ECPrivateKeyParameters(key.getS(), DOMAIN));
    }

    /**
     * A verifier for a peer's P-256 public key, or null if the key is on another curve. The point is validated (on
     * the curve, not infinity) here; an invalid one throws {@link IllegalArgumentException}.
     */
    static TlsVerifier verifier(ECPublicKey key) {
        if (!isP256(key)) {
            return null;
        }
        BigInteger x = key.getW().getAffineX();
        BigInteger y = key.getW().getAffineY();
        return new BcTlsECDSAVerifier(BC, new ECPublicKeyParameters(DOMAIN.getCurve().createPoint(x, y), DOMAIN));
    }

    static boolean isP256(ECKey key) {
        ECParameterSpec p = key.getParams();
        return p != null && p.getCurve().getField() instanceof ECFieldFp fp
                && fp.getP().equals(P256.getCurve().getField().getCharacteristic())
                && p.getOrder().equals(P256.getN())
                && p.getCurve().getA().equals(P256.getCurve().getA().toBigInteger())
                && p.getCurve().getB().equals(P256.getCurve().getB().toBigInteger())
                && p.getGenerator().getAffineX().equals(P256.getG().getAffineXCoord().toBigInteger())
                && p.getGenerator().getAffineY().equals(P256.getG().getAffineYCoord().toBigInteger());
    }
}
