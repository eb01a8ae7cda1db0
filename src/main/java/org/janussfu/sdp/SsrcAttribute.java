package org.janussfu.sdp;

import java.util.Objects;

/**
 * {@code a=ssrc:<ssrc-id> <attribute>[:<value>]} (RFC 5576 §4.1), e.g. {@code cname} (RFC 5576 §6.1) or the
 * legacy {@code msid}. The SSRC is an unsigned 32-bit number held in a {@code long}. Immutable value; any thread.
 */
public record SsrcAttribute(long ssrc, String attribute, String value) {

    public SsrcAttribute {
        Objects.requireNonNull(attribute, "attribute");
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ssrc " + ssrc);
        }
    }

    public static SsrcAttribute parse(String attributeValue) throws SdpException {
        if (attributeValue == null) {
            throw new SdpException("a=ssrc without value");
        }
        String[] parts = SdpTokens.splitFirst(attributeValue.strip());
        long ssrc = SdpTokens.parseLong(parts[0], 0xFFFF_FFFFL, "ssrc");
        if (parts[1] == null) {
            throw new SdpException("a=ssrc:" + ssrc + " without attribute");
        }
        int colon = parts[1].indexOf(':');
        if (colon < 0) {
            return new SsrcAttribute(ssrc, parts[1], null);
        }
        return new SsrcAttribute(ssrc, parts[1].substring(0, colon), parts[1].substring(colon + 1));
    }

    @Override
    public String toString() {
        return ssrc + " " + attribute + (value == null ? "" : ":" + value);
    }
}
