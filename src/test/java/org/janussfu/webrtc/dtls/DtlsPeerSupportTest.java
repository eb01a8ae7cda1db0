package org.janussfu.webrtc.dtls;

import org.bouncycastle.tls.TlsUtils;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every cipher suite our DTLS peers offer or accept must be one the shared TLS crypto can run: a peer that picks an
 * offered suite we cannot instantiate fails the handshake (Janus' OpenSSL picked ChaCha20-Poly1305 when the JCA
 * crypto could not provide it).
 */
class DtlsPeerSupportTest {
    @Test
    void everyOfferedSuiteIsRunnableWithTheSharedCrypto() {
        for (int suite : DtlsPeerSupport.cipherSuites()) {
            assertTrue(TlsUtils.isSupportedCipherSuite(DtlsPeerSupport.CRYPTO, suite),
                    DtlsPeerSupport.cipherSuiteName(suite));
            assertTrue(DtlsPeerSupport.CRYPTO.hasEncryptionAlgorithm(TlsUtils.getEncryptionAlgorithm(suite)),
                    DtlsPeerSupport.cipherSuiteName(suite));
        }
    }

    @Test
    void aes128GcmComesFirst() {
        // RFC 8827 §6.5: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 is the suite every WebRTC endpoint implements.
        assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", DtlsPeerSupport.cipherSuiteName(DtlsPeerSupport.cipherSuites()[0]));
    }
}
