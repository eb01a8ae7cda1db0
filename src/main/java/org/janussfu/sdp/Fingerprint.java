package org.janussfu.sdp;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A certificate fingerprint, {@code a=fingerprint:<hash-func> <fingerprint>} (RFC 8122 §5): the hash algorithm
 * name (e.g. {@code sha-256}, kept lower case as registered) and the upper-case hex bytes separated by colons.
 * Immutable value; any thread.
 */
public record Fingerprint(String algorithm, String value) {

    public Fingerprint {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(value, "value");
    }

    /** Formats raw digest bytes as {@code AB:CD:...} (RFC 8122 §5, UHEX pairs joined by colons). */
    public static Fingerprint of(String algorithm, byte[] digest) {
        StringBuilder sb = new StringBuilder(digest.length * 3);
        for (int i = 0; i < digest.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.toUpperCase(Character.forDigit((digest[i] >> 4) & 0xF, 16)));
            sb.append(Character.toUpperCase(Character.forDigit(digest[i] & 0xF, 16)));
        }
        return new Fingerprint(algorithm.toLowerCase(Locale.ROOT), sb.toString());
    }

    public static Fingerprint parse(String attributeValue) throws SdpException {
        if (attributeValue == null) {
            throw new SdpException("a=fingerprint without value");
        }
        List<String> t = SdpTokens.split(attributeValue);
        if (t.size() != 2) {
            throw new SdpException("a=fingerprint needs '<hash-func> <fingerprint>'");
        }
        String fp = t.get(1);
        // RFC 8122 §5: 2UHEX *(":" 2UHEX); lower-case hex is tolerated on input.
        if (fp.length() < 2 || (fp.length() + 1) % 3 != 0) {
            throw new SdpException("bad fingerprint value");
        }
        for (int i = 0; i < fp.length(); i++) {
            char c = fp.charAt(i);
            boolean ok = (i % 3 == 2) ? c == ':' : Character.digit(c, 16) >= 0;
            if (!ok) {
                throw new SdpException("bad fingerprint value");
            }
        }
        return new Fingerprint(t.get(0), fp);
    }

    /** The attribute value: {@code sha-256 AB:CD:...}. */
    @Override
    public String toString() {
        return algorithm + " " + value;
    }
}
