package org.janussfu.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks the {@code jsep} element of a {@code message} request the way Janus core does before a plugin sees
 * it: an object with a known {@code type} and a string {@code sdp} that has the shape of an SDP session
 * description (RFC 8866 §5: {@code v=0} first, then {@code <letter>=<value>} lines). Full parsing belongs
 * to the media plane. Stateless; any thread.
 */
final class JsepValidator {
    /** Generous bound: browser offers are a few KB; anything beyond this is not a real SDP. */
    static final int MAX_SDP_LENGTH = 128 * 1024;

    private JsepValidator() {
    }

    /** Returns the JSEP, or null when the request has none; throws the Janus error for a bad one. */
    static Jsep parse(JsonNode node) throws JanusException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw JanusException.wrongType("jsep", "an object");
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || typeNode.isNull()) {
            throw JanusException.missing("type");
        }
        if (!typeNode.isTextual()) {
            throw JanusException.wrongType("type", "a string");
        }
        Jsep.Type type = Jsep.Type.parse(typeNode.asText());
        if (type == null) {
            throw new JanusException(JanusError.JSEP_UNKNOWN_TYPE,
                    "JSEP error: unknown message type '" + typeNode.asText() + "'");
        }
        JsonNode sdpNode = node.get("sdp");
        if (sdpNode == null || sdpNode.isNull()) {
            throw JanusException.missing("sdp");
        }
        if (!sdpNode.isTextual()) {
            throw JanusException.wrongType("sdp", "a string");
        }
        String sdp = sdpNode.asText();
        if (!looksLikeSdp(sdp)) {
            throw new JanusException(JanusError.JSEP_INVALID_SDP, "JSEP error: invalid SDP");
        }
        JsonNode trickle = node.get("trickle");
        boolean trickles = trickle == null || !trickle.isBoolean() || trickle.asBoolean();
        return new Jsep(type, sdp, trickles);
    }

    static boolean looksLikeSdp(String sdp) {
        if (sdp.length() > MAX_SDP_LENGTH || !sdp.startsWith("v=0")) {
            return false;
        }
        boolean media = false;
        int start = 0;
        int n = sdp.length();
        while (start < n) {
            int end = sdp.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            int lineEnd = end > start && sdp.charAt(end - 1) == '\r' ? end - 1 : end;
            if (lineEnd > start) {
                char c = sdp.charAt(start);
                if (lineEnd - start < 2 || c < 'a' || c > 'z' || sdp.charAt(start + 1) != '=') {
                    return false;
                }
                media |= c == 'm';
            }
            start = end + 1;
        }
        return media;
    }
}
