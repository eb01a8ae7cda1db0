package org.janussfu.sfu;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;

/**
 * Verifies the RS512 JSON Web Tokens of join and kick requests (sfu-protocol.md §5.2; RFC 7519 JWT, RFC 7518
 * §3.3 RS512, RFC 7515 §7.1 compact serialization), with the semantics of the original's jsonwebtoken 7.2.0
 * {@code Validation::new(RS512)}: header {@code alg} exactly {@code RS512}; signature over
 * {@code base64url(header) "." base64url(payload)}; {@code exp} required, an integer, and ≥ now (leeway 0);
 * {@code nbf}/{@code iat}/{@code iss}/{@code sub}/{@code aud} not checked. Claims of the wrong JSON type make the
 * token invalid.
 *
 * <p>Created once at start from the configured {@code auth_key} file and owned by the plugin; immutable and
 * thread-safe (each {@link #verify} uses its own {@link Signature} instance). Uses the JDK's providers for RSA;
 * Bouncy Castle is used only to decode the key's ASN.1/PEM and is not registered as a provider.
 *
 * <p>Key formats: PKCS#1 {@code RSAPublicKey} (the original's only format, §5.1) or X.509
 * {@code SubjectPublicKeyInfo}, each as DER or PEM. Like the original (ring's
 * {@code RSA_PKCS1_2048_8192_SHA512}) the modulus must have 2048 to 8192 bits; other keys are refused at load
 * instead of silently rejecting every token.
 */
public final class JwtVerifier {

    static final int MIN_MODULUS_BITS = 2048;
    static final int MAX_MODULUS_BITS = 8192;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final PublicKey key;

    /** @param key an RSA public key with a 2048–8192 bit modulus */
    public JwtVerifier(java.security.interfaces.RSAPublicKey key) {
        int bits = key.getModulus().bitLength();
        if (bits < MIN_MODULUS_BITS || bits > MAX_MODULUS_BITS) {
            throw new IllegalArgumentException("RSA key must have 2048 to 8192 bits, not " + bits);
        }
        this.key = key;
    }

    /** Loads the key file named by {@code auth_key} (any of the four encodings). */
    public static JwtVerifier fromFile(Path path) throws IOException {
        try {
            return fromBytes(Files.readAllBytes(path));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a public key: PEM ({@code -----BEGIN RSA PUBLIC KEY-----} or {@code -----BEGIN PUBLIC KEY-----}) or
     * DER (PKCS#1 {@code RSAPublicKey} or {@code SubjectPublicKeyInfo}).
     *
     * @throws IllegalArgumentException if the bytes are not an RSA public key in one of these forms
     */
    public static JwtVerifier fromBytes(byte[] encoded) {
        RSAPublicKey rsa = isPem(encoded) ? fromPem(encoded) : fromDer(encoded);
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            PublicKey key = factory.generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            return new JwtVerifier((java.security.interfaces.RSAPublicKey) key);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable RSA public key: " + e.getMessage(), e);
        }
    }

    /**
     * Verifies {@code token} at time {@code nowEpochSeconds} (§5.2).
     *
     * @throws SfuError {@link SfuError#INVALID_TOKEN} when the token is malformed, not RS512, badly signed,
     *     expired, lacks {@code exp}, or carries claims of the wrong type
     */
    public JwtClaims verify(String token, long nowEpochSeconds) throws SfuError {
        if (token == null) {
            throw SfuError.invalidToken();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw SfuError.invalidToken();
        }
        JsonNode header = decodeObject(parts[0]);
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual() || !"RS512".equals(alg.textValue()) || !headerTypesOk(header)) {
            throw SfuError.invalidToken();
        }
        byte[] signature = decode(parts[2]);
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        if (!signatureValid(signed, signature)) {
            throw SfuError.invalidToken();
        }
        JsonNode claims = decodeObject(parts[1]);
        JsonNode exp = claims.get("exp");
        if (exp == null || !exp.isIntegralNumber() || !exp.canConvertToLong() || exp.longValue() < nowEpochSeconds) {
            throw SfuError.invalidToken();
        }
        return new JwtClaims(bool(claims, "join_hub"), bool(claims, "kick_users"), roomIds(claims));
    }

    private boolean signatureValid(byte[] signed, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA512withRSA");
            verifier.initVerify(key);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** jsonwebtoken's {@code Header}: the optional string members must be strings when present. */
    private static boolean headerTypesOk(JsonNode header) {
        for (String name : new String[] {"typ", "cty", "jku", "kid", "x5u", "x5t"}) {
            JsonNode value = header.get(name);
            if (value != null && !value.isNull() && !value.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static boolean bool(JsonNode claims, String name) throws SfuError {
        JsonNode value = claims.get(name);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw SfuError.invalidToken();
        }
        return value.booleanValue();
    }

    private static List<String> roomIds(JsonNode claims) throws SfuError {
        JsonNode value = claims.get("room_ids");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw SfuError.invalidToken();
        }
        List<String> ids = new ArrayList<>(value.size());
        for (JsonNode id : value) {
            if (!id.isTextual()) {
                throw SfuError.invalidToken();
            }
            ids.add(id.textValue());
        }
        return ids;
    }

    private static JsonNode decodeObject(String part) throws SfuError {
        byte[] bytes = decode(part);
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw SfuError.invalidToken();
            }
            return node;
        } catch (IOException e) {
            throw SfuError.invalidToken();
        }
    }

    /** RFC 7515 §2: base64url without padding. */
    private static byte[] decode(String part) throws SfuError {
        if (part.indexOf('=') >= 0) {
            throw SfuError.invalidToken();
        }
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw SfuError.invalidToken();
        }
    }

    private static boolean isPem(byte[] encoded) {
        String start = new String(encoded, 0, Math.min(encoded.length, 64), StandardCharsets.US_ASCII).strip();
        return start.startsWith("-----BEGIN");
    }

    private static RSAPublicKey fromPem(byte[] encoded) {
        Object object;
        String text = new String(encoded, StandardCharsets.US_ASCII).strip();
        try (PEMParser pem = new PEMParser(new StringReader(text))) {
            object = pem.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable PEM public key: " + e.getMessage(), e);
        }
        // PEMParser turns both "RSA PUBLIC KEY" (PKCS#1) and "PUBLIC KEY" blocks into a SubjectPublicKeyInfo.
        if (!(object instanceof SubjectPublicKeyInfo info)) {
            throw new IllegalArgumentException("PEM does not hold a public key");
        }
        return fromSpki(info);
    }

    private static RSAPublicKey fromDer(byte[] encoded) {
        ASN1Sequence sequence;
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(encoded);
            if (primitive == null) {
                throw new IllegalArgumentException("empty key");
            }
            sequence = ASN1Sequence.getInstance(primitive);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable DER public key: " + e.getMessage(), e);
        }
        ASN1Encodable first = sequence.size() == 2 ? sequence.getObjectAt(0) : null;
        if (first instanceof ASN1Integer) {
            return RSAPublicKey.getInstance(sequence);
        }
        if (first instanceof ASN1Sequence) {
            return fromSpki(SubjectPublicKeyInfo.getInstance(sequence));
        }
        throw new IllegalArgumentException("DER is neither an RSAPublicKey nor a SubjectPublicKeyInfo");
    }

    private static RSAPublicKey fromSpki(SubjectPublicKeyInfo info) {
        if (!PKCSObjectIdentifiers.rsaEncryption.equals(info.getAlgorithm().getAlgorithm())) {
            throw new IllegalArgumentException("public key is not RSA: " + info.getAlgorithm().getAlgorithm());
        }
        try {
            return RSAPublicKey.getInstance(info.parsePublicKey());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed RSA public key: " + e.getMessage(), e);
        }
    }
}
