package org.janussfu.admin;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.core.JanusError;
import org.janussfu.core.JanusException;
import org.janussfu.core.Utf8;

/**
 * JSON in and out of the Admin API, with the same strictness and wording as the Janus API's transports: a frame
 * that does not parse is a 454 {@code JSON error: on line N: ...}, one that is not an object a 455
 * {@code JSON error: not an object}; nesting is bounded. Field readers answer Janus' 456 {@code Missing mandatory
 * element (x)} and 467 {@code Invalid element type (x should be ...)}. Stateless and thread-safe (one shared mapper).
 */
final class AdminJson {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Deeper nesting than any admin request needs is refused by the parser (a bounded stack). */
    private static final int MAX_DEPTH = 32;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
    }

    private AdminJson() {
    }

    static ObjectNode parse(String text) throws JanusException {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int line = loc == null ? 1 : Math.max(1, loc.getLineNr());
            throw new JanusException(JanusError.INVALID_JSON, "JSON error: on line " + line + ": " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new JanusException(JanusError.INVALID_JSON, "JSON error: on line 1: empty input");
        }
        if (!node.isObject()) {
            throw new JanusException(JanusError.INVALID_JSON_OBJECT, "JSON error: not an object");
        }
        return (ObjectNode) node;
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // trees built from JsonNodeFactory always serialise
        }
    }

    /** {"janus":name[,"session_id":s][,"transaction":tx]} in Janus' key order (the public API's envelope). */
    static ObjectNode envelope(String janus, long sessionId, String transaction) {
        return org.janussfu.core.Replies.envelope(janus, sessionId, transaction);
    }

    static ObjectNode error(long sessionId, String transaction, JanusError error, String reason) {
        ObjectNode o = envelope("error", sessionId, transaction);
        ObjectNode e = o.putObject("error");
        e.put("code", error.code());
        e.put("reason", reason);
        return o;
    }

    static JanusException missing(String field) {
        return new JanusException(JanusError.MISSING_MANDATORY_ELEMENT, "Missing mandatory element (" + field + ")");
    }

    static JanusException wrongType(String field, String expected) {
        return new JanusException(JanusError.INVALID_ELEMENT_TYPE, "Invalid element type (" + field + " should be " + expected + ")");
    }

    /** A required string of at most {@code maxBytes} UTF-8 bytes. */
    static String requiredText(ObjectNode req, String field, int maxBytes) throws JanusException {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) {
            throw missing(field);
        }
        if (!n.isTextual()) {
            throw wrongType(field, "a string");
        }
        if (!Utf8.fits(n.textValue(), maxBytes)) {
            throw wrongType(field, "a string of at most " + maxBytes + " bytes");
        }
        return n.textValue();
    }

    /** A required non-negative integer no larger than {@code max} (Janus' JANUS_JSON_PARAM_POSITIVE). */
    static long requiredPositive(ObjectNode req, String field, long max) throws JanusException {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) {
            throw missing(field);
        }
        if (!n.isIntegralNumber()) {
            throw wrongType(field, "an integer");
        }
        if (!n.canConvertToLong() || n.longValue() < 0) {
            throw wrongType(field, "a positive integer");
        }
        if (n.longValue() > max) {
            throw wrongType(field, "a positive integer of at most " + max);
        }
        return n.longValue();
    }

    /**
     * A non-negative integer as Janus validates {@code JANUS_JSON_PARAM_POSITIVE} fields (a wrong type or a negative
     * value are both 467 {@code (f should be a positive integer)}), at most {@code max}; -1 when absent and optional.
     */
    static long positive(ObjectNode req, String field, boolean required, long max) throws JanusException {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw missing(field);
            }
            return -1;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw wrongType(field, "a positive integer");
        }
        if (n.longValue() > max) {
            throw wrongType(field, "a positive integer of at most " + max);
        }
        return n.longValue();
    }

    /** An optional string field (null when absent); 467 {@code (f should be a string)} for another type. */
    static String optionalText(ObjectNode req, String field) throws JanusException {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw wrongType(field, "a string");
        }
        return n.textValue();
    }

    /** An optional boolean field (false when absent); 467 {@code (f should be a boolean)} for another type. */
    static boolean optionalBool(ObjectNode req, String field) throws JanusException {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw wrongType(field, "a boolean");
        }
        return n.booleanValue();
    }

    /** A string field's value, or null when absent or not a string. */
    static String text(ObjectNode req, String field) {
        JsonNode n = req.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }
}
