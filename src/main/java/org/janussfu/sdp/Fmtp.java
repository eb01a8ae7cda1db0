package org.janussfu.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code a=fmtp:<format> <format specific parameters>} (RFC 8866 §6.15) for an RTP payload type. The parameter
 * text is kept verbatim (the SFU's answers need exact spacing, e.g. {@code stereo=0; sprop-stereo=0; usedtx=1;});
 * {@link #parameters()} offers the usual {@code key=value;...} reading with lower-case keys. Immutable value; any
 * thread.
 */
public record Fmtp(int payloadType, String parameterText) {

    public Fmtp {
        Objects.requireNonNull(parameterText, "parameterText");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType);
        }
    }

    public static Fmtp parse(String attributeValue) throws SdpException {
        if (attributeValue == null) {
            throw new SdpException("a=fmtp without value");
        }
        String[] parts = SdpTokens.splitFirst(attributeValue.strip());
        int pt = SdpTokens.parsePayloadType(parts[0]);
        return new Fmtp(pt, parts[1] == null ? "" : parts[1]);
    }

    /**
     * The {@code ;}-separated {@code key=value} pairs, keys lower-cased, values trimmed, in order; a token without
     * {@code =} (e.g. telephone-event's {@code 0-15}) maps to the empty string. Later duplicates win.
     */
    public Map<String, String> parameters() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String token : parameterText.split(";")) {
            String t = token.strip();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq < 0) {
                out.put(t.toLowerCase(Locale.ROOT), "");
            } else {
                out.put(t.substring(0, eq).strip().toLowerCase(Locale.ROOT), t.substring(eq + 1).strip());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** One parameter by (case-insensitive) name, or null. */
    public String parameter(String name) {
        return parameters().get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return parameterText.isEmpty() ? Integer.toString(payloadType) : payloadType + " " + parameterText;
    }
}
