package org.janussfu.sfu;

import static org.janussfu.testing.FuzzChecks.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.janussfu.testing.FuzzChecks;

/**
 * Coverage-guided fuzz target (Jazzer, docs/fuzzing.md) for the plugin message decoder ({@link SfuMessage#parse},
 * sfu-protocol.md §1.2–§1.8): the input is the {@code body} JSON of a Janus {@code message} request. Invariants:
 * nothing but {@link SfuError} with the serde parse text escapes; a decoded message written back as JSON decodes to
 * an equal message (parse → write → parse). Seeds: the join, subscribe, block, unblock, data and kick bodies
 * naf-janus-adapter and Hubs send. JUnit thread.
 */
class SfuMessageFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "60s")
    void messageBody(byte[] data) {
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (java.io.IOException notJson) {
            return; // the transport answers 454 before the plugin sees it
        }
        if (node == null || !node.isObject()) {
            return;
        }
        SfuMessage m;
        try {
            m = SfuMessage.parse((ObjectNode) node);
        } catch (SfuError e) {
            require(SfuError.PARSE.equals(e.getMessage()), "unexpected SfuError " + e.getMessage());
            return;
        }
        if (m == null) {
            require(node.isEmpty(), "null message for a non-empty body");
            return;
        }
        try {
            SfuMessage again = SfuMessage.parse(write(m));
            require(m.equals(again), "round trip: " + m + " → " + again);
        } catch (SfuError e) {
            throw new AssertionError("own encoding of " + m + " does not parse", e);
        }
    }

    static ObjectNode write(SfuMessage m) {
        ObjectNode o = JSON.createObjectNode();
        if (m instanceof SfuMessage.Join j) {
            o.put("kind", "join").put("room_id", j.roomId()).put("user_id", j.userId());
            if (j.subscribe() != null) {
                o.set("subscribe", subscription(j.subscribe()));
            }
            if (j.token() != null) {
                o.put("token", j.token());
            }
        } else if (m instanceof SfuMessage.Subscribe s) {
            o.put("kind", "subscribe").set("what", subscription(s.what()));
            if (s.token() != null) {
                o.put("token", s.token());
            }
        } else if (m instanceof SfuMessage.Block b) {
            o.put("kind", "block").put("whom", b.whom());
        } else if (m instanceof SfuMessage.Unblock u) {
            o.put("kind", "unblock").put("whom", u.whom());
        } else if (m instanceof SfuMessage.Data d) {
            o.put("kind", "data").put("body", d.body());
            if (d.whom() != null) {
                o.put("whom", d.whom());
            }
        } else if (m instanceof SfuMessage.Kick k) {
            o.put("kind", "kick").put("room_id", k.roomId()).put("user_id", k.userId()).put("token", k.token());
        }
        return o;
    }

    private static ObjectNode subscription(Subscription s) {
        ObjectNode o = JSON.createObjectNode().put("notifications", s.notifications()).put("data", s.data());
        if (s.media() != null) {
            o.put("media", s.media());
        }
        return o;
    }

    /** Regenerates the seed corpus (run from the project root). */
    public static void main(String[] args) throws JsonProcessingException {
        Map<String, byte[]> s = new LinkedHashMap<>();
        String[] bodies = {
            "{\"kind\":\"join\",\"room_id\":\"Zx3fTqA\",\"user_id\":\"3f1c9e2a-77aa-4c1e-9d36-2f0c6a2b8e11\","
                + "\"subscribe\":{\"notifications\":true,\"data\":true}}",
            "{\"kind\":\"join\",\"room_id\":\"Zx3fTqA\",\"user_id\":\"u2\",\"subscribe\":{\"media\":\"u1\"},"
                + "\"token\":\"eyJhbGciOiJSUzUxMiJ9.e30.c2ln\"}",
            "{\"kind\":\"subscribe\",\"what\":{\"media\":\"3f1c9e2a\"}}",
            "{\"kind\":\"block\",\"whom\":\"u3\"}",
            "{\"kind\":\"unblock\",\"whom\":\"u3\"}",
            "{\"kind\":\"data\",\"body\":\"{\\\"dataType\\\":\\\"u\\\",\\\"data\\\":{}}\"}",
            "{\"kind\":\"data\",\"whom\":\"u2\",\"body\":\"hello\"}",
            "{\"kind\":\"kick\",\"room_id\":\"Zx3fTqA\",\"user_id\":\"u9\",\"token\":\"t\"}",
            "{}",
            "{\"kind\":\"join\",\"room_id\":1,\"user_id\":null}",
        };
        for (String b : bodies) {
            byte[] bytes = b.getBytes(StandardCharsets.UTF_8);
            s.put(FuzzChecks.name("body", bytes), bytes);
        }
        FuzzChecks.writeSeeds(SfuMessageFuzzTest.class, "messageBody", s);
    }
}
