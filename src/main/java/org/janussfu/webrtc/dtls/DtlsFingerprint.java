package org.janussfu.webrtc.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * A certificate fingerprint as carried in SDP {@code a=fingerprint:<hash-func> <hex>} (RFC 8122 §5): the hash
 * function's textual name (lowercase, e.g. {@code sha-256}) and the digest of the DER certificate as uppercase,
 * colon-separated hex. We accept sha-1, sha-256, sha-384 and sha-512 from a peer (RFC 8122 §5 says sha-256 or
 * stronger SHOULD be used, but older endpoints still send sha-1) and always produce sha-256 ourselves. The peer's
 * certificate is checked against it during the DTLS handshake (RFC 8842 §5.1). Immutable; any thread.
 */
public record DtlsFingerprint(String algorithm, String value) {

    public DtlsFingerprint {
        algorithm = algorithm == null ? null : algorithm.toLowerCase(Locale.ROOT);
        jcaName(algorithm);
        value = value == null ? null : value.toUpperCase(Locale.ROOT);
        if (value == null || parseHex(value) == null) {
            throw new IllegalArgumentException("fingerprint must be colon-separated hex byte pairs");
        }
    }

    /**
     * Parses the value of an SDP {@code a=fingerprint} attribute, {@code "sha-256 AB:CD:..."}.
     *
     * @throws IllegalArgumentException if malformed or the hash function is not supported
     */
    public static DtlsFingerprint parse(String sdpValue) {
        if (sdpValue == null) {
            throw new IllegalArgumentException("fingerprint is missing");
        }
        String s = sdpValue.trim();
        int space = s.indexOf(' ');
        if (space <= 0) {
            throw new IllegalArgumentException("fingerprint needs '<hash-func> <hex>'");
        }
        DtlsFingerprint fp = new DtlsFingerprint(s.substring(0, space), s.substring(space + 1).trim());
        if (parseHex(fp.value).length != digestLength(fp.algorithm)) {
            throw new IllegalArgumentException("fingerprint length does not match " + fp.algorithm);
        }
        return fp;
    }

    /** The fingerprint of a DER-encoded certificate with the given hash function. */
    public static DtlsFingerprint of(String algorithm, byte[] der) {
        byte[] digest = digest(algorithm, der);
        StringBuilder sb = new StringBuilder(digest.length * 3);
        for (int i = 0; i < digest.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.toUpperCase(Character.forDigit((digest[i] >> 4) & 0xf, 16)));
            sb.append(Character.toUpperCase(Character.forDigit(digest[i] & 0xf, 16)));
        }
        return new DtlsFingerprint(algorithm, sb.toString());
    }

    /** Whether this fingerprint matches the DER certificate (hashed with this fingerprint's algorithm). */
    public boolean matches(byte[] der) {
        byte[] expected = parseHex(value);
        return expected != null && MessageDigest.isEqual(expected, digest(algorithm, der));
    }

    /** The SDP attribute value, {@code "sha-256 AB:CD:..."}. */
    @Override
    public String toString() {
        return algorithm + " " + value;
    }

    private static byte[] digest(String algorithm, byte[] der) {
        try {
            return MessageDigest.getInstance(jcaName(algorithm)).digest(der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JCA lacks " + algorithm, e);
        }
    }

    private static int digestLength(String algorithm) {
        switch (algorithm) {
            case "sha-1": return 20;
            case "sha-256": return 32;
            case "sha-384": return 48;
            default: return 64;
        }
    }

    private static String jcaName(String algorithm) {
        if (algorithm != null) {
            switch (algorithm) {
                case "sha-1": return "SHA-1";
                case "sha-256": return "SHA-256";
                case "sha-384": return "SHA-384";
                case "sha-512": return "SHA-512";
                default: break;
            }
        }
        throw new IllegalArgumentException("unsupported fingerprint hash function: " + algorithm);
    }

    /** Bytes of "AB:CD:..." (case-insensitive), or null if malformed. */
    private static byte[] parseHex(String hex) {
        int n = (hex.length() + 1) / 3;
        if (n == 0 || hex.length() != n * 3 - 1) {
            return null;
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int p = i * 3;
            int hi = Character.digit(hex.charAt(p), 16);
            int lo = Character.digit(hex.charAt(p + 1), 16);
            if (hi < 0 || lo < 0 || (i + 1 < n && hex.charAt(p + 2) != ':')) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
