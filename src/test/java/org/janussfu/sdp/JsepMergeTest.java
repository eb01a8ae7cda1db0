package org.janussfu.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link JsepMerge}: ICE/DTLS/BUNDLE/candidate merge and per-subscriber SSRC lines (sfu-protocol §7.5). */
class JsepMergeTest {
    private static final byte[] DIGEST = new byte[32];

    static {
        for (int i = 0; i < DIGEST.length; i++) {
            DIGEST[i] = (byte) (0xA0 + i * 7);
        }
    }

    private static final Fingerprint FP = Fingerprint.of("SHA-256", DIGEST);

    private static LocalTransport local(SetupRole role) {
        return new LocalTransport("Ab3x", "0123456789abcdefghijklmn", FP, role,
                List.of("a=candidate:1 1 udp 2015363327 203.0.113.9 40000 typ host",
                        "candidate:2 1 tcp 1015021823 203.0.113.9 9 typ host tcptype active",
                        "3 1 udp 1677729535 198.51.100.7 40001 typ srflx raddr 0.0.0.0 rport 0"));
    }

    private static List<String> names(MediaDescription m) {
        List<String> out = new ArrayList<>();
        for (Attribute a : m.attributes()) {
            out.add(a.name());
        }
        return out;
    }

    @Test
    void fingerprintFormat() {
        assertTrue(FP.toString().matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"), FP.toString());
        assertEquals("sha-256 A0:A7:AE", Fingerprint.of("sha-256", new byte[] {(byte) 0xA0, (byte) 0xA7,
            (byte) 0xAE}).toString());
    }

    @Test
    void mergesPublisherAnswer() throws SdpException {
        PublisherAnswer pa = SfuSdp.publisherAnswer(Fixtures.parse("chrome-renegotiation-offer.sdp"),
                CodecPolicy.DEFAULT);
        SessionDescription merged = JsepMerge.merge(pa.answer(), local(pa.remote().answerRole()));
        assertEquals(List.of("group", "extmap-allow-mixed", "msid-semantic"),
                merged.attributes().stream().map(Attribute::name).toList());
        assertEquals("BUNDLE 0 1 2", merged.attribute("group"));
        assertEquals(" WMS janus", merged.msidSemantic());
        assertNull(merged.connection());

        MediaDescription audio = merged.media().get(1);
        assertEquals(List.of("mid", "recvonly", "rtcp-mux", "ice-ufrag", "ice-pwd", "ice-options", "fingerprint",
                "setup", "rtpmap", "fmtp", "candidate", "candidate", "candidate", "end-of-candidates"), names(audio));
        assertEquals("Ab3x", audio.iceUfrag());
        assertEquals("0123456789abcdefghijklmn", audio.icePwd());
        assertEquals("trickle", audio.iceOptions());
        assertEquals(FP, audio.fingerprint());
        assertEquals(SetupRole.ACTIVE, audio.setup());
        assertEquals(List.of("1 1 udp 2015363327 203.0.113.9 40000 typ host",
                "2 1 tcp 1015021823 203.0.113.9 9 typ host tcptype active",
                "3 1 udp 1677729535 198.51.100.7 40001 typ srflx raddr 0.0.0.0 rport 0"), audio.candidates());
        assertEquals("IN IP4 0.0.0.0", audio.connection());

        MediaDescription data = merged.media().get(0);
        assertEquals(List.of("mid", "ice-ufrag", "ice-pwd", "ice-options", "fingerprint", "setup", "sctp-port",
                "max-message-size", "candidate", "candidate", "candidate", "end-of-candidates"), names(data));

        String text = SdpWriter.write(merged);
        assertTrue(text.contains("a=fingerprint:" + FP + "\r\n"));
        assertTrue(text.contains("a=candidate:3 1 udp 1677729535 198.51.100.7 40001 typ srflx raddr 0.0.0.0 rport 0"
                + "\r\na=end-of-candidates\r\nm=audio"), text);
        assertTrue(text.endsWith("a=end-of-candidates\r\n"));
        assertEquals(merged, SdpParser.parse(text));
    }

    @Test
    void bundlesOnlyAcceptedMidsAndLeavesRejectedLinesAlone() throws SdpException {
        PublisherAnswer pa = SfuSdp.publisherAnswer(Fixtures.parse("chrome-two-audio-vp8-offer.sdp"),
                CodecPolicy.DEFAULT);
        SessionDescription merged = JsepMerge.merge(pa.answer(), local(SetupRole.ACTIVE));
        assertEquals(List.of("0", "1"), merged.bundleMids());
        assertEquals(List.of("mid"), names(merged.media().get(2)));
        assertEquals(List.of("mid"), names(merged.media().get(3)));
    }

    @Test
    void mergesSubscriberOfferWithSsrcs() throws SdpException {
        SessionDescription offer = SfuSdp.subscriberOffer(NegotiatedMedia.NONE);
        SendSsrcs ssrcs = SendSsrcs.janus(1111, 2222, 3333);
        SessionDescription before = JsepMerge.merge(JsepMerge.withSendSsrcs(offer, ssrcs), local(SetupRole.ACTPASS));
        SessionDescription after = JsepMerge.withSendSsrcs(JsepMerge.merge(offer, local(SetupRole.ACTPASS)), ssrcs);
        assertEquals(before, after, "order of the two helpers does not matter");
        assertEquals(after, JsepMerge.withSendSsrcs(after, ssrcs), "idempotent");
        assertEquals("BUNDLE a v d", after.attribute("group"));

        MediaDescription audio = after.media().get(0);
        assertEquals(SetupRole.ACTPASS, audio.setup());
        assertEquals(new Msid("janus", "janusa0"), audio.msid());
        assertEquals(List.of(new SsrcAttribute(1111, "cname", "janus"),
                new SsrcAttribute(1111, "msid", "janus janusa0")), audio.ssrcs());
        assertTrue(audio.ssrcGroups().isEmpty());

        MediaDescription video = after.media().get(1);
        assertEquals(new Msid("janus", "janusv0"), video.msid());
        assertEquals(List.of(new SsrcGroup("FID", List.of(2222L, 3333L))), video.ssrcGroups());
        assertEquals(4, video.ssrcs().size());
        List<String> videoNames = names(video);
        assertTrue(videoNames.lastIndexOf("ssrc") < videoNames.indexOf("candidate"));
        assertEquals("end-of-candidates", videoNames.get(videoNames.size() - 1));

        MediaDescription data = after.media().get(2);
        assertTrue(data.ssrcs().isEmpty());
        assertTrue(!data.rtcpMux(), "rtcp-mux only on RTP m-lines");
    }

    @Test
    void noFidGroupWithoutRtxSsrc() {
        SendSsrcs ssrcs = new SendSsrcs(1, 2, OptionalLong.empty(), "janus", "janus", "janusa0", "janusv0");
        MediaDescription video = JsepMerge.withSendSsrcs(SfuSdp.subscriberOffer(NegotiatedMedia.NONE), ssrcs)
                .media().get(1);
        assertTrue(video.ssrcGroups().isEmpty());
        assertEquals(2, video.ssrcs().size());
    }

    @Test
    void sendSsrcsSkipReceiveOnlyLines() throws SdpException {
        PublisherAnswer pa = SfuSdp.publisherAnswer(Fixtures.parse("chrome-renegotiation-offer.sdp"),
                CodecPolicy.DEFAULT);
        SessionDescription sd = JsepMerge.withSendSsrcs(pa.answer(), SendSsrcs.janus(1, 2, 3));
        assertEquals(pa.answer(), sd);
    }

    @Test
    void localTransportValidation() {
        assertThrows(IllegalArgumentException.class,
                () -> new LocalTransport("abc", "0123456789abcdefghijklmn", FP, SetupRole.ACTIVE, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new LocalTransport("abcd", "short", FP, SetupRole.ACTIVE, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new LocalTransport("abcd", "0123456789abcdefghijklmn", FP, SetupRole.ACTIVE,
                        List.of("candidate:")));
    }
}
