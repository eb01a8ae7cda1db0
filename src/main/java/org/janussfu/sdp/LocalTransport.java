package org.janussfu.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SFU's own ICE and DTLS parameters for one handle, as {@link JsepMerge} writes them: ICE credentials (RFC 8839
 * §5.4: ufrag at least 4, pwd at least 22 characters), the local certificate fingerprint (RFC 8122 §5), the DTLS
 * role (RFC 8842 §5: {@code actpass} in offers, {@code active}/{@code passive} in answers) and every gathered
 * candidate. Candidates may be given as {@code a=candidate:...}, {@code candidate:...} or the bare value; they are
 * stored as the bare attribute value. Immutable value; any thread.
 */
public record LocalTransport(String ufrag, String pwd, Fingerprint fingerprint, SetupRole setup,
                             List<String> candidates) {

    public LocalTransport {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(pwd, "pwd");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(setup, "setup");
        if (ufrag.length() < 4 || pwd.length() < 22 || hasBlankOrBreak(ufrag) || hasBlankOrBreak(pwd)) {
            throw new IllegalArgumentException("ICE ufrag/pwd too short or not ice-chars (RFC 8839 §5.4)");
        }
        List<String> normalized = new ArrayList<>(candidates.size());
        for (String c : candidates) {
            normalized.add(normalize(c));
        }
        candidates = List.copyOf(normalized);
    }

    static String normalize(String candidate) {
        String c = Objects.requireNonNull(candidate, "candidate").strip();
        if (c.startsWith("a=")) {
            c = c.substring(2);
        }
        if (c.regionMatches(true, 0, "candidate:", 0, 10)) {
            c = c.substring(10);
        }
        if (c.isEmpty() || c.indexOf('\r') >= 0 || c.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("bad candidate: '" + candidate + "'");
        }
        return c;
    }

    private static boolean hasBlankOrBreak(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }
}
