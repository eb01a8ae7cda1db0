package org.janussfu.transport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.core.JanusError;
import org.janussfu.core.JanusException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns transport frames into Janus request objects and replies back into text, strictly: the input must be
 * valid UTF-8 (RFC 3629: no overlong forms, no surrogates) holding exactly one JSON value (RFC 8259 §2) that is
 * an object, within the nesting and number-length limits below. Bad input gets Janus' error shape in our own
 * words (454 {@code JSON error: on line N: <what>}, 455 {@code JSON error: not an object}), never a parser's
 * internal message. Stateless and thread-safe (one shared Jackson mapper; a decoder per call).
 */
final class JsonCodec {
    /** Deepest nesting of objects and arrays a request may have (Janus requests nest 4 levels). */
    static final int MAX_NESTING = 64;
    /** Longest number literal in characters. */
    static final int MAX_NUMBER_LENGTH = 64;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING).maxNumberLength(MAX_NUMBER_LENGTH).build())
            .build());

    /** Input that is not UTF-8; {@code offset} is the first bad byte, {@code line} its 1-based line. */
    static final class InvalidUtf8 extends Exception {
        final int offset;
        final int line;

        InvalidUtf8(int offset, int line) {
            super(null, null, false, false);
            this.offset = offset;
            this.line = line;
        }
    }

    private JsonCodec() {
    }

    /** Decodes strictly, rejecting malformed and unmappable sequences (the JDK decoder follows RFC 3629). */
    static String decodeUtf8(byte[] bytes) throws InvalidUtf8 {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new InvalidUtf8(at, line);
        }
        d.flush(out);
        out.flip();
        return out.toString();
    }

    /** Parses an HTTP body or WebSocket message given as bytes. */
    static ObjectNode parseRequest(byte[] utf8) throws JanusException {
        String text;
        try {
            text = decodeUtf8(utf8);
        } catch (InvalidUtf8 e) {
            throw new JanusException(JanusError.INVALID_JSON,
                    "JSON error: on line " + e.line + ": invalid UTF-8 at byte " + e.offset);
        }
        return parseRequest(text);
    }

    static ObjectNode parseRequest(String text) throws JanusException {
        if (text == null || text.isBlank()) {
            throw new JanusException(JanusError.INVALID_JSON, "JSON error: on line 1: empty input");
        }
        JsonNode node;
        try (JsonParser p = MAPPER.createParser(text)) {
            node = MAPPER.readTree(p);
            // RFC 8259 §2: a JSON text is exactly one value; anything after it but whitespace is refused.
            JsonToken after;
            try {
                after = p.nextToken();
            } catch (JsonProcessingException e) {
                after = JsonToken.NOT_AVAILABLE;
            }
            if (after != null) {
                JsonLocation loc = p.currentTokenLocation();
                throw new JanusException(JanusError.INVALID_JSON, "JSON error: on line " + Math.max(1, loc.getLineNr())
                        + ": data after the JSON value at column " + Math.max(1, loc.getColumnNr()));
            }
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int line = loc == null ? 1 : Math.max(1, loc.getLineNr());
            int column = loc == null ? 1 : Math.max(1, loc.getColumnNr());
            throw new JanusException(JanusError.INVALID_JSON, "JSON error: on line " + line + ": " + describe(e, column));
        } catch (java.io.IOException e) {
            throw new JanusException(JanusError.INVALID_JSON, "JSON error: on line 1: unreadable input");
        }
        if (node == null || node.isMissingNode()) {
            throw new JanusException(JanusError.INVALID_JSON, "JSON error: on line 1: empty input");
        }
        if (!node.isObject()) {
            throw new JanusException(JanusError.INVALID_JSON_OBJECT, "JSON error: not an object");
        }
        return (ObjectNode) node;
    }

    /** Our own words for what is wrong, by the kind of parser error (its message is never shown). */
    static String describe(JsonProcessingException e, int column) {
        String m = String.valueOf(e.getOriginalMessage());
        if (e instanceof StreamConstraintsException) {
            if (m.contains("esting")) {
                return "nested deeper than " + MAX_NESTING + " levels";
            }
            if (m.contains("umber")) {
                return "number longer than " + MAX_NUMBER_LENGTH + " characters";
            }
            return "value over a size limit";
        }
        if (e instanceof JsonEOFException || m.startsWith("Unexpected end")) {
            return "unexpected end of input";
        }
        if (m.startsWith("Illegal unquoted character") || m.startsWith("Illegal character")) {
            return "control character in a string at column " + column;
        }
        if (m.startsWith("Unrecognized character escape") || m.contains("escape sequence")) {
            return "invalid escape at column " + column;
        }
        if (m.startsWith("Invalid numeric value") || m.startsWith("Numeric value") || m.startsWith("Non-standard token")) {
            return "invalid number at column " + column;
        }
        if (m.startsWith("Unrecognized token")) {
            return "unrecognized token at column " + column;
        }
        return "unexpected character at column " + column;
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // Trees built from JsonNodeFactory always serialise; this is a programming error.
            throw new IllegalStateException(e);
        }
    }

    static byte[] writeBytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
