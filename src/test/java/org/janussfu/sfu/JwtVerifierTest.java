package org.janussfu.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RS512 JWT verification per sfu-protocol.md §5.2 (RFC 7519, RFC 7518 §3.3) and the four key encodings. */
class JwtVerifierTest {

    private static final long NOW = 1_700_000_000L;
    private static final KeyPair KEYS = generate();
    private static final KeyPair OTHER_KEYS = generate();
    private static final JwtVerifier VERIFIER = new JwtVerifier((RSAPublicKey) KEYS.getPublic());

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String b64(String json) {
        return b64(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sign(PrivateKey key, String algorithm, String input) throws Exception {
        Signature signature = Signature.getInstance(algorithm);
        signature.initSign(key);
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return signature.sign();
    }

    static String token(String header, String claims) throws Exception {
        String input = b64(header) + "." + b64(claims);
        return input + "." + b64(sign(KEYS.getPrivate(), "SHA512withRSA", input));
    }

    static String token(String claims) throws Exception {
        return token("{'alg':'RS512','typ':'JWT'}", claims);
    }

    private static void assertInvalid(String token) {
        SfuError e = assertThrows(SfuError.class, () -> VERIFIER.verify(token, NOW));
        assertEquals("Rejecting join with invalid token!", e.getMessage());
    }

    @Test
    void validTokenWithHubsStyleClaims() throws Exception {
        JwtClaims claims = VERIFIER.verify(token("{'exp':" + (NOW + 300) + ",'join_hub':true,'kick_users':true,"
                + "'aud':'ret','sub':'abc','iss':'ret','iat':1,'nbf':" + (NOW + 1000) + "}"), NOW);
        assertEquals(new JwtClaims(true, true, null), claims);
        assertTrue(claims.mayJoin("any-room"));
    }

    @Test
    void claimsDefaultToFalse() throws Exception {
        JwtClaims claims = VERIFIER.verify(token("{'exp':" + NOW + "}"), NOW);
        assertEquals(new JwtClaims(false, false, null), claims);
        assertFalse(claims.mayJoin("r"));
    }

    @Test
    void expEqualToNowIsValidOneSecondLaterIsExpired() throws Exception {
        String t = token("{'exp':" + NOW + ",'join_hub':true}");
        assertTrue(VERIFIER.verify(t, NOW).joinHub());
        assertThrows(SfuError.class, () -> VERIFIER.verify(t, NOW + 1));
    }

    @Test
    void expired() throws Exception {
        assertInvalid(token("{'exp':" + (NOW - 1) + ",'join_hub':true}"));
    }

    @Test
    void missingOrNonIntegerExp() throws Exception {
        assertInvalid(token("{'join_hub':true}"));
        assertInvalid(token("{'exp':null,'join_hub':true}"));
        assertInvalid(token("{'exp':'" + (NOW + 10) + "','join_hub':true}"));
        assertInvalid(token("{'exp':" + (NOW + 10) + ".5,'join_hub':true}"));
        assertInvalid(token("{'exp':1.8e9,'join_hub':true}"));
        assertInvalid(token("{'exp':99999999999999999999999,'join_hub':true}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "RS256", "RS384", "PS512", "none", "rs512", ""})
    void wrongAlgorithm(String alg) throws Exception {
        assertInvalid(token("{'alg':'" + alg + "','typ':'JWT'}", "{'exp':" + (NOW + 60) + ",'join_hub':true}"));
    }

    @Test
    void algMissingOrNotAString() throws Exception {
        assertInvalid(token("{'typ':'JWT'}", "{'exp':" + (NOW + 60) + "}"));
        assertInvalid(token("{'alg':512}", "{'exp':" + (NOW + 60) + "}"));
        assertInvalid(token("{'alg':'RS512','typ':7}", "{'exp':" + (NOW + 60) + "}"));
    }

    @Test
    void unsignedNoneTokenAndRs256SignatureAreRejected() throws Exception {
        String claims = b64("{'exp':" + (NOW + 60) + ",'join_hub':true}");
        assertInvalid(b64("{'alg':'none'}") + "." + claims + ".");
        assertInvalid(b64("{'alg':'RS512'}") + "." + claims + ".");
        String input = b64("{'alg':'RS512'}") + "." + claims;
        assertInvalid(input + "." + b64(sign(KEYS.getPrivate(), "SHA256withRSA", input)));
    }

    @Test
    void signatureByAnotherKey() throws Exception {
        String input = b64("{'alg':'RS512'}") + "." + b64("{'exp':" + (NOW + 60) + ",'join_hub':true}");
        assertInvalid(input + "." + b64(sign(OTHER_KEYS.getPrivate(), "SHA512withRSA", input)));
    }

    @Test
    void tamperedPayloadOrHeader() throws Exception {
        String[] parts = token("{'exp':" + (NOW + 60) + ",'join_hub':false}").split("\\.");
        assertInvalid(parts[0] + "." + b64("{'exp':" + (NOW + 60) + ",'join_hub':true}") + "." + parts[2]);
        assertInvalid(b64("{'alg':'RS512','kid':'x'}") + "." + parts[1] + "." + parts[2]);
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[10] ^= 1;
        assertInvalid(parts[0] + "." + parts[1] + "." + b64(signature));
    }

    @Test
    void malformed() throws Exception {
        String good = token("{'exp':" + (NOW + 60) + ",'join_hub':true}");
        String[] parts = good.split("\\.");
        assertInvalid(null);
        assertInvalid("");
        assertInvalid("abc");
        assertInvalid(parts[0] + "." + parts[1]);
        assertInvalid(good + "." + parts[2]);
        assertInvalid(good + "==");
        assertInvalid(parts[0] + "." + parts[1] + "." + parts[2] + "!");
        assertInvalid(parts[0] + "." + parts[1] + "x." + parts[2]);
        assertInvalid(token("{'alg':'RS512'}", "not json"));
        assertInvalid(token("{'alg':'RS512'}", "[1,2]"));
        assertInvalid(token("not json", "{'exp':" + (NOW + 60) + "}"));
        assertInvalid(token("{'alg':'RS512'}", "{'exp':" + (NOW + 60) + ",'exp':" + (NOW + 60) + "}"));
        assertInvalid(token("{'alg':'RS512'}", "{'exp':" + (NOW + 60) + "} {}"));
    }

    @Test
    void wrongClaimTypes() throws Exception {
        String exp = "'exp':" + (NOW + 60);
        assertInvalid(token("{" + exp + ",'join_hub':'true'}"));
        assertInvalid(token("{" + exp + ",'join_hub':1}"));
        assertInvalid(token("{" + exp + ",'join_hub':null}"));
        assertInvalid(token("{" + exp + ",'kick_users':'yes'}"));
        assertInvalid(token("{" + exp + ",'join_hub':true,'room_ids':'r1'}"));
        assertInvalid(token("{" + exp + ",'join_hub':true,'room_ids':[1]}"));
        assertInvalid(token("{" + exp + ",'join_hub':true,'room_ids':['a',null]}"));
    }

    @Test
    void roomIdsRestrictJoins() throws Exception {
        String exp = "'exp':" + (NOW + 60);
        JwtClaims claims = VERIFIER.verify(token("{" + exp + ",'join_hub':true,'room_ids':['a','b']}"), NOW);
        assertEquals(List.of("a", "b"), claims.roomIds());
        assertTrue(claims.mayJoin("a"));
        assertTrue(claims.mayJoin("b"));
        assertFalse(claims.mayJoin("c"));
        assertFalse(VERIFIER.verify(token("{" + exp + ",'join_hub':true,'room_ids':[]}"), NOW).mayJoin("a"));
        assertFalse(VERIFIER.verify(token("{" + exp + ",'join_hub':false,'room_ids':['a']}"), NOW).mayJoin("a"));
        JwtClaims nullRooms = VERIFIER.verify(token("{" + exp + ",'join_hub':true,'room_ids':null}"), NOW);
        assertNull(nullRooms.roomIds());
        assertTrue(nullRooms.mayJoin("anything"));
    }

    // ---- key encodings

    private static byte[] pkcs1Der() throws Exception {
        RSAPublicKey key = (RSAPublicKey) KEYS.getPublic();
        return new org.bouncycastle.asn1.pkcs.RSAPublicKey(key.getModulus(), key.getPublicExponent()).getEncoded();
    }

    private static byte[] pem(String type, byte[] der) throws Exception {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertVerifies(JwtVerifier verifier) throws Exception {
        assertTrue(verifier.verify(token("{'exp':" + (NOW + 60) + ",'join_hub':true}"), NOW).joinHub());
    }

    @Test
    void pkcs1DerFromFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("public.der");
        Files.write(file, pkcs1Der());
        assertVerifies(JwtVerifier.fromFile(file));
    }

    @Test
    void pkcs1Pem() throws Exception {
        byte[] pem = pem("RSA PUBLIC KEY", pkcs1Der());
        assertTrue(new String(pem, StandardCharsets.US_ASCII).startsWith("-----BEGIN RSA PUBLIC KEY-----"));
        assertVerifies(JwtVerifier.fromBytes(pem));
    }

    @Test
    void spkiDer() throws Exception {
        assertVerifies(JwtVerifier.fromBytes(KEYS.getPublic().getEncoded()));
    }

    @Test
    void spkiPemWithLeadingWhitespace() throws Exception {
        byte[] pem = pem("PUBLIC KEY", KEYS.getPublic().getEncoded());
        byte[] padded = ("\n  " + new String(pem, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        assertVerifies(JwtVerifier.fromBytes(padded));
    }

    @Test
    void otherKeyDoesNotVerify() throws Exception {
        JwtVerifier other = JwtVerifier.fromBytes(OTHER_KEYS.getPublic().getEncoded());
        assertThrows(SfuError.class,
                () -> other.verify(token("{'exp':" + (NOW + 60) + ",'join_hub':true}"), NOW));
    }

    @Test
    void badKeys(@TempDir Path dir) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> JwtVerifier.fromBytes(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> JwtVerifier.fromBytes("hello".getBytes()));
        assertThrows(IllegalArgumentException.class,
                () -> JwtVerifier.fromBytes(pem("RSA PUBLIC KEY", new byte[] {1, 2, 3})));
        assertThrows(IllegalArgumentException.class, () -> JwtVerifier.fromBytes(KEYS.getPrivate().getEncoded()));
        assertThrows(IllegalArgumentException.class,
                () -> JwtVerifier.fromBytes(pem("PRIVATE KEY", KEYS.getPrivate().getEncoded())));
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        assertThrows(IllegalArgumentException.class,
                () -> JwtVerifier.fromBytes(ec.generateKeyPair().getPublic().getEncoded()));
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        assertThrows(IllegalArgumentException.class,
                () -> JwtVerifier.fromBytes(small.generateKeyPair().getPublic().getEncoded()));
        assertThrows(java.io.IOException.class, () -> JwtVerifier.fromFile(dir.resolve("missing.der")));
    }
}
