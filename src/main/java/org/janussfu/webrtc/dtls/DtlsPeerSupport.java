package org.janussfu.webrtc.dtls;

import org.janussfu.webrtc.srtp.SrtpKeys;
import org.janussfu.webrtc.srtp.SrtpProfile;

import java.io.IOException;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.DefaultTlsCredentialedSigner;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * Handshake rules shared by our DTLS client and server peers: the cipher suites we allow (ECDHE_ECDSA with AEAD
 * only: AES-128-GCM, which RFC 8827 §6.5 makes mandatory for WebRTC, then AES-256-GCM), our
 * ECDSA signing credentials, the check of the peer's certificate against the fingerprint from its SDP (RFC 8122
 * §5, RFC 8842 §5.1), and the RFC 5764 §4.2 key export. Stateless; called on the DTLS worker thread.
 *
 * <p>The TLS crypto is Bouncy Castle's JCA implementation over the JDK's own providers (SunJCE AES-GCM with the
 * AES-NI and GHASH intrinsics, SunEC for ECDHE/ECDSA), one instance shared by every connection (it is thread-safe).
 * Its pure-Java {@code BcTlsCrypto} was the largest CPU cost of the data-channel relay — every SCTP packet is a DTLS
 * record — and of the handshake (see docs/decisions/0009). AES-GCM records run on {@link DtlsGcmRecordCipher}
 * ({@link DtlsCrypto}).
 */
final class DtlsPeerSupport {
    /** Shared by all DTLS connections of the process. */
    static final JcaTlsCrypto CRYPTO = DtlsCrypto.create(new SecureRandom());

    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    };
    // Not TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: the JCA crypto finds no ChaCha20-Poly1305 under Bouncy
    // Castle's name in the JDK, and a client that offers a suite it cannot run fails the handshake when the server
    // picks it (Janus' OpenSSL does) — DtlsPeerSupportTest checks every suite here against CRYPTO.

    private DtlsPeerSupport() {
    }

    /** Our cipher suites, most preferred first (a fresh copy: Bouncy Castle may keep the array). */
    static int[] cipherSuites() {
        return CIPHER_SUITES.clone();
    }

    /** IANA name of one of our cipher suites (Bouncy Castle has no public name table). */
    static String cipherSuiteName(int suite) {
        switch (suite) {
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:
                return "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:
                return "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
            default:
                return String.format("0x%04X", suite);
        }
    }

    /**
     * Our certificate and P-256 key as signing credentials (ecdsa_secp256r1_sha256, RFC 8422 §5.1.1), signing on
     * Bouncy Castle's custom curve ({@link DtlsEcdsa}).
     */
    static TlsCredentialedSigner signer(TlsContext context, JcaTlsCrypto crypto, DtlsCertificate certificate)
            throws IOException {
        Certificate chain = new Certificate(new TlsCertificate[] {
            crypto.createCertificate(certificate.derNoCopy())
        });
        SignatureAndHashAlgorithm alg = SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
        TlsSigner fast = certificate.privateKey() instanceof ECPrivateKey ec ? DtlsEcdsa.signer(ec) : null;
        if (fast != null) {
            return new DefaultTlsCredentialedSigner(new TlsCryptoParameters(context), fast, chain, alg);
        }
        return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                certificate.privateKey(), chain, alg);
    }

    /**
     * Accepts the peer's certificate chain only if its end-entity certificate matches the SDP fingerprint;
     * otherwise records why and aborts the handshake with bad_certificate (RFC 8842 §5.1: the fingerprint is the
     * only thing that authenticates a self-signed WebRTC certificate).
     */
    static void verifyPeer(Certificate chain, DtlsFingerprint expected, DtlsPeerState state) throws IOException {
        if (chain == null || chain.isEmpty()) {
            state.failLocally("peer sent no certificate");
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "no certificate");
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        if (!expected.matches(der)) {
            state.failLocally("certificate fingerprint mismatch (" + expected.algorithm() + ")");
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "fingerprint mismatch");
        }
    }

    /**
     * Called from the peers' {@code notifyHandshakeComplete()}, the only point where Bouncy Castle allows keying
     * material export: records the SRTP keys for our role and the negotiated cipher suite.
     */
    static void handshakeComplete(TlsContext context, DtlsPeerState state, DtlsRole role) throws IOException {
        SrtpProfile profile = state.profile;
        if (profile == null) {
            state.failLocally("no SRTP profile negotiated");
            throw new TlsFatalAlert(AlertDescription.internal_error, "use_srtp");
        }
        SecurityParameters params = context.getSecurityParametersConnection();
        if (params == null) {
            params = context.getSecurityParametersHandshake();
        }
        state.cipherSuite = cipherSuiteName(params.getCipherSuite());
        state.extendedMasterSecret = params.isExtendedMasterSecret();
        state.keys = exportKeys(context, profile, role);
    }

    /** RFC 5764 §4.2: EXTRACTOR-dtls_srtp, no context, 2 * (key + salt) bytes, split for our role. */
    static SrtpKeys exportKeys(TlsContext context, SrtpProfile profile, DtlsRole role) {
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.exporterLength());
        try {
            return SrtpKeys.fromExporter(profile, material, role == DtlsRole.CLIENT);
        } finally {
            java.util.Arrays.fill(material, (byte) 0);
        }
    }
}
