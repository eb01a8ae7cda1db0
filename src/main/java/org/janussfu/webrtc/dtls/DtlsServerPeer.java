package org.janussfu.webrtc.dtls;

import org.janussfu.webrtc.srtp.SrtpProfile;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * Our side of the handshake when we are the DTLS server (a=setup:passive): DTLS 1.2 only (RFC 6347), ECDHE_ECDSA
 * AEAD suites, a CertificateRequest so that the browser must present its certificate (RFC 8827 §6.5), which is
 * then checked against the SDP fingerprint, and use_srtp selection: the first profile in OUR preference order
 * that the client offered (RFC 5764 §4.1.2), answered with an empty MKI. Extended master secret (RFC 7627) is
 * left to Bouncy Castle's defaults, which negotiate it whenever the client offers it. Used by exactly one
 * {@link DtlsTransport}, on its DTLS worker thread.
 */
final class DtlsServerPeer extends DefaultTlsServer {
    private final JcaTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final DtlsFingerprint expected;
    private final DtlsPeerState state;
    private final int handshakeTimeoutMillis;

    DtlsServerPeer(JcaTlsCrypto crypto, DtlsCertificate certificate, DtlsFingerprint expected, DtlsPeerState state,
                   int handshakeTimeoutMillis) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.expected = expected;
        this.state = state;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return DtlsPeerSupport.cipherSuites();
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return DtlsPeerSupport.signer(context, crypto, certificate);
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        DtlsPeerSupport.verifyPeer(clientCertificate, expected, state);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offer = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        SrtpProfile chosen = offer == null ? null : SrtpProfile.selectFrom(offer.getProtectionProfiles());
        if (chosen == null) {
            state.failLocally(offer == null ? "peer did not offer use_srtp" : "no SRTP profile in common");
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "use_srtp");
        }
        state.profile = chosen;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(new int[] {state.profile.useSrtpId()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        DtlsPeerSupport.handshakeComplete(context, state, DtlsRole.SERVER);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        state.alertReceived(alertLevel, alertDescription);
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        // Counted and reported by DtlsTransport through its listener; no logging on this path.
    }
}
