package org.janussfu.sdp;

import java.util.Objects;

/**
 * {@code a=rtcp-fb:<payload type|*> <type> [<parameter>]} (RFC 4585 §4.2; {@code ccm fir} from RFC 5104 §7.1,
 * {@code goog-remb} from draft-alvestrand-rmcat-remb). {@link #WILDCARD} stands for {@code *}. Immutable value; any
 * thread.
 */
public record RtcpFeedback(int payloadType, String type, String parameter) {
    public static final int WILDCARD = -1;

    public RtcpFeedback {
        Objects.requireNonNull(type, "type");
        if (payloadType < WILDCARD || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType);
        }
    }

    public static RtcpFeedback parse(String attributeValue) throws SdpException {
        if (attributeValue == null) {
            throw new SdpException("a=rtcp-fb without value");
        }
        String[] parts = SdpTokens.splitFirst(attributeValue.strip());
        int pt = "*".equals(parts[0]) ? WILDCARD : SdpTokens.parsePayloadType(parts[0]);
        if (parts[1] == null) {
            throw new SdpException("a=rtcp-fb without feedback type");
        }
        String[] rest = SdpTokens.splitFirst(parts[1]);
        return new RtcpFeedback(pt, rest[0], rest[1]);
    }

    /** {@code type} plus parameter as written, e.g. {@code nack pli}. */
    public String feedbackText() {
        return parameter == null ? type : type + " " + parameter;
    }

    public boolean appliesTo(int pt) {
        return payloadType == WILDCARD || payloadType == pt;
    }

    @Override
    public String toString() {
        return (payloadType == WILDCARD ? "*" : Integer.toString(payloadType)) + " " + feedbackText();
    }
}
