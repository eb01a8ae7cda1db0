package org.janussfu.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@link SfuSdp#subscriberOffer}: shape, payload types following the publisher, naf-janus-adapter munging. */
class SubscriberOfferTest {

    private static List<String> lines(MediaDescription m) {
        List<String> out = new ArrayList<>();
        for (Attribute a : m.attributes()) {
            out.add(a.toString());
        }
        return out;
    }

    @Test
    void defaultsWhenPublisherNegotiatedNothing() {
        SessionDescription offer = SfuSdp.subscriberOffer(NegotiatedMedia.NONE);
        assertEquals("v=0\r\n"
                + "o=- 0 0 IN IP4 127.0.0.1\r\n"
                + "s=Janus session\r\n"
                + "t=0 0\r\n"
                + "a=extmap-allow-mixed\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 100\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=mid:a\r\n"
                + "a=sendonly\r\n"
                + "a=rtpmap:100 opus/48000/2\r\n"
                + "a=fmtp:100 stereo=0; sprop-stereo=0; usedtx=1;\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 100 96\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=mid:v\r\n"
                + "a=sendonly\r\n"
                + "a=rtpmap:100 H264/90000\r\n"
                + "a=fmtp:100 profile-level-id=42e01f;packetization-mode=1\r\n"
                + "a=rtcp-fb:100 ccm fir\r\n"
                + "a=rtcp-fb:100 nack\r\n"
                + "a=rtcp-fb:100 nack pli\r\n"
                + "a=rtcp-fb:100 goog-remb\r\n"
                + "a=rtpmap:96 rtx/90000\r\n"
                + "a=fmtp:96 apt=100\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=mid:d\r\n"
                + "a=sctp-port:5000\r\n"
                + "a=max-message-size:262144\r\n", SdpWriter.write(offer));
    }

    @Test
    void followsThePublishersPayloadTypes() throws SdpException {
        NegotiatedMedia n = SfuSdp.publisherAnswer(Fixtures.parse("chrome-renegotiation-offer.sdp"),
                CodecPolicy.DEFAULT).negotiated();
        SessionDescription offer = SfuSdp.subscriberOffer(n);
        assertEquals(List.of("audio", "video", "application"),
                offer.media().stream().map(MediaDescription::media).toList());
        assertEquals(List.of("a", "v", "d"), offer.media().stream().map(MediaDescription::mid).toList());
        MediaDescription audio = offer.media().get(0);
        MediaDescription video = offer.media().get(1);
        assertEquals(List.of("111"), audio.formats());
        assertEquals(Direction.SENDONLY, audio.direction());
        assertEquals("stereo=0; sprop-stereo=0; usedtx=1;", audio.fmtp(111).parameterText());
        assertEquals(List.of("109", "114"), video.formats());
        assertEquals(Direction.SENDONLY, video.direction());
        assertEquals(List.of("ccm fir", "nack", "nack pli", "goog-remb"),
                video.rtcpFeedback(109).stream().map(RtcpFeedback::feedbackText).toList());
        assertEquals("profile-level-id=42e01f;packetization-mode=1", video.fmtp(109).parameterText());
        assertEquals(new RtpMap(114, "rtx", 90000, null), video.rtpMap(114));
        assertEquals("apt=109", video.fmtp(114).parameterText());
    }

    @Test
    void audioOnlyPublisherGetsVideoDefaults() throws SdpException {
        NegotiatedMedia n = new NegotiatedMedia(Optional.of(new NegotiatedMedia.Audio("1", 109)), Optional.empty(),
                Optional.empty());
        MediaDescription video = SfuSdp.subscriberOffer(n).media().get(1);
        assertEquals(List.of("100", "96"), video.formats());
        assertEquals("H264", video.rtpMap(100).encoding());
        assertEquals("109", SfuSdp.subscriberOffer(n).media().get(0).formats().get(0));
    }

    @Test
    void rtxPayloadTypeNeverCollides() {
        NegotiatedMedia n = new NegotiatedMedia(Optional.of(new NegotiatedMedia.Audio("1", 97)),
                Optional.of(new NegotiatedMedia.Video("2", VideoCodec.H264, 96, OptionalInt.of(97), null)),
                Optional.empty());
        MediaDescription video = SfuSdp.subscriberOffer(n).media().get(1);
        assertEquals(List.of("96", "98"), video.formats());
        assertEquals("apt=96", video.fmtp(98).parameterText());
        assertEquals(96, SfuSdp.chooseRtxPayloadType(OptionalInt.empty(), 100, 100));
        assertEquals(97, SfuSdp.chooseRtxPayloadType(OptionalInt.of(100), 100, 96));
        assertEquals(114, SfuSdp.chooseRtxPayloadType(OptionalInt.of(114), 111, 109));
    }

    @Test
    void usesTheNegotiatedNonH264Codec() throws SdpException {
        NegotiatedMedia n = SfuSdp.publisherAnswer(Fixtures.parse("chrome-renegotiation-offer.sdp"),
                CodecPolicy.DEFAULT.withVideoPreference(VideoCodec.VP9)).negotiated();
        MediaDescription video = SfuSdp.subscriberOffer(n).media().get(1);
        assertEquals(List.of("98", "99"), video.formats());
        assertEquals("VP9", video.rtpMap(98).encoding());
        assertEquals("profile-id=0", video.fmtp(98).parameterText());
        NegotiatedMedia vp8 = new NegotiatedMedia(Optional.empty(),
                Optional.of(new NegotiatedMedia.Video("1", VideoCodec.VP8, 96, OptionalInt.empty(), null)),
                Optional.empty());
        MediaDescription v8 = SfuSdp.subscriberOffer(vp8).media().get(1);
        assertEquals(List.of("a=mid:v", "a=sendonly", "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 ccm fir",
                "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli", "a=rtcp-fb:96 goog-remb", "a=rtpmap:97 rtx/90000",
                "a=fmtp:97 apt=96"), lines(v8));
    }

    @Test
    void survivesNafHeadlessChromeMunging() throws SdpException {
        // naf-janus-adapter: sdp.replace(/m=video[^]*m=/, "m=") when H.264 is missing (sfu-protocol §6.2).
        String sdp = SdpWriter.write(SfuSdp.subscriberOffer(NegotiatedMedia.NONE));
        String munged = sdp.replaceFirst("(?s)m=video.*m=", "m=");
        SessionDescription parsed = SdpParser.parse(munged);
        assertEquals(List.of("audio", "application"), parsed.media().stream().map(MediaDescription::media).toList());
        assertTrue(parsed.media().get(1).isSctp());
    }

    @Test
    void nafGoogRembHookFiresOnlyForPayloadType107() {
        NegotiatedMedia n107 = new NegotiatedMedia(Optional.empty(),
                Optional.of(new NegotiatedMedia.Video("1", VideoCodec.H264, 107, OptionalInt.empty(),
                        VideoCodec.H264_FMTP)), Optional.empty());
        assertTrue(SdpWriter.write(SfuSdp.subscriberOffer(n107)).contains("a=rtcp-fb:107 goog-remb\r\n"));
    }
}
