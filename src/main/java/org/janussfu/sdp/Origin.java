package org.janussfu.sdp;

import java.util.List;
import java.util.Objects;

/**
 * The {@code o=} line (RFC 8866 §5.2): {@code <username> <sess-id> <sess-version> <nettype> <addrtype>
 * <unicast-address>}. Session id and version are kept as text because browsers send 64-bit unsigned values that do
 * not fit a Java {@code long}; they are checked to be decimal digits only. JSEP (RFC 8829 §5.2.2) requires the
 * version to grow by one for every new offer or answer of the same session, which the owner of the session must do
 * through {@link #withVersion}. Immutable value; any thread.
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
                     String address) {

    public Origin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionVersion, "sessionVersion");
        Objects.requireNonNull(netType, "netType");
        Objects.requireNonNull(addrType, "addrType");
        Objects.requireNonNull(address, "address");
    }

    /**
     * The JSEP form {@code - <id> <version> IN IP4 127.0.0.1}. RFC 8829 §5.2.1 wants username {@code -}, a session
     * id below 2^63 and a non-meaningful address; browsers and Janus use 127.0.0.1.
     */
    public static Origin jsep(long sessionId, long sessionVersion) {
        if (sessionId < 0 || sessionVersion < 0) {
            throw new IllegalArgumentException("session id and version must be non-negative");
        }
        return new Origin("-", Long.toString(sessionId), Long.toString(sessionVersion), "IN", "IP4", "127.0.0.1");
    }

    public Origin withVersion(long version) {
        if (version < 0) {
            throw new IllegalArgumentException("version must be non-negative");
        }
        return new Origin(username, sessionId, Long.toString(version), netType, addrType, address);
    }

    static Origin parse(String value) throws SdpException {
        List<String> t = SdpTokens.split(value);
        if (t.size() != 6) {
            throw new SdpException("o= needs 6 fields, got " + t.size());
        }
        // sess-id and sess-version are numeric strings (RFC 8866 §5.2); 20 digits covers 2^64.
        requireDigits(t.get(1), "o= session id");
        requireDigits(t.get(2), "o= session version");
        return new Origin(t.get(0), t.get(1), t.get(2), t.get(3), t.get(4), t.get(5));
    }

    private static void requireDigits(String s, String what) throws SdpException {
        if (s.isEmpty() || s.length() > 20) {
            throw new SdpException("bad " + what);
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new SdpException("bad " + what);
            }
        }
    }

    @Override
    public String toString() {
        return username + " " + sessionId + " " + sessionVersion + " " + netType + " " + addrType + " " + address;
    }
}
