package org.janussfu.sdp;

import static org.janussfu.testing.FuzzChecks.bounded;
import static org.janussfu.testing.FuzzChecks.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.janussfu.testing.FuzzChecks;

/**
 * Coverage-guided fuzz target (Jazzer, docs/fuzzing.md) for the SDP a client sends in a JSEP: {@link SdpParser}
 * (RFC 8866), then what a client offer or answer reaches — {@link RemoteTransport#from}, the media accessors the core
 * reads, {@link SfuSdp#publisherAnswer}, {@link SfuSdp#subscriberOffer} and {@link JsepMerge}. Invariants: only
 * {@link SdpException} escapes; parse → write → parse is stable; our own output always re-parses; written text stays
 * within a bounded multiple of the input. Seeds: the Chromium, Firefox and Safari fixtures. Runs on the JUnit thread.
 */
class SdpParserFuzzTest {
    private static final List<CodecPolicy> POLICIES = List.of(CodecPolicy.DEFAULT,
            CodecPolicy.DEFAULT.withVideoPreference(VideoCodec.VP8, VideoCodec.VP9, VideoCodec.AV1, VideoCodec.H264));

    @FuzzTest(maxDuration = "60s")
    void parseOffer(byte[] data) {
        String text = FuzzChecks.utf8(data);
        SessionDescription sd;
        try {
            sd = SdpParser.parse(text);
        } catch (SdpException expected) {
            return;
        }
        try {
            String written = SdpWriter.write(sd);
            bounded(written.length(), text.length(), 64, "written SDP");
            SessionDescription again = SdpParser.parse(written);
            require(written.equals(SdpWriter.write(again)), "SDP write is not stable");
            readLikeTheCore(sd);
            for (CodecPolicy policy : POLICIES) {
                answerLikeTheSfu(sd, policy);
            }
        } catch (SdpException e) {
            throw new AssertionError("own output or an accepted description failed: " + e.getMessage(), e);
        }
    }

    /** What {@code core.JsepHandler} reads from a remote description. */
    private static void readLikeTheCore(SessionDescription sd) {
        try {
            RemoteTransport.from(sd);
        } catch (SdpException acceptable) {
            // no usable ICE/DTLS parameters: a 465 to the client
        }
        for (MediaDescription md : sd.media()) {
            md.kind();
            md.isRejected();
            if (md.isSctp()) {
                md.sctpPort();
                md.sctpMap();
                md.maxMessageSize();
            }
            md.rtpMaps();
        }
    }

    private static void answerLikeTheSfu(SessionDescription sd, CodecPolicy policy) throws SdpException {
        PublisherAnswer answer;
        try {
            answer = SfuSdp.publisherAnswer(sd, policy);
        } catch (SdpException acceptable) {
            return; // an offer the SFU cannot answer
        }
        LocalTransport local = new LocalTransport("abcd", "0123456789abcdefghijkl",
                new Fingerprint("sha-256", "AB:CD"), answer.remote().answerRole(),
                List.of("1 1 udp 2122260223 10.0.0.1 40000 typ host"));
        SdpParser.parse(SdpWriter.write(JsepMerge.merge(answer.answer(), local)));
        SessionDescription offer = JsepMerge.withSendSsrcs(SfuSdp.subscriberOffer(answer.negotiated(), policy),
                SendSsrcs.janus(1, 2, 3));
        SdpParser.parse(SdpWriter.write(JsepMerge.merge(offer, local)));
    }

    /** Regenerates the seed corpus from the browser fixtures (run from the project root). */
    public static void main(String[] args) {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (String name : Fixtures.VALID) {
            seeds.put(name, Fixtures.text(name).getBytes(StandardCharsets.UTF_8));
        }
        for (String name : Fixtures.MALFORMED) {
            seeds.put(name, Fixtures.text(name).getBytes(StandardCharsets.UTF_8));
        }
        FuzzChecks.writeSeeds(SdpParserFuzzTest.class, "parseOffer", seeds);
    }
}
