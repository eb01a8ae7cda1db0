package org.janussfu.loadtest.bench;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.concurrent.TimeUnit;

import javax.crypto.KeyAgreement;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The public-key operations of one server-side DTLS handshake (decision 0009 addendum), on SunEC ({@code jdk*})
 * and on the Bouncy Castle curve code the server now uses ({@code bc*}): an X25519 key pair plus agreement (the
 * ECDHE browsers pick), an ECDSA P-256 signature over a SHA-256 hash (our ServerKeyExchange) and a verification (the
 * peer's CertificateVerify). Sum {@code x25519 + sign + verify} for the handshake's share.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HandshakeCryptoBench {
    private final SecureRandom random = new SecureRandom();
    private final byte[] hash = new byte[32];
    private KeyPairGenerator xdh;
    private KeyPair xdhPeer;
    private KeyPair p256;
    private byte[] jdkSignature;
    private X25519PublicKeyParameters bcXPeer;
    private ECPrivateKeyParameters bcPrivate;
    private ECPublicKeyParameters bcPublic;
    private BigInteger[] bcSignature;

    @Setup
    public void setup() throws Exception {
        random.nextBytes(hash);
        xdh = KeyPairGenerator.getInstance("XDH");
        xdh.initialize(NamedParameterSpec.X25519);
        xdhPeer = xdh.generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        p256 = ec.generateKeyPair();
        Signature s = Signature.getInstance("NONEwithECDSA");
        s.initSign(p256.getPrivate());
        s.update(hash);
        jdkSignature = s.sign();
        bcXPeer = new X25519PrivateKeyParameters(random).generatePublicKey();
        X9ECParameters x9 = CustomNamedCurves.getByName("secp256r1");
        ECKeyPairGenerator g = new ECKeyPairGenerator();
        g.init(new ECKeyGenerationParameters(new ECDomainParameters(x9), random));
        AsymmetricCipherKeyPair kp = g.generateKeyPair();
        bcPrivate = (ECPrivateKeyParameters) kp.getPrivate();
        bcPublic = (ECPublicKeyParameters) kp.getPublic();
        bcSignature = bcSigner().generateSignature(hash);
    }

    private ECDSASigner bcSigner() {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, bcPrivate);
        return signer;
    }

    @Benchmark
    public byte[] jdkX25519() throws Exception {
        KeyPair local = xdh.generateKeyPair();
        KeyAgreement ka = KeyAgreement.getInstance("XDH");
        ka.init(local.getPrivate());
        ka.doPhase(xdhPeer.getPublic(), true);
        return ka.generateSecret();
    }

    @Benchmark
    public byte[] bcX25519() {
        X25519PrivateKeyParameters local = new X25519PrivateKeyParameters(random);
        local.generatePublicKey();
        byte[] secret = new byte[32];
        local.generateSecret(bcXPeer, secret, 0);
        return secret;
    }

    @Benchmark
    public byte[] jdkSign() throws Exception {
        Signature s = Signature.getInstance("NONEwithECDSA");
        s.initSign(p256.getPrivate());
        s.update(hash);
        return s.sign();
    }

    @Benchmark
    public BigInteger[] bcSign() {
        return bcSigner().generateSignature(hash);
    }

    @Benchmark
    public boolean jdkVerify() throws Exception {
        Signature s = Signature.getInstance("NONEwithECDSA");
        s.initVerify(p256.getPublic());
        s.update(hash);
        return s.verify(jdkSignature);
    }

    @Benchmark
    public boolean bcVerify() {
        ECDSASigner v = new ECDSASigner();
        v.init(false, bcPublic);
        return v.verifySignature(hash, bcSignature[0], bcSignature[1]);
    }
}
