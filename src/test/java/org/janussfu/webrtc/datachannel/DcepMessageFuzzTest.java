package org.janussfu.webrtc.datachannel;

import static org.janussfu.testing.FuzzChecks.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.janussfu.testing.FuzzChecks;

/**
 * Coverage-guided fuzz target (Jazzer, docs/fuzzing.md) for the Data Channel Establishment Protocol (RFC 8832 §5)
 * as a peer sends it on PPID 50: {@link DcepMessage#parse}. Invariants: nothing throws (malformed is null); an OPEN
 * re-encodes to exactly its first {@code 12 + label + protocol} bytes and re-parses to the same fields (parse → write
 * → parse); an ACK encodes as its single type byte; nothing decoded is larger than the input. Seeds: the OPENs
 * Chromium and Firefox send for Hubs' reliable and unreliable channels, and an ACK. JUnit thread.
 */
class DcepMessageFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void dcepMessage(byte[] data) {
        DcepMessage m = DcepMessage.parse(data, 0, data.length);
        if (m == null) {
            return;
        }
        byte[] wire = m.encode();
        require(wire.length <= data.length, "encoding longer than the input");
        if (m.isAck()) {
            require(wire.length == 1 && wire[0] == DcepMessage.TYPE_ACK, "ACK encoding");
            return;
        }
        require(m.isOpen(), "neither OPEN nor ACK");
        require(Arrays.equals(wire, 0, wire.length, data, 0, wire.length), "OPEN does not re-encode to its input");
        DcepMessage again = DcepMessage.parse(wire, 0, wire.length);
        require(again != null && again.channelType() == m.channelType() && again.priority() == m.priority()
                && again.reliabilityParameter() == m.reliabilityParameter() && again.label().equals(m.label())
                && again.protocol().equals(m.protocol()), "OPEN round trip");
        require(m.label().length() <= DcepMessage.MAX_STRING_BYTES && m.protocol().length() <= DcepMessage.MAX_STRING_BYTES,
                "string longer than its 16-bit length field");
    }

    /** Regenerates the seed corpus (run from the project root). */
    public static void main(String[] args) {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("chrome-reliable-open", DcepMessage.open(DcepChannelType.RELIABLE, 256, 0, "reliable", "").encode());
        s.put("hubs-unreliable-open", DcepMessage.open(DcepChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED, 256, 0,
                "unreliable", "").encode());
        s.put("firefox-timed-open", DcepMessage.open(DcepChannelType.PARTIAL_RELIABLE_TIMED, 512, 3000,
                "läbel ☃ 𝄞", "proto").encode());
        s.put("ack", DcepMessage.ack().encode());
        s.put("open-with-trailer", (new String(DcepMessage.open(DcepChannelType.RELIABLE_UNORDERED, 0, 0, "x", "y")
                .encode(), StandardCharsets.ISO_8859_1) + "tail").getBytes(StandardCharsets.ISO_8859_1));
        FuzzChecks.writeSeeds(DcepMessageFuzzTest.class, "dcepMessage", s);
    }
}
