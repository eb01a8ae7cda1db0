package org.janussfu.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link SfuSdp#publisherAnswer} on every browser fixture and on hand-made edge cases (sfu-protocol §6.1). */
class PublisherAnswerTest {

    private static PublisherAnswer answer(String fixture) throws SdpException {
        return SfuSdp.publisherAnswer(Fixtures.parse(fixture), CodecPolicy.DEFAULT);
    }

    private static PublisherAnswer answerText(String sdp, CodecPolicy policy) throws SdpException {
        return SfuSdp.publisherAnswer(SdpParser.parse(sdp), policy);
    }

    private static List<String> lines(MediaDescription m) {
        List<String> out = new ArrayList<>();
        for (Attribute a : m.attributes()) {
            out.add(a.toString());
        }
        return out;
    }

    @Test
    void answersDataChannelOnlyOffer() throws SdpException {
        PublisherAnswer pa = answer("chrome-datachannel-offer.sdp");
        assertEquals("v=0\r\n"
                + "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "t=0 0\r\n"
                + "a=extmap-allow-mixed\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=mid:0\r\n"
                + "a=sctp-port:5000\r\n"
                + "a=max-message-size:262144\r\n", SdpWriter.write(pa.answer()));
        assertTrue(pa.negotiated().audio().isEmpty());
        assertTrue(pa.negotiated().video().isEmpty());
        assertEquals(new NegotiatedMedia.Data("0", false, 5000, 262144), pa.negotiated().data().orElseThrow());
        RemoteTransport rt = pa.remote();
        assertEquals("h6Yq", rt.ufrag());
        assertEquals("KuR1SA4gq7kLtq3bNUNL5Ysa", rt.pwd());
        assertEquals("sha-256", rt.fingerprint().algorithm());
        assertTrue(rt.fingerprint().value().startsWith("BC:1D:92"));
        assertEquals(SetupRole.ACTPASS, rt.setup());
        assertEquals(SetupRole.ACTIVE, rt.answerRole());
        assertTrue(rt.candidates().isEmpty());
        assertEquals("0", rt.bundleMid());
    }

    @Test
    void answersChromeRenegotiationOffer() throws SdpException {
        PublisherAnswer pa = answer("chrome-renegotiation-offer.sdp");
        List<MediaDescription> media = pa.answer().media();
        assertEquals(List.of("application", "audio", "video"), media.stream().map(MediaDescription::media).toList());
        assertEquals(List.of("0", "1", "2"), media.stream().map(MediaDescription::mid).toList());
        assertTrue(media.stream().allMatch(m -> m.port() == 9));

        assertEquals(List.of("a=mid:1", "a=recvonly", "a=rtpmap:111 opus/48000/2",
                "a=fmtp:111 stereo=0; sprop-stereo=0; usedtx=1;"), lines(media.get(1)));
        assertEquals(List.of("111"), media.get(1).formats());
        assertEquals("UDP/TLS/RTP/SAVPF", media.get(1).proto());

        assertEquals(List.of("109", "114"), media.get(2).formats());
        assertEquals(List.of("a=mid:2", "a=recvonly", "a=rtpmap:109 H264/90000", "a=rtcp-fb:109 ccm fir",
                "a=rtcp-fb:109 nack", "a=rtcp-fb:109 nack pli", "a=rtcp-fb:109 goog-remb",
                "a=fmtp:109 profile-level-id=42e01f;packetization-mode=1", "a=rtpmap:114 rtx/90000",
                "a=fmtp:114 apt=109"), lines(media.get(2)));
        assertTrue(media.stream().allMatch(m -> m.extmaps().isEmpty()), "no extmap by default");

        NegotiatedMedia n = pa.negotiated();
        assertEquals(new NegotiatedMedia.Audio("1", 111), n.audio().orElseThrow());
        assertEquals(new NegotiatedMedia.Video("2", VideoCodec.H264, 109, OptionalInt.of(114),
                "profile-level-id=42e01f;packetization-mode=1"), n.video().orElseThrow());
        assertEquals(3, pa.remote().candidates().size());
        assertFalse(pa.remote().endOfCandidates());
    }

    @Test
    void answersFirefoxOffer() throws SdpException {
        PublisherAnswer pa = answer("firefox-offer.sdp");
        List<MediaDescription> media = pa.answer().media();
        assertEquals(List.of("0", "1", "2"), media.stream().map(MediaDescription::mid).toList());
        assertEquals(109, pa.negotiated().audio().orElseThrow().opusPayloadType());
        assertEquals("stereo=0; sprop-stereo=0; usedtx=1;", media.get(0).fmtp(109).parameterText());
        NegotiatedMedia.Video v = pa.negotiated().video().orElseThrow();
        assertEquals(126, v.payloadType());
        assertEquals(OptionalInt.of(127), v.rtxPayloadType());
        assertEquals(Direction.RECVONLY, media.get(1).direction());
        NegotiatedMedia.Data d = pa.negotiated().data().orElseThrow();
        assertEquals(1073741823L, d.remoteMaxMessageSize());
        assertEquals(262144L, media.get(2).maxMessageSize(), "the SFU announces its own receive limit");
        assertNull(media.get(2).direction());
        assertFalse(pa.answer().extmapAllowMixed(), "not offered by Firefox");

        RemoteTransport rt = pa.remote();
        assertEquals("b3f4a1c2", rt.ufrag());
        assertTrue(rt.fingerprint().value().startsWith("38:1C:79"), "session-level fingerprint");
        assertEquals(3, rt.candidates().size());
        assertEquals("0 1 UDP 2122252543 192.168.1.20 50143 typ host", rt.candidates().get(0));
        assertTrue(rt.endOfCandidates());
    }

    @Test
    void answersSafariOfferWithTheBaselineH264NotTheFirstOne() throws SdpException {
        PublisherAnswer pa = answer("safari-offer.sdp");
        assertEquals(111, pa.negotiated().audio().orElseThrow().opusPayloadType());
        NegotiatedMedia.Video v = pa.negotiated().video().orElseThrow();
        assertEquals(98, v.payloadType());
        assertEquals(OptionalInt.of(99), v.rtxPayloadType());
        assertEquals("Tf3z", pa.remote().ufrag());
        assertEquals(2, pa.remote().candidates().size());
    }

    @Test
    void answersLegacyDataChannelInLegacyForm() throws SdpException {
        PublisherAnswer pa = answer("legacy-datachannel-offer.sdp");
        MediaDescription m = pa.answer().media().get(0);
        assertEquals("DTLS/SCTP", m.proto());
        assertEquals(List.of("5000"), m.formats());
        assertEquals(List.of("a=mid:data", "a=sctpmap:5000 webrtc-datachannel 16"), lines(m));
        assertEquals(new NegotiatedMedia.Data("data", true, 5000, 65536), pa.negotiated().data().orElseThrow());
    }

    @Test
    void rejectsSecondAudioAndVideoWithoutH264() throws SdpException {
        PublisherAnswer pa = answer("chrome-two-audio-vp8-offer.sdp");
        List<MediaDescription> media = pa.answer().media();
        assertEquals(List.of(9, 9, 0, 0), media.stream().map(MediaDescription::port).toList());
        assertEquals(List.of("0", "1", "2", "3"), media.stream().map(MediaDescription::mid).toList());
        String written = SdpWriter.write(pa.answer());
        assertTrue(written.contains("m=audio 0 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\n"), written);
        assertTrue(written.contains("m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:3\r\n"), written);
        assertEquals("1", pa.negotiated().audio().orElseThrow().mid());
        assertTrue(pa.negotiated().video().isEmpty());
    }

    @Test
    void acceptsVp8WhenPolicyAllowsIt() throws SdpException {
        PublisherAnswer pa = SfuSdp.publisherAnswer(Fixtures.parse("chrome-two-audio-vp8-offer.sdp"),
                CodecPolicy.DEFAULT.withVideoPreference(VideoCodec.H264, VideoCodec.VP8));
        NegotiatedMedia.Video v = pa.negotiated().video().orElseThrow();
        assertEquals(VideoCodec.VP8, v.codec());
        assertEquals(96, v.payloadType());
        assertEquals(OptionalInt.of(97), v.rtxPayloadType());
        assertNull(v.fmtp());
        assertNull(pa.answer().media().get(3).fmtp(96));
    }

    @Test
    void followsPolicyPreferenceOrder() throws SdpException {
        SessionDescription offer = Fixtures.parse("chrome-renegotiation-offer.sdp");
        NegotiatedMedia.Video vp9 = SfuSdp.publisherAnswer(offer,
                CodecPolicy.DEFAULT.withVideoPreference(VideoCodec.VP9, VideoCodec.H264)).negotiated().video()
                .orElseThrow();
        assertEquals(new NegotiatedMedia.Video("2", VideoCodec.VP9, 98, OptionalInt.of(99), "profile-id=0"), vp9);
        NegotiatedMedia.Video av1 = SfuSdp.publisherAnswer(offer,
                CodecPolicy.DEFAULT.withVideoPreference(VideoCodec.AV1)).negotiated().video().orElseThrow();
        assertEquals(new NegotiatedMedia.Video("2", VideoCodec.AV1, 35, OptionalInt.of(36),
                "level-idx=5;profile=0;tier=0"), av1);
        PublisherAnswer none = SfuSdp.publisherAnswer(offer, CodecPolicy.DEFAULT.withVideoPreference());
        assertTrue(none.negotiated().video().isEmpty());
        assertEquals(0, none.answer().media().get(2).port());
    }

    private static final String VIDEO_ONLY = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "a=group:BUNDLE 0\r\n"
            + "m=video 9 UDP/TLS/RTP/SAVPF %s\r\nc=IN IP4 0.0.0.0\r\n"
            + "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
            + "a=fingerprint:sha-256 AB:CD\r\na=setup:actpass\r\na=mid:0\r\na=%s\r\n%s";

    private static String videoOffer(String formats, String direction, String... attributes) {
        StringBuilder sb = new StringBuilder();
        for (String a : attributes) {
            sb.append("a=").append(a).append("\r\n");
        }
        return String.format(VIDEO_ONLY, formats, direction, sb);
    }

    @Test
    void skipsPacketizationMode0AndMatchesProfileCaseInsensitively() throws SdpException {
        String sdp = videoOffer("115 109 120", "sendrecv",
                "rtpmap:115 H264/90000", "fmtp:115 packetization-mode=0;profile-level-id=42e01f",
                "rtpmap:109 H264/90000", "fmtp:109 packetization-mode=1;profile-level-id=42E01F",
                "rtpmap:120 H264/90000", "fmtp:120 packetization-mode=1;profile-level-id=42e01f");
        PublisherAnswer pa = answerText(sdp, CodecPolicy.DEFAULT);
        assertEquals(109, pa.negotiated().video().orElseThrow().payloadType());
        assertEquals(OptionalInt.empty(), pa.negotiated().video().orElseThrow().rtxPayloadType());
        assertEquals(List.of("109"), pa.answer().media().get(0).formats());
        assertTrue(pa.answer().media().get(0).rtcpFeedback().isEmpty(), "no feedback offered, none answered");
    }

    @Test
    void rejectsVideoWithout42e01fMode1() throws SdpException {
        String sdp = videoOffer("115 116 117", "sendrecv",
                "rtpmap:115 H264/90000", "fmtp:115 packetization-mode=0;profile-level-id=42e01f",
                "rtpmap:116 H264/90000", "fmtp:116 profile-level-id=42e01f",
                "rtpmap:117 H264/90000", "fmtp:117 packetization-mode=1;profile-level-id=640c1f");
        PublisherAnswer pa = answerText(sdp, CodecPolicy.DEFAULT);
        assertTrue(pa.negotiated().video().isEmpty());
        MediaDescription m = pa.answer().media().get(0);
        assertEquals(0, m.port());
        assertEquals(List.of("115"), m.formats());
        assertEquals("0", m.mid());
    }

    @Test
    void answersDirectionsPerRfc3264() throws SdpException {
        String base = "rtpmap:109 H264/90000";
        String fmtp = "fmtp:109 packetization-mode=1;profile-level-id=42e01f";
        assertEquals(Direction.RECVONLY, answerText(videoOffer("109", "sendonly", base, fmtp), CodecPolicy.DEFAULT)
                .answer().media().get(0).direction());
        assertEquals(Direction.INACTIVE, answerText(videoOffer("109", "recvonly", base, fmtp), CodecPolicy.DEFAULT)
                .answer().media().get(0).direction());
        assertEquals(Direction.INACTIVE, answerText(videoOffer("109", "inactive", base, fmtp), CodecPolicy.DEFAULT)
                .answer().media().get(0).direction());
    }

    @Test
    void echoesExtmapsOnlyWhenPolicyAcceptsThem() throws SdpException {
        CodecPolicy policy = CodecPolicy.DEFAULT.withAcceptedExtmaps(Set.of("urn:ietf:params:rtp-hdrext:sdes:mid"));
        PublisherAnswer pa = SfuSdp.publisherAnswer(Fixtures.parse("chrome-renegotiation-offer.sdp"), policy);
        assertEquals(List.of(new Extmap(4, null, "urn:ietf:params:rtp-hdrext:sdes:mid", null)),
                pa.answer().media().get(1).extmaps());
        assertEquals(List.of(new Extmap(4, null, "urn:ietf:params:rtp-hdrext:sdes:mid", null)),
                pa.answer().media().get(2).extmaps());
    }

    @Test
    void offererRejectedLineDoesNotTakeTheFirstSlot() throws SdpException {
        String sdp = Fixtures.crlf(Fixtures.text("chrome-two-audio-vp8-offer.sdp"))
                .replaceFirst("m=audio 9 ", "m=audio 0 ");
        PublisherAnswer pa = answerText(sdp, CodecPolicy.DEFAULT);
        assertEquals("2", pa.negotiated().audio().orElseThrow().mid());
        assertEquals(0, pa.answer().media().get(1).port());
        assertEquals(9, pa.answer().media().get(2).port());
    }

    @Test
    void rejectsUnknownMediaAndUnusableDataLines() throws SdpException {
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=fingerprint:sha-256 AB:CD\r\n"
                + "m=text 9 UDP/TLS/RTP/SAVPF 98\r\na=mid:t\r\na=rtpmap:98 t140/1000\r\n"
                + "m=application 9 UDP/DTLS/SCTP bfcp\r\na=mid:x\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:p\r\na=rtpmap:0 PCMU/8000\r\n";
        PublisherAnswer pa = answerText(sdp, CodecPolicy.DEFAULT);
        assertEquals(List.of(0, 0, 0), pa.answer().media().stream().map(MediaDescription::port).toList());
        assertEquals(NegotiatedMedia.NONE, pa.negotiated());
        assertEquals("abcd", pa.remote().ufrag(), "session-level credentials");
        assertEquals(SetupRole.ACTIVE, pa.remote().setup(), "RFC 4145 default");
        assertEquals(SetupRole.PASSIVE, pa.remote().answerRole());
    }

    @Test
    void requiresIceCredentialsAndFingerprint() {
        String noIce = Fixtures.crlf(Fixtures.text("chrome-datachannel-offer.sdp"))
                .replace("a=ice-ufrag:h6Yq\r\n", "");
        assertThrows(SdpException.class, () -> answerText(noIce, CodecPolicy.DEFAULT));
        String noFingerprint = Fixtures.crlf(Fixtures.text("chrome-datachannel-offer.sdp"))
                .replaceAll("a=fingerprint:[^\r]*\r\n", "");
        assertThrows(SdpException.class, () -> answerText(noFingerprint, CodecPolicy.DEFAULT));
    }

    @Test
    void detectsIceRestart() throws SdpException {
        RemoteTransport rt = answer("chrome-renegotiation-offer.sdp").remote();
        assertFalse(rt.isIceRestart(null, null));
        assertFalse(rt.isIceRestart("h6Yq", "KuR1SA4gq7kLtq3bNUNL5Ysa"));
        assertTrue(rt.isIceRestart("old1", "KuR1SA4gq7kLtq3bNUNL5Ysa"));
        assertTrue(rt.isIceRestart("h6Yq", "another-password-000000"));
    }

    @Test
    void answerParsesBack() throws SdpException {
        for (String name : Fixtures.VALID) {
            PublisherAnswer pa = answer(name);
            assertEquals(pa.answer(), SdpParser.parse(SdpWriter.write(pa.answer())), name);
        }
    }
}
