package org.janussfu.transport;

import static org.janussfu.testing.FuzzChecks.bounded;
import static org.janussfu.testing.FuzzChecks.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.janussfu.core.JanusError;
import org.janussfu.core.JanusException;
import org.janussfu.testing.FuzzChecks;

/**
 * Coverage-guided fuzz target (Jazzer, docs/fuzzing.md) for Janus API requests as both transports parse them: a
 * WebSocket text frame or an HTTP body, decoded as UTF-8 and handed to {@link JsonCodec#parseRequest}. Invariants:
 * nothing but {@link JanusException} with 454 (invalid JSON) or 455 (not an object) escapes, and its reason starts
 * with Janus' {@code JSON error: } wording; an accepted request written back with {@link JsonCodec#write} re-parses,
 * and the second write is identical to the first (parse → write → parse); the written text stays within a bounded
 * multiple of the input. The core's field-level validation has its own target ({@code core.RequestFuzzTest}). Seeds:
 * the requests janus.js, minijanus and naf-janus-adapter send (create, attach, message with JSEP, trickle, keepalive,
 * destroy, info). JUnit thread.
 */
class JsonCodecFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parseRequest(byte[] data) {
        String text = FuzzChecks.utf8(data);
        ObjectNode req;
        try {
            req = JsonCodec.parseRequest(text);
        } catch (JanusException e) {
            require(e.error() == JanusError.INVALID_JSON || e.error() == JanusError.INVALID_JSON_OBJECT,
                    "unexpected error " + e.error());
            require(e.reason().startsWith("JSON error: "), "reason wording: " + e.reason());
            return;
        }
        String written = JsonCodec.write(req);
        bounded(written.length(), text.length(), 16, "written request");
        ObjectNode again;
        try {
            again = JsonCodec.parseRequest(written);
        } catch (JanusException e) {
            throw new AssertionError("own output does not parse: " + e.reason() + "\n" + written, e);
        }
        require(JsonCodec.write(again).equals(written), "write(parse(write)) differs");
    }

    /** Regenerates the seed corpus (run from the project root). */
    public static void main(String[] args) {
        String[] requests = {
            "{\"janus\":\"create\",\"transaction\":\"Xy1\"}",
            "{\"janus\":\"attach\",\"session_id\":4242424242,\"plugin\":\"janus.plugin.sfu\",\"opaque_id\":\"hubs\","
                + "\"transaction\":\"a1\"}",
            "{\"janus\":\"message\",\"session_id\":1,\"handle_id\":2,\"transaction\":\"m\",\"body\":{\"kind\":\"join\","
                + "\"room_id\":\"r\",\"user_id\":\"u\",\"subscribe\":{\"notifications\":true,\"data\":true}},"
                + "\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\\r\\n\"}}",
            "{\"janus\":\"trickle\",\"session_id\":1,\"handle_id\":2,\"transaction\":\"t\",\"candidate\":{\"sdpMid\":\"0\","
                + "\"sdpMLineIndex\":0,\"candidate\":\"candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host\"}}",
            "{\"janus\":\"trickle\",\"session_id\":1,\"handle_id\":2,\"transaction\":\"t2\",\"candidate\":{\"completed\":true}}",
            "{\"janus\":\"keepalive\",\"session_id\":1,\"transaction\":\"k\"}",
            "{\"janus\":\"destroy\",\"session_id\":1,\"transaction\":\"d\",\"apisecret\":\"s\",\"token\":\"x\"}",
            "{\"janus\":\"info\",\"transaction\":\"i\"}",
            "{\"janus\":\"ping\",\"transaction\":\"\\u20ac\\ud83d\\ude00\",\"session_id\":1.5e3,\"n\":[null,true,-0,1e400]}",
            "[1,2]",
            "{\"janus\":",
        };
        Map<String, byte[]> s = new LinkedHashMap<>();
        for (String r : requests) {
            byte[] b = r.getBytes(StandardCharsets.UTF_8);
            s.put(FuzzChecks.name("req", b), b);
        }
        FuzzChecks.writeSeeds(JsonCodecFuzzTest.class, "parseRequest", s);
    }
}
