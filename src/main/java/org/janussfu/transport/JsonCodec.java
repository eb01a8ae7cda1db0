package org.janussfu.transport;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.core.JanusError;
import org.janussfu.core.JanusException;

/**
 * Turns transport frames into Janus request objects and replies back into text, with Janus' own error
 * wording for bad input (454 {@code JSON error: on line N: ...}, 455 {@code JSON error: not an object}).
 * Stateless and thread-safe (one shared Jackson mapper).
 */
final class JsonCodec {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonCodec() {
    }

    static ObjectNode parseRequest(String text) throws JanusException {
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
            // Trees built from JsonNodeFactory always serialise; this is a programming error.
            throw new IllegalStateException(e);
        }
    }
}
