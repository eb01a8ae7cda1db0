package org.janussfu.webrtc.dtls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The server's DTLS identity: one self-signed ECDSA P-256 certificate (signed SHA256withECDSA) generated once per
 * process at startup by the wiring code and shared by every {@link DtlsTransport}. WebRTC authenticates it only
 * through the SDP fingerprint (RFC 8122 §5, RFC 8827 §6.5), so the subject is a fixed name and validity is a
 * generous window (30 days back, to tolerate clock skew, to one year ahead). Generation uses the JDK's own
 * providers (SunEC); Bouncy Castle is used only as a library, never registered as a JCA provider (that costs
 * over a second of startup). Immutable after {@link #generate()}; any thread.
 */
public final class DtlsCertificate {
    private static final Duration BACKDATE = Duration.ofDays(30);
    private static final Duration LIFETIME = Duration.ofDays(365);

    private final X509Certificate certificate;
    private final byte[] der;
    private final PrivateKey privateKey;
    private final DtlsFingerprint fingerprint;

    private DtlsCertificate(X509Certificate certificate, byte[] der, PrivateKey privateKey) {
        this.certificate = certificate;
        this.der = der;
        this.privateKey = privateKey;
        this.fingerprint = DtlsFingerprint.of("sha-256", der);
    }

    /**
     * Creates a fresh key pair and certificate (takes about 100 ms cold; call once per process, off the event
     * loop).
     *
     * @throws IllegalStateException if the JDK lacks EC support (it never does on a standard JDK 17)
     */
    public static DtlsCertificate generate() {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = kpg.generateKeyPair();

            Instant now = Instant.now();
            X500Name name = new X500Name("CN=janus-sfu");
            BigInteger serial = new BigInteger(63, random).add(BigInteger.ONE);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(LIFETIME)), name, pair.getPublic());
            X509CertificateHolder holder =
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
            byte[] der = cert.getEncoded();
            return new DtlsCertificate(cert, der, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create the DTLS certificate", e);
        }
    }

    /** The DER encoding (a copy). */
    public byte[] der() {
        return der.clone();
    }

    /** The private key (JCA, SunEC), as Bouncy Castle's JCA TLS signer ({@code JcaDefaultTlsCredentialedSigner}) takes it. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The certificate as a JCA object (for display and tests). */
    public X509Certificate x509() {
        return certificate;
    }

    /** Our SDP fingerprint value, {@code "sha-256 AB:CD:..."} (RFC 8122 §5). */
    public String fingerprint() {
        return fingerprint.toString();
    }

    /** Our fingerprint computed with another supported hash function ({@code sha-1}, {@code sha-384}, ...). */
    public DtlsFingerprint fingerprint(String algorithm) {
        return DtlsFingerprint.of(algorithm, der);
    }

    /** Package-private access to the DER without copying, for building handshake credentials. */
    byte[] derNoCopy() {
        return der;
    }
}
