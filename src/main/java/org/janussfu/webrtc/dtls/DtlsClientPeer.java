package org.janussfu.webrtc.dtls;

import org.janussfu.webrtc.srtp.SrtpProfile;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * Our side of the handshake when we are the DTLS client (a=setup:active): DTLS 1.2 only (RFC 6347), ECDHE_ECDSA
 * AEAD suites, our certificate sent when the server asks (WebRTC servers always do), the server's certificate
 * checked against its SDP fingerprint, and a use_srtp offer of GCM then CM-HMAC-SHA1-80 with no MKI (RFC 5764
 * §4.1.1). The server's answer must name exactly one profile that we offered, with an empty MKI, or the handshake
 * fails with illegal_parameter (RFC 5764 §4.1.2). Used by exactly one {@link DtlsTransport}, on its DTLS worker.
 */
final class DtlsClientPeer extends DefaultTlsClient {
    private final JcaTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final DtlsFingerprint expected;
    private final DtlsPeerState state;
    private final int handshakeTimeoutMillis;

    DtlsClientPeer(JcaTlsCrypto crypto, DtlsCertificate certificate, DtlsFingerprint expected, DtlsPeerState state,
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
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(SrtpProfile.useSrtpIds(), TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData answer = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (answer == null) {
            state.failLocally("peer did not negotiate use_srtp");
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "use_srtp");
        }
        int[] profiles = answer.getProtectionProfiles();
        SrtpProfile chosen = profiles.length == 1 ? SrtpProfile.fromUseSrtpId(profiles[0]) : null;
        if (chosen == null || answer.getMki().length != 0) {
            state.failLocally("peer answered use_srtp with a profile we did not offer");
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "use_srtp");
        }
        state.profile = chosen;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                DtlsPeerSupport.verifyPeer(serverCertificate.getCertificate(), expected, state);
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return DtlsPeerSupport.signer(context, crypto, certificate);
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        DtlsPeerSupport.handshakeComplete(context, state, DtlsRole.CLIENT);
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
        // Reported by DtlsTransport through its listener; no logging here.
    }
}
