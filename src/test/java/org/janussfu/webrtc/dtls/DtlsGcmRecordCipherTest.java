package org.janussfu.webrtc.dtls;

import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JceAEADCipherImpl;
import org.janussfu.webrtc.srtp.OpenSslGcm;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DtlsGcmRecordCipher} must be a drop-in for Bouncy Castle's {@code JceAEADCipherImpl}: byte-equal records
 * for the same key, nonce and additional data, the plaintext back on decryption, and the same exception for a
 * record whose tag does not verify (Bouncy Castle's record layer maps it to bad_record_mac and drops the record).
 */
class DtlsGcmRecordCipherTest {
    private static final JcaTlsCrypto STOCK = new JcaTlsCryptoProvider().create(new SecureRandom());
    private final SecureRandom random = new SecureRandom();

    @Test
    void recordsAreByteEqualToBouncyCastlesAndDecryptBack() throws Exception {
        for (int keySize : new int[] {16, 32}) {
            byte[] key = bytes(keySize);
            for (int len : new int[] {0, 1, 300, 1200}) {
                byte[] nonce = bytes(12);
                byte[] aad = bytes(13); // RFC 6347 §4.1.2.1: epoch ‖ seq ‖ type ‖ version ‖ length
                byte[] plain = bytes(len);
                byte[] ours = encrypt(DtlsGcmRecordCipher.create(keySize, true), key, nonce, aad, plain);
                byte[] theirs = encrypt(stock(keySize, true), key, nonce, aad, plain);
                assertArrayEquals(theirs, ours, "key " + keySize + " len " + len);
                assertArrayEquals(theirs, encrypt(DtlsGcmRecordCipher.jdk(keySize, true), key, nonce, aad, plain));
                assertEquals(len + 16, ours.length);
                assertArrayEquals(plain, decrypt(DtlsGcmRecordCipher.create(keySize, false), key, nonce, aad, ours));
            }
        }
    }

    @Test
    void aTamperedRecordFailsAsWithBouncyCastle() throws Exception {
        byte[] key = bytes(16);
        byte[] nonce = bytes(12);
        byte[] aad = bytes(13);
        byte[] record = encrypt(DtlsGcmRecordCipher.create(16, true), key, nonce, aad, bytes(300));
        record[5] ^= 1;
        assertThrows(IllegalStateException.class, () -> decrypt(stock(16, false), key, nonce, aad, record));
        assertThrows(IllegalStateException.class,
                () -> decrypt(DtlsGcmRecordCipher.create(16, false), key, nonce, aad, record));
        byte[] otherAad = aad.clone();
        otherAad[0] ^= 1;
        record[5] ^= 1; // intact again, but authenticated with other additional data
        assertThrows(IllegalStateException.class,
                () -> decrypt(DtlsGcmRecordCipher.create(16, false), key, nonce, otherAad, record));
    }

    @Test
    void inPlaceRecordsAsBouncyCastleCallsThem() throws Exception {
        // TlsAEADCipher encrypts and decrypts within one array at the same offset (after header and explicit nonce).
        byte[] key = bytes(16);
        byte[] nonce = bytes(12);
        byte[] aad = bytes(13);
        byte[] plain = bytes(300);
        byte[] expected = encrypt(stock(16, true), key, nonce, aad, plain);
        int off = 13 + 8;
        byte[] buf = new byte[off + plain.length + 16];
        System.arraycopy(plain, 0, buf, off, plain.length);
        DtlsGcmRecordCipher enc = DtlsGcmRecordCipher.create(16, true);
        enc.setKey(key, 0, 16);
        enc.init(nonce, 16);
        assertEquals(plain.length + 16, enc.doFinal(aad, buf, off, plain.length, buf, off));
        assertArrayEquals(expected, Arrays.copyOfRange(buf, off, buf.length));
        DtlsGcmRecordCipher dec = DtlsGcmRecordCipher.create(16, false);
        dec.setKey(key, 0, 16);
        dec.init(nonce, 16);
        assertEquals(plain.length, dec.doFinal(aad, buf, off, plain.length + 16, buf, off));
        assertArrayEquals(plain, Arrays.copyOfRange(buf, off, off + plain.length));
    }

    @Test
    void encryptionRunsOnOpenSslAndRefusesAnOutputWithoutRoomForTheTag() throws Exception {
        assertTrue(OpenSslGcm.usable(), "jitsi-srtp's OpenSSL GCM did not load or failed its self-test");
        DtlsGcmRecordCipher enc = DtlsGcmRecordCipher.create(32, true);
        assertTrue(enc.onOpenSsl());
        assertFalse(DtlsGcmRecordCipher.create(16, false).onOpenSsl());
        enc.setKey(bytes(32), 0, 32);
        enc.init(bytes(12), 16);
        byte[] plain = bytes(100);
        assertThrows(IllegalStateException.class, () -> enc.doFinal(null, plain, 0, 100, new byte[115], 0));
        assertThrows(IllegalStateException.class, () -> enc.doFinal(null, plain, 0, 100, new byte[116], 1));
    }

    @Test
    void oneCipherServesManyRecords() throws Exception {
        DtlsGcmRecordCipher enc = DtlsGcmRecordCipher.create(16, true);
        DtlsGcmRecordCipher dec = DtlsGcmRecordCipher.create(16, false);
        byte[] key = bytes(16);
        for (int seq = 0; seq < 50; seq++) {
            byte[] nonce = new byte[12];
            nonce[11] = (byte) seq; // a new nonce per record, as the record layer's sequence number gives
            byte[] plain = bytes(100 + seq);
            assertArrayEquals(plain, decrypt(dec, key, nonce, null, encrypt(enc, key, nonce, null, plain)));
        }
    }

    @Test
    void theSharedCryptoRunsAesGcmOnIt() throws Exception {
        DtlsCrypto crypto = assertInstanceOf(DtlsCrypto.class, DtlsPeerSupport.CRYPTO);
        assertInstanceOf(DtlsGcmRecordCipher.class, crypto.createAEADCipher("AES/GCM/NoPadding", "AES", 16, true));
    }

    private static TlsAEADCipherImpl stock(int keySize, boolean encrypting) throws Exception {
        return new JceAEADCipherImpl(STOCK, new DefaultJcaJceHelper(), "AES/GCM/NoPadding", "AES", keySize, encrypting);
    }

    private static byte[] encrypt(TlsAEADCipherImpl c, byte[] key, byte[] nonce, byte[] aad, byte[] plain)
            throws Exception {
        c.setKey(key, 0, key.length);
        c.init(nonce, 16);
        byte[] out = new byte[c.getOutputSize(plain.length)];
        int n = c.doFinal(aad, plain, 0, plain.length, out, 0);
        return Arrays.copyOf(out, n);
    }

    private static byte[] decrypt(TlsAEADCipherImpl c, byte[] key, byte[] nonce, byte[] aad, byte[] record)
            throws Exception {
        c.setKey(key, 0, key.length);
        c.init(nonce, 16);
        byte[] out = new byte[Math.max(0, c.getOutputSize(record.length))];
        int n = c.doFinal(aad, record, 0, record.length, out, 0);
        return Arrays.copyOf(out, n);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
