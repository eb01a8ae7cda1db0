package org.janussfu.webrtc.dtls;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.KeyAgreement;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.DigitallySigned;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsSigner;
import org.bouncycastle.tls.crypto.TlsVerifier;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsECDSAVerifier;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handshake's public-key operations that moved from SunEC to Bouncy Castle's curve code ({@link DtlsEcdsa},
 * {@link DtlsX25519}) must interoperate with the JDK's — that is what the peer on the other end runs in effect:
 * our signatures verify under SunEC, SunEC's signatures verify under ours and tampered ones do not, and an X25519
 * exchange with a SunEC peer yields the same secret on both sides. Bad peer values fail the way RFC 8422 says.
 */
class DtlsHandshakeCryptoTest {
    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
    /** DER prefix of an X25519 SubjectPublicKeyInfo (RFC 8410 §4): the raw 32 bytes follow. */
    private static final byte[] X25519_SPKI = HexFormat.of().parseHex("302a300506032b656e032100");

    private final SecureRandom random = new SecureRandom();

    @Test
    void ourP256SignaturesVerifyUnderSunEc() throws Exception {
        KeyPair kp = p256();
        TlsSigner signer = DtlsEcdsa.signer((ECPrivateKey) kp.getPrivate());
        for (int i = 0; i < 20; i++) {
            byte[] hash = sha256(bytes(100 + i));
            byte[] sig = signer.generateRawSignature(ECDSA_SHA256, hash);
            Signature jca = Signature.getInstance("NONEwithECDSA");
            jca.initVerify(kp.getPublic());
            jca.update(hash);
            assertTrue(jca.verify(sig), "signature " + i);
        }
    }

    @Test
    void sunEcSignaturesVerifyUnderOursAndTamperedOnesDoNot() throws Exception {
        KeyPair kp = p256();
        TlsVerifier verifier = DtlsEcdsa.verifier((ECPublicKey) kp.getPublic());
        byte[] message = bytes(300);
        Signature jca = Signature.getInstance("SHA256withECDSA");
        jca.initSign(kp.getPrivate());
        jca.update(message);
        byte[] sig = jca.sign();
        assertTrue(verifier.verifyRawSignature(new DigitallySigned(ECDSA_SHA256, sig), sha256(message)));
        byte[] other = message.clone();
        other[0] ^= 1;
        assertFalse(verifier.verifyRawSignature(new DigitallySigned(ECDSA_SHA256, sig), sha256(other)));
        KeyPair stranger = p256();
        assertFalse(DtlsEcdsa.verifier((ECPublicKey) stranger.getPublic())
                .verifyRawSignature(new DigitallySigned(ECDSA_SHA256, sig), sha256(message)));
    }

    @Test
    void otherCurvesStayOnTheJca() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair kp = kpg.generateKeyPair();
        assertNull(DtlsEcdsa.signer((ECPrivateKey) kp.getPrivate()));
        assertNull(DtlsEcdsa.verifier((ECPublicKey) kp.getPublic()));
    }

    @Test
    void aPeerCertificatesP256SignaturesAreVerifiedOnBouncyCastlesCurve() throws Exception {
        DtlsCertificate ours = DtlsCertificate.generate();
        TlsVerifier v = DtlsPeerSupport.CRYPTO.createCertificate(CertificateType.X509, ours.derNoCopy())
                .createVerifier(SignatureAlgorithm.ecdsa);
        assertInstanceOf(BcTlsECDSAVerifier.class, v);
    }

    @Test
    void x25519AgreesWithSunEcInBothDirections() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("XDH");
        kpg.initialize(NamedParameterSpec.X25519);
        for (int i = 0; i < 10; i++) {
            KeyPair peer = kpg.generateKeyPair();
            TlsAgreement ours = x25519();
            byte[] ourPublic = ours.generateEphemeral();
            assertEquals(32, ourPublic.length);
            ours.receivePeerValue(raw(peer.getPublic().getEncoded()));
            byte[] ourSecret = ours.calculateSecret().extract();

            KeyAgreement jca = KeyAgreement.getInstance("XDH");
            jca.init(peer.getPrivate());
            jca.doPhase(KeyFactory.getInstance("XDH").generatePublic(new X509EncodedKeySpec(spki(ourPublic))), true);
            assertArrayEquals(jca.generateSecret(), ourSecret, "exchange " + i);
        }
    }

    @Test
    void badX25519PeerValuesFailTheHandshake() throws Exception {
        TlsAgreement shortValue = x25519();
        shortValue.generateEphemeral();
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, () -> shortValue.receivePeerValue(new byte[31]));
        assertEquals(AlertDescription.illegal_parameter, e.getAlertDescription());

        TlsAgreement smallOrder = x25519();
        smallOrder.generateEphemeral();
        smallOrder.receivePeerValue(new byte[32]); // u = 0: every scalar gives the all-zero secret (RFC 7748 §6.1)
        e = assertThrows(TlsFatalAlert.class, smallOrder::calculateSecret);
        assertEquals(AlertDescription.handshake_failure, e.getAlertDescription());
    }

    private static TlsAgreement x25519() {
        return DtlsPeerSupport.CRYPTO.createECDomain(new TlsECConfig(NamedGroup.x25519)).createECDH();
    }

    private static byte[] raw(byte[] spki) {
        assertArrayEquals(X25519_SPKI, Arrays.copyOf(spki, X25519_SPKI.length));
        return Arrays.copyOfRange(spki, X25519_SPKI.length, spki.length);
    }

    private static byte[] spki(byte[] raw) {
        byte[] out = Arrays.copyOf(X25519_SPKI, X25519_SPKI.length + raw.length);
        System.arraycopy(raw, 0, out, X25519_SPKI.length, raw.length);
        return out;
    }

    private KeyPair p256() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
        return kpg.generateKeyPair();
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
