package org.janussfu.sfu;

import static org.janussfu.testing.FuzzChecks.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.janussfu.testing.FuzzChecks;

/**
 * Coverage-guided fuzz target (Jazzer, docs/fuzzing.md) for the Hubs join/kick token check ({@link JwtVerifier},
 * RS512 JWTs, sfu-protocol.md §5.2). An input starting with byte 0 is {@code header-json \n claims-json}, which the
 * target signs with the verifier's key — the claims parser as a (mis)behaving issuer reaches it; any other input is
 * the token text as a client sends it. Invariants: nothing but {@link SfuError} with the invalid-token reason escapes;
 * an accepted token has {@code exp} not in the past and string room ids. Seeds: a Hubs (Reticulum) token shape, its
 * unsigned/alg-none forms and the signed-mode header/claims. JUnit thread.
 */
class JwtVerifierFuzzTest {
    static final long NOW = 1_700_000_000L;
    private static final KeyPair KEYS = keys();
    private static final JwtVerifier VERIFIER = new JwtVerifier((RSAPublicKey) KEYS.getPublic());
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void verifyToken(byte[] data) throws GeneralSecurityException {
        String token;
        if (data.length > 0 && data[0] == 0) {
            byte[] rest = Arrays.copyOfRange(data, 1, data.length);
            int nl = indexOf(rest, (byte) '\n');
            byte[] header = nl < 0 ? rest : Arrays.copyOf(rest, nl);
            byte[] claims = nl < 0 ? new byte[0] : Arrays.copyOfRange(rest, nl + 1, rest.length);
            token = sign(B64.encodeToString(header) + "." + B64.encodeToString(claims));
        } else {
            token = FuzzChecks.utf8(data);
        }
        JwtClaims claims;
        try {
            claims = VERIFIER.verify(token, NOW);
        } catch (SfuError e) {
            require(SfuError.INVALID_TOKEN.equals(e.getMessage()), "unexpected SfuError " + e.getMessage());
            return;
        }
        require(claims.roomIds() == null || claims.roomIds().stream().allMatch(id -> id != null),
                "null room id accepted");
    }

    private static String sign(String signingInput) throws GeneralSecurityException {
        Signature s = Signature.getInstance("SHA512withRSA");
        s.initSign(KEYS.getPrivate());
        s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64.encodeToString(s.sign());
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** Regenerates the seed corpus (run from the project root). */
    public static void main(String[] args) throws GeneralSecurityException {
        String header = "{\"alg\":\"RS512\",\"typ\":\"JWT\"}";
        String claims = "{\"aud\":\"ret\",\"exp\":1800000000,\"iat\":1690000000,\"iss\":\"ret\",\"jti\":"
                + "\"1a2b3c4d-0000-4000-8000-123456789abc\",\"join_hub\":true,\"kick_users\":true,\"nbf\":1690000000,"
                + "\"room_ids\":[\"Zx3fTqA\",\"hub2\"],\"sub\":\"1077617593237995521\",\"typ\":\"access\"}";
        Map<String, byte[]> s = new LinkedHashMap<>();
        String signed = sign(B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)));
        s.put("hubs-token-other-key", signed.getBytes(StandardCharsets.US_ASCII));
        s.put("alg-none", (B64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".").getBytes(StandardCharsets.US_ASCII));
        s.put("signed-hubs-claims", ("\0" + header + "\n" + claims).getBytes(StandardCharsets.UTF_8));
        s.put("signed-expired", ("\0" + header + "\n{\"exp\":1,\"join_hub\":true}").getBytes(StandardCharsets.UTF_8));
        s.put("signed-bad-types", ("\0{\"alg\":\"RS512\",\"kid\":5}\n{\"exp\":1800000000,\"room_ids\":\"x\","
                + "\"kick_users\":1}").getBytes(StandardCharsets.UTF_8));
        FuzzChecks.writeSeeds(JwtVerifierFuzzTest.class, "verifyToken", s);
    }
}
