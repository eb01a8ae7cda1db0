package org.janussfu.core;

import static org.janussfu.testing.FuzzChecks.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.janussfu.testing.FuzzChecks;

/**
 * Coverage-guided fuzz target (Jazzer, docs/fuzzing.md) for the dispatch-level validation the core applies to a
 * parsed Janus request before any session or handle is touched (what is reachable without a server): the strict
 * 53-bit ids of {@link RequestDispatcher#id}, the UTF-8 byte caps of {@link Utf8}, and the {@code jsep} element check
 * of {@link JsepValidator#parse} (type, SDP shape and size). Invariants: nothing but {@link JanusException} escapes;
 * an accepted id is in 0..2^53-1; {@link Utf8#encodedLength} is never below Java's own encoding and
 * {@link Utf8#fits} agrees with it; an accepted JSEP has a known type and an SDP within the size bound. Seeds: the
 * message/trickle/attach requests of the transport target. JUnit thread.
 */
class RequestFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "60s")
    void validateRequest(byte[] data) {
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (java.io.IOException notJson) {
            return;
        }
        if (node == null || !node.isObject()) {
            return;
        }
        ObjectNode req = (ObjectNode) node;
        for (String field : new String[] {"session_id", "handle_id"}) {
            try {
                long id = RequestDispatcher.id(req, field, JanusError.SESSION_NOT_FOUND, "No such session ");
                require(id >= 0 && id <= JanusCore.MAX_ID, field + " accepted as " + id);
            } catch (JanusException expected) {
                // 454/458/459/467
            }
        }
        req.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                String s = e.getValue().textValue();
                long ours = Utf8.encodedLength(s);
                require(ours >= s.getBytes(StandardCharsets.UTF_8).length, "Utf8 undercounts " + e.getKey());
                for (int cap : new int[] {0, 1, 64, 256, 1024}) {
                    require(Utf8.fits(s, cap) == (ours <= cap), "Utf8.fits disagrees at " + cap);
                }
            }
        });
        try {
            Jsep jsep = JsepValidator.parse(req.get("jsep"));
            if (jsep != null) {
                require(jsep.type() != null && jsep.sdp().length() <= JsepValidator.MAX_SDP_LENGTH
                        && jsep.sdp().startsWith("v=0"), "accepted JSEP " + jsep.type());
            }
        } catch (JanusException expected) {
            // 465/466/467/456
        }
    }

    /** Regenerates the seed corpus (run from the project root). */
    public static void main(String[] args) {
        String[] requests = {
            "{\"janus\":\"message\",\"session_id\":1,\"handle_id\":2,\"transaction\":\"m\",\"body\":{},"
                + "\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\\r\\n\",\"trickle\":false}}",
            "{\"janus\":\"message\",\"session_id\":9007199254740991,\"handle_id\":9007199254740992,"
                + "\"jsep\":{\"type\":\"answer\",\"sdp\":\"v=0\\nm=video 9 x 96\\n\"}}",
            "{\"session_id\":18446744073709551617,\"handle_id\":-1,\"transaction\":\"\\u20ac\\ud800\"}",
            "{\"session_id\":1.0,\"handle_id\":1e2,\"jsep\":{\"type\":\"pranswer\",\"sdp\":5}}",
            "{\"jsep\":[],\"opaque_id\":\"\\ud83d\\ude00x\"}",
        };
        Map<String, byte[]> s = new LinkedHashMap<>();
        for (String r : requests) {
            byte[] b = r.getBytes(StandardCharsets.UTF_8);
            s.put(FuzzChecks.name("req", b), b);
        }
        FuzzChecks.writeSeeds(RequestFuzzTest.class, "validateRequest", s);
    }
}
