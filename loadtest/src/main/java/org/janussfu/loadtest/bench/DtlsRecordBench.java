package org.janussfu.loadtest.bench;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JceAEADCipherImpl;
import org.janussfu.webrtc.dtls.DtlsGcmRecordCipher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * AES-128-GCM protection of one DTLS record (the per-record work of every SCTP packet on a data channel): set up
 * the cipher for the record's nonce, add the 13-byte additional data, encrypt and tag. {@code impl=bc} is Bouncy
 * Castle's {@code JceAEADCipherImpl} (a JCA {@code AlgorithmParameters} per record, SunJCE), {@code impl=jdk} the
 * server's {@link DtlsGcmRecordCipher} on SunJCE (a {@code GCMParameterSpec} per record), {@code impl=ours} what the
 * server encrypts with (jitsi-srtp's OpenSSL GCM with one re-aimed spec, where it loads). The nonce changes
 * every op, as the record sequence number does (the JDK refuses a repeated key and nonce when encrypting).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DtlsRecordBench {
    @Param({"bc", "jdk", "ours"})
    String impl;

    /** Plaintext bytes: a 300-byte data-channel message in one SCTP packet is ~330. */
    @Param({"330"})
    int size;

    private TlsAEADCipherImpl cipher;
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[13];
    private byte[] plain;
    private byte[] out;
    private long seq;

    @Setup
    public void setup() throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[16];
        random.nextBytes(key);
        random.nextBytes(nonce);
        random.nextBytes(aad);
        cipher = "bc".equals(impl)
                ? new JceAEADCipherImpl(new JcaTlsCryptoProvider().create(random), new DefaultJcaJceHelper(),
                        "AES/GCM/NoPadding", "AES", 16, true)
                : "jdk".equals(impl) ? DtlsGcmRecordCipher.jdk(16, true) : DtlsGcmRecordCipher.create(16, true);
        cipher.setKey(key, 0, key.length);
        plain = new byte[size];
        random.nextBytes(plain);
        out = new byte[size + 16];
    }

    @Benchmark
    public int protectRecord() throws Exception {
        long s = ++seq;
        for (int i = 0; i < 8; i++) {
            nonce[11 - i] = (byte) (s >>> (8 * i)); // explicit nonce = epoch ‖ sequence number (RFC 5288 §3)
        }
        cipher.init(nonce, 16);
        return cipher.doFinal(aad, plain, 0, plain.length, out, 0);
    }
}
