package org.janussfu.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class DtlsCertificateTest {

    @Test
    void selfSignedP256WithSha256Fingerprint() throws Exception {
        DtlsCertificate cert = DtlsCertificate.generate();
        X509Certificate x509 = cert.x509();
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        assertEquals("EC", x509.getPublicKey().getAlgorithm());
        x509.verify(x509.getPublicKey());
        Instant notBefore = x509.getNotBefore().toInstant();
        Instant notAfter = x509.getNotAfter().toInstant();
        assertTrue(notBefore.isBefore(Instant.now().minus(Duration.ofDays(29))));
        assertTrue(notAfter.isAfter(Instant.now().plus(Duration.ofDays(364))));

        String fp = cert.fingerprint();
        assertTrue(fp.matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"), fp);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.der());
        assertEquals(HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest), fp.substring(8));
        assertTrue(DtlsFingerprint.parse(fp).matches(cert.der()));
        assertFalse(DtlsFingerprint.parse(fp).matches(DtlsCertificate.generate().der()));
        assertEquals(null, Security.getProvider("BC"), "Bouncy Castle must not be registered as a provider");
    }

    @Test
    void fingerprintParsing() {
        DtlsCertificate cert = DtlsCertificate.generate();
        for (String alg : new String[] {"sha-1", "sha-256", "sha-384", "sha-512"}) {
            String sdp = cert.fingerprint(alg).toString();
            DtlsFingerprint parsed = DtlsFingerprint.parse(sdp.toLowerCase());
            assertEquals(alg, parsed.algorithm());
            assertTrue(parsed.matches(cert.der()), alg);
        }
        DtlsFingerprint upper = DtlsFingerprint.parse("SHA-256 " + cert.fingerprint().substring(8));
        assertEquals("sha-256", upper.algorithm());
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse("md5 AB:CD"));
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse("sha-256 AB:CD"));
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse("sha-256"));
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse("sha-1 ZZ"));
        assertNotEquals(cert.fingerprint(), DtlsCertificate.generate().fingerprint());
    }
}
