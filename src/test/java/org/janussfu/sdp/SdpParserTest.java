package org.janussfu.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parser and writer: round trips of every fixture, line-end tolerance, typed views, and rejection of garbage. */
class SdpParserTest {
    static final List<String> VALID = Fixtures.VALID;
    static final List<String> MALFORMED = Fixtures.MALFORMED;

    private static final String MINIMAL = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\n";

    @ParameterizedTest
    @FieldSource("VALID")
    void roundTripsEveryFixtureLineForLine(String name) throws SdpException {
        String text = Fixtures.text(name);
        SessionDescription sd = SdpParser.parse(text);
        String written = SdpWriter.write(sd);
        assertEquals(Fixtures.crlf(text), written);
        assertEquals(sd, SdpParser.parse(written));
    }

    @ParameterizedTest
    @FieldSource("VALID")
    void acceptsLfAndLoneCrLineEnds(String name) throws SdpException {
        String crlf = Fixtures.crlf(Fixtures.text(name));
        SessionDescription expected = SdpParser.parse(crlf);
        assertEquals(expected, SdpParser.parse(crlf.replace("\r\n", "\n")));
        assertEquals(expected, SdpParser.parse(crlf.replace("\r\n", "\r")));
        assertEquals(expected, SdpParser.parse(crlf + "\r\n\r\n"));
    }

    @ParameterizedTest
    @FieldSource("MALFORMED")
    void rejectsMalformedFixtures(String name) {
        assertThrows(SdpException.class, () -> SdpParser.parse(Fixtures.text(name)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "\r\n\r\n",
        "v=1\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n",
        "v=0\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nm=audio 9 RTP/AVP 0\r\n",
        "v=0\r\no=- 1 2 IN IP4\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n",
        "v=0\r\no=- x 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n",
        "v=0\r\nv=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nx=unknown\r\nm=audio 9 RTP/AVP 0\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\nt=0 0\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\nthis is not sdp\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\nA=rtcp-mux\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=:x\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio -1 RTP/AVP 0\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9/0 RTP/AVP 0\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 99999999999999999999 RTP/AVP 0\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP opus\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=application 9 DTLS/SCTP webrtc-datachannel\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/fast\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=fmtp:300 x=1\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=rtcp-fb:x nack\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=rtcp-fb:0\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=ssrc:4294967296 cname:x\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=ssrc-group:FID 1 x\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=extmap:0 urn:x\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=fingerprint:sha-256 ZZ:00\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=fingerprint:sha-256\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=setup:sometimes\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=sctp-port:65536\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=max-message-size:-1\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=sctpmap:5000\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=mid:\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=ice-ufrag\r\n",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=msid:a b c\r\n",
        " v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n",
        "{\"janus\":\"message\"}",
    })
    void rejectsGarbage(String sdp) {
        assertThrows(SdpException.class, () -> SdpParser.parse(sdp));
    }

    @Test
    void rejectsNull() {
        assertThrows(SdpException.class, () -> SdpParser.parse(null));
    }

    @Test
    void readsChromeRenegotiationOffer() {
        SessionDescription sd = Fixtures.parse("chrome-renegotiation-offer.sdp");
        assertEquals(List.of("0", "1", "2"), sd.bundleMids());
        assertTrue(sd.extmapAllowMixed());
        assertEquals(" WMS 0b4f5c1e-7d0e-4a53-9e1c-3a0f8c2b9d41", sd.msidSemantic());
        assertEquals("4611731400430051336", sd.origin().sessionId());
        assertEquals(3, sd.media().size());

        MediaDescription data = sd.media().get(0);
        assertEquals(MediaKind.APPLICATION, data.kind());
        assertTrue(data.isSctp());
        assertEquals(58231, data.port());
        assertEquals("IN IP4 192.168.1.23", data.connection());
        assertEquals(5000, data.sctpPort());
        assertEquals(262144L, data.maxMessageSize());
        assertEquals(3, data.candidates().size());
        assertTrue(data.candidates().get(0).startsWith("2999745851 1 udp 2122260223"));
        assertFalse(data.endOfCandidates());
        assertEquals("h6Yq", data.iceUfrag());
        assertEquals("KuR1SA4gq7kLtq3bNUNL5Ysa", data.icePwd());
        assertEquals("trickle", data.iceOptions());
        assertEquals("sha-256", data.fingerprint().algorithm());
        assertEquals(SetupRole.ACTPASS, data.setup());
        assertNull(data.direction());

        MediaDescription audio = sd.media().get(1);
        assertEquals(List.of("111", "63", "9", "0", "8", "13", "110", "126"), audio.formats());
        assertEquals("1", audio.mid());
        assertEquals(Direction.SENDRECV, audio.direction());
        assertTrue(audio.rtcpMux());
        assertEquals(new RtpMap(111, "opus", 48000, "2"), audio.rtpMap(111));
        assertEquals("minptime=10;useinbandfec=1", audio.fmtp(111).parameterText());
        assertEquals("1", audio.fmtp(111).parameter("useinbandfec"));
        assertEquals(4, audio.extmaps().size());
        assertEquals(new Extmap(4, null, "urn:ietf:params:rtp-hdrext:sdes:mid", null), audio.extmaps().get(3));
        assertEquals(3948572011L, audio.ssrcs().get(0).ssrc());
        assertEquals("5a1c7e02-2f6b-4c8d-9b3e-6e4d1f0a7c55", audio.msid().trackId());
        assertEquals("9 IN IP4 0.0.0.0", audio.attribute("rtcp"));

        MediaDescription video = sd.media().get(2);
        assertEquals(23, video.formats().size());
        assertEquals(5, video.rtcpFeedback(109).size());
        assertEquals("apt=109", video.fmtp(114).parameterText());
        assertEquals(List.of(new SsrcGroup("FID", List.of(2716495201L, 1185390432L))), video.ssrcGroups());
        assertEquals(11, video.extmaps().size());
    }

    @Test
    void readsFirefoxSessionLevelAttributes() {
        SessionDescription sd = Fixtures.parse("firefox-offer.sdp");
        assertEquals("sha-256", sd.fingerprint().algorithm());
        assertNull(sd.media().get(0).fingerprint());
        assertEquals("trickle", sd.iceOptions());
        assertEquals("WMS *", sd.msidSemantic());
        assertEquals("mozilla...THIS_IS_SDPARTA-99.0", sd.origin().username());
        MediaDescription audio = sd.media().get(0);
        assertTrue(audio.endOfCandidates());
        assertEquals(3, audio.candidates().size());
        assertEquals(new Extmap(2, "recvonly", "urn:ietf:params:rtp-hdrext:csrc-audio-level", null),
                audio.extmaps().get(1));
        assertEquals("0-15", audio.fmtp(101).parameterText());
        assertEquals(Direction.SENDRECV, sd.media().get(2).direction());
        assertEquals(1073741823L, sd.media().get(2).maxMessageSize());
    }

    @Test
    void readsLegacyDataChannel() {
        MediaDescription m = Fixtures.parse("legacy-datachannel-offer.sdp").media().get(0);
        assertTrue(m.isSctp());
        assertFalse(m.isRtp());
        assertEquals(new SctpMap(5000, "webrtc-datachannel", 1024), m.sctpMap());
        assertNull(m.sctpPort());
        assertEquals("data", m.mid());
    }

    @Test
    void keepsUnknownAttributesAndFieldsInOrder() throws SdpException {
        String sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\ni=info\r\nc=IN IP4 0.0.0.0\r\nb=AS:30\r\n"
                + "t=0 0\r\nr=7d 1h 0 25h\r\na=x-custom:1 2 3\r\na=ice-lite\r\n"
                + "m=audio 9/2 RTP/AVP 0 8\r\ni=audio\r\nc=IN IP4 0.0.0.0\r\nb=TIAS:64000\r\n"
                + "a=zzz\r\na=rtpmap:0 PCMU/8000\r\na=x-google-flag:conference\r\na=rtcp-fb:* nack\r\n"
                + "m=text 0 RTP/AVP 98\r\na=rtpmap:98 t140/1000\r\n";
        SessionDescription sd = SdpParser.parse(sdp);
        assertEquals(sdp, SdpWriter.write(sd));
        assertEquals(2, sd.media().get(0).portCount());
        assertEquals(MediaKind.OTHER, sd.media().get(1).kind());
        assertEquals(RtcpFeedback.WILDCARD, sd.media().get(0).rtcpFeedback(0).get(0).payloadType());
        assertEquals("conference", sd.media().get(0).attribute("x-google-flag"));
        assertEquals("IN IP4 0.0.0.0", sd.connection());
    }

    @Test
    void toleratesTrailingBlanksAndWritesRfcOrder() throws SdpException {
        // t= before c= and no t= at all are tolerated; the writer restores RFC 8866 §5 order.
        String sdp = "v=0  \no=- 1 2 IN IP4 127.0.0.1\ns=-\nt=0 0\nc=IN IP4 0.0.0.0\n"
                + "m=audio 9 RTP/AVP 0\na=rtcp-mux \t\nb=AS:1\n";
        SessionDescription sd = SdpParser.parse(sdp);
        assertTrue(sd.media().get(0).rtcpMux());
        assertEquals("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
                + "m=audio 9 RTP/AVP 0\r\nb=AS:1\r\na=rtcp-mux\r\n", SdpWriter.write(sd));
        SessionDescription noTiming = SdpParser.parse(MINIMAL.replace("t=0 0\r\n", ""));
        assertEquals(MINIMAL, SdpWriter.write(noTiming));
    }

    @Test
    void acceptsBigOriginNumbers() throws SdpException {
        SessionDescription sd = SdpParser.parse(MINIMAL.replace("o=- 1 2", "o=- 18446744073709551615 2"));
        assertEquals("18446744073709551615", sd.origin().sessionId());
    }
}
