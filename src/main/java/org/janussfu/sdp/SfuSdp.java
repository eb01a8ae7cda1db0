package org.janussfu.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The two SDP templates of janus.plugin.sfu (sfu-protocol §6.1, §6.2), as pure functions.
 *
 * <p>{@link #publisherAnswer} answers a browser's offer the way Janus's generic answer generator configured by the
 * plugin does: Opus receive-only, one video codec receive-only (H.264 42e01f by default), the first data channel
 * m-line, everything else rejected. {@link #subscriberOffer} builds the offer sent to subscriber handles: always
 * audio, video, application, in that order, send-only, reusing the publisher's payload types because the SFU
 * forwards RTP without rewriting them.
 *
 * <p>Both return templates without ICE or DTLS parameters and without candidates; {@link JsepMerge} fills those in,
 * like Janus core does around a plugin's SDP (sfu-protocol §7.5). Media sections use port 9 and
 * {@code c=IN IP4 0.0.0.0} (RFC 8829 §5.2.1: no candidates known yet). Stateless; any thread.
 */
public final class SfuSdp {
    /** Opus fmtp appended by the plugin to its answers and subscriber offers (sfu-protocol §6.1, §6.2, exact). */
    public static final String OPUS_FMTP = "stereo=0; sprop-stereo=0; usedtx=1;";
    /** Payload type used in subscriber offers when the publisher negotiated no audio or video (§6.2). */
    public static final int DEFAULT_PAYLOAD_TYPE = 100;
    /** Video feedback the SFU uses: FIR (RFC 5104 §7.1), NACK and PLI (RFC 4585 §4.2), REMB. */
    public static final List<String> VIDEO_FEEDBACK = List.of("ccm fir", "nack", "nack pli", "goog-remb");
    /** Mids of subscriber offers (sfu-protocol §7.5). */
    public static final String AUDIO_MID = "a", VIDEO_MID = "v", DATA_MID = "d";

    static final String NULL_CONNECTION = "IN IP4 0.0.0.0";
    static final int DISCARD_PORT = 9;
    private static final String RTP_PROTO = "UDP/TLS/RTP/SAVPF";
    private static final String SCTP_PROTO = "UDP/DTLS/SCTP";
    private static final String DATACHANNEL = "webrtc-datachannel";
    /** RFC 8841 §6: without a=max-message-size the peer accepts at most 64 KiB. */
    private static final long DEFAULT_MAX_MESSAGE_SIZE = 65536;
    /** RFC 8841 §5: without a=sctp-port the SCTP port is 5000. */
    private static final int DEFAULT_SCTP_PORT = 5000;

    private SfuSdp() {
    }

    /**
     * Answers a publisher's offer (sfu-protocol §6.1). Per m-line in offer order, mids echoed:
     * <ul>
     * <li>the first audio m-line that the offerer did not itself reject: accepted if it offers
     * {@code opus/48000/2}, answered with that PT, the offer's direction turned receive-only (RFC 3264 §6.1) and
     * {@code a=fmtp:<pt> stereo=0; sprop-stereo=0; usedtx=1;};</li>
     * <li>the first video m-line: accepted with the first codec of {@code policy.videoPreference()} the offer has
     * (see {@link VideoCodec} for the H.264 rule), its offered RTX PT ({@code apt=}, RFC 4588 §8) and those of
     * {@code ccm fir}, {@code nack}, {@code nack pli}, {@code goog-remb} the offer lists for it (RFC 4585 §4.2: an
     * answer only keeps offered feedback);</li>
     * <li>the first application m-line: accepted if it is {@code UDP/DTLS/SCTP webrtc-datachannel} (RFC 8841 §4.1;
     * answered with the SFU's {@code a=sctp-port} and {@code a=max-message-size}, §5, §6) or legacy
     * {@code DTLS/SCTP <port>} with {@code a=sctpmap:<port> webrtc-datachannel} (answered in the same form);</li>
     * <li>every other m-line, and a first m-line that cannot be accepted: rejected with port 0, keeping the media,
     * proto and first format (RFC 8829 §5.3.1, RFC 3264 §6).</li>
     * </ul>
     * Header extensions are answered only if their URI is in {@link CodecPolicy#acceptedExtmapUris()} (none by
     * default); {@code a=extmap-allow-mixed} is echoed when offered (RFC 8285 §6).
     *
     * @throws SdpException if the offer lacks ICE credentials or a fingerprint for the transport it would use
     */
    public static PublisherAnswer publisherAnswer(SessionDescription offer, CodecPolicy policy) throws SdpException {
        if (offer.media().isEmpty()) {
            throw new SdpException("offer has no m= line");
        }
        for (MediaDescription m : offer.media()) {
            if (m.formats().isEmpty()) {
                throw new SdpException("m=" + m.media() + " has no format");
            }
        }
        List<MediaDescription> answered = new ArrayList<>();
        Optional<NegotiatedMedia.Audio> audio = Optional.empty();
        Optional<NegotiatedMedia.Video> video = Optional.empty();
        Optional<NegotiatedMedia.Data> data = Optional.empty();
        boolean audioSeen = false;
        boolean videoSeen = false;
        boolean dataSeen = false;
        List<Integer> acceptedIndexes = new ArrayList<>();

        for (MediaDescription m : offer.media()) {
            MediaDescription answer = null;
            if (!m.isRejected()) {
                switch (m.kind()) {
                    case AUDIO -> {
                        if (!audioSeen) {
                            audioSeen = true;
                            int pt = chooseOpus(m);
                            if (pt >= 0) {
                                audio = Optional.of(new NegotiatedMedia.Audio(m.mid(), pt));
                                answer = answerAudio(m, pt, policy);
                            }
                        }
                    }
                    case VIDEO -> {
                        if (!videoSeen) {
                            videoSeen = true;
                            NegotiatedMedia.Video v = chooseVideo(m, policy);
                            if (v != null) {
                                video = Optional.of(v);
                                answer = answerVideo(m, v, policy);
                            }
                        }
                    }
                    case APPLICATION -> {
                        if (!dataSeen) {
                            dataSeen = true;
                            NegotiatedMedia.Data d = chooseData(m);
                            if (d != null) {
                                data = Optional.of(d);
                                answer = answerData(m, d, policy);
                            }
                        }
                    }
                    default -> {
                        // other media types are always rejected
                    }
                }
            }
            if (answer == null) {
                answered.add(reject(m));
            } else {
                acceptedIndexes.add(answered.size());
                answered.add(answer);
            }
        }

        RemoteTransport remote = TransportExtractor.extract(offer, acceptedIndexes);
        List<Attribute> sessionAttributes = new ArrayList<>();
        if (offer.extmapAllowMixed()) {
            sessionAttributes.add(Attribute.flag("extmap-allow-mixed"));
        }
        Origin origin = new Origin("-", offer.origin().sessionId(), offer.origin().sessionVersion(), "IN", "IP4",
                "127.0.0.1");
        SessionDescription answer = new SessionDescription(origin, "-", List.of(new SdpField('t', "0 0")),
                sessionAttributes, answered);
        return new PublisherAnswer(answer, new NegotiatedMedia(audio, video, data), remote);
    }

    /**
     * The offer for a subscriber handle (sfu-protocol §6.2), with {@link CodecPolicy#DEFAULT} SCTP parameters.
     *
     * @see #subscriberOffer(NegotiatedMedia, CodecPolicy)
     */
    public static SessionDescription subscriberOffer(NegotiatedMedia publisher) {
        return subscriberOffer(publisher, CodecPolicy.DEFAULT);
    }

    /**
     * The offer for a subscriber handle (sfu-protocol §6.2): session name {@code Janus session}, then exactly three
     * m-lines in the order audio ({@code a}), video ({@code v}), application ({@code d}), whatever the publisher
     * sends.
     *
     * <p>Compatibility constraints from naf-janus-adapter ({@code configureSubscriberSdp}):
     * <ul>
     * <li>in HeadlessChrome without H.264 it deletes everything from {@code m=video} to the <em>last</em>
     * {@code m=} line, so video must be followed by nothing but the application m-line: never change the order;</li>
     * <li>it injects {@code transport-cc} and a second fmtp after the exact line {@code a=rtcp-fb:107 goog-remb},
     * which only fires if the video PT is 107 (Janus's old default). PTs here follow the publisher, so it rarely
     * does, and a duplicate fmtp for 107 is harmless to browsers.</li>
     * </ul>
     * Audio is {@code opus/48000/2} with the publisher's Opus PT (100 if none), sendonly, fmtp {@link #OPUS_FMTP}.
     * Video is the publisher's codec and PT (H.264 and 100 if none), sendonly, feedback {@link #VIDEO_FEEDBACK},
     * the codec's fmtp, and an RTX PT (RFC 4588 §8) that differs from both media PTs (the publisher's RTX PT when
     * possible). When neither audio nor video was negotiated both use PT 100, exactly like the plugin (RFC 8843
     * §9.1.1 would want distinct PTs in one BUNDLE group, but that offer carries no media anyway). The
     * application m-line uses the modern {@code UDP/DTLS/SCTP webrtc-datachannel} form with {@code a=sctp-port} and
     * {@code a=max-message-size} (RFC 8841 §5, §6), which is what Janus core rewrites the plugin's legacy form to.
     * Per-subscriber SSRCs, msid and cname are added by {@link JsepMerge#withSendSsrcs}.
     */
    public static SessionDescription subscriberOffer(NegotiatedMedia publisher, CodecPolicy policy) {
        int audioPt = publisher.audio().map(NegotiatedMedia.Audio::opusPayloadType).orElse(DEFAULT_PAYLOAD_TYPE);
        VideoCodec codec = publisher.video().map(NegotiatedMedia.Video::codec).orElse(VideoCodec.H264);
        int videoPt = publisher.video().map(NegotiatedMedia.Video::payloadType).orElse(DEFAULT_PAYLOAD_TYPE);
        String videoFmtp = codec == VideoCodec.H264 ? VideoCodec.H264_FMTP
                : publisher.video().map(NegotiatedMedia.Video::fmtp).orElse(null);
        OptionalInt preferredRtx = publisher.video().map(NegotiatedMedia.Video::rtxPayloadType)
                .orElse(OptionalInt.empty());
        int rtxPt = chooseRtxPayloadType(preferredRtx, audioPt, videoPt);

        MediaDescription audioM = MediaDescription.builder("audio", DISCARD_PORT, RTP_PROTO)
                .format(audioPt).connection(NULL_CONNECTION)
                .mid(AUDIO_MID).direction(Direction.SENDONLY)
                .rtpMap(new RtpMap(audioPt, "opus", 48000, "2"))
                .fmtp(audioPt, OPUS_FMTP)
                .build();
        MediaDescription.Builder vb = MediaDescription.builder("video", DISCARD_PORT, RTP_PROTO)
                .format(videoPt).format(rtxPt).connection(NULL_CONNECTION)
                .mid(VIDEO_MID).direction(Direction.SENDONLY)
                .rtpMap(new RtpMap(videoPt, codec.encoding(), 90000, null));
        if (videoFmtp != null) {
            vb.fmtp(videoPt, videoFmtp);
        }
        for (String fb : VIDEO_FEEDBACK) {
            vb.rtcpFeedback(videoPt, fb);
        }
        vb.rtpMap(new RtpMap(rtxPt, "rtx", 90000, null)).fmtp(rtxPt, "apt=" + videoPt);
        MediaDescription dataM = MediaDescription.builder("application", DISCARD_PORT, SCTP_PROTO)
                .format(DATACHANNEL).connection(NULL_CONNECTION)
                .mid(DATA_MID)
                .attribute("sctp-port", policy.localSctpPort())
                .attribute("max-message-size", policy.maxMessageSize())
                .build();
        return new SessionDescription(Origin.jsep(0, 0), "Janus session", List.of(new SdpField('t', "0 0")),
                List.of(Attribute.flag("extmap-allow-mixed")), List.of(audioM, vb.build(), dataM));
    }

    /** The preferred RTX PT if free, else the first of 96..127 (dynamic range, RFC 3551 §6) not in use. */
    static int chooseRtxPayloadType(OptionalInt preferred, int audioPt, int videoPt) {
        if (preferred.isPresent() && preferred.getAsInt() != audioPt && preferred.getAsInt() != videoPt) {
            return preferred.getAsInt();
        }
        for (int pt = 96; pt <= 127; pt++) {
            if (pt != audioPt && pt != videoPt) {
                return pt;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static int chooseOpus(MediaDescription m) {
        for (String format : m.formats()) {
            for (RtpMap map : m.rtpMaps()) {
                if (Integer.toString(map.payloadType()).equals(format) && map.isEncoding("opus")
                        && map.clockRate() == 48000 && "2".equals(map.encodingParameters())) {
                    return map.payloadType();
                }
            }
        }
        return -1;
    }

    private static NegotiatedMedia.Video chooseVideo(MediaDescription m, CodecPolicy policy) {
        for (VideoCodec codec : policy.videoPreference()) {
            int pt = codec.choose(m);
            if (pt >= 0) {
                return new NegotiatedMedia.Video(m.mid(), codec, pt, findRtx(m, pt), codec.answerFmtp(m.fmtp(pt)));
            }
        }
        return null;
    }

    /** The offered {@code rtx/90000} PT whose {@code apt} is {@code pt} (RFC 4588 §8), if any. */
    private static OptionalInt findRtx(MediaDescription m, int pt) {
        for (RtpMap map : m.rtpMaps()) {
            if (map.isEncoding("rtx") && map.clockRate() == 90000
                    && m.formats().contains(Integer.toString(map.payloadType()))) {
                Fmtp f = m.fmtp(map.payloadType());
                if (f != null && Integer.toString(pt).equals(f.parameter("apt"))) {
                    return OptionalInt.of(map.payloadType());
                }
            }
        }
        return OptionalInt.empty();
    }

    private static NegotiatedMedia.Data chooseData(MediaDescription m) {
        String proto = m.proto();
        if ((proto.equalsIgnoreCase(SCTP_PROTO) || proto.equalsIgnoreCase("TCP/DTLS/SCTP"))
                && m.formats().contains(DATACHANNEL)) {
            Integer port = m.sctpPort();
            Long max = m.maxMessageSize();
            return new NegotiatedMedia.Data(m.mid(), false, port == null ? DEFAULT_SCTP_PORT : port,
                    max == null ? DEFAULT_MAX_MESSAGE_SIZE : max);
        }
        if (proto.equalsIgnoreCase("DTLS/SCTP")) {
            SctpMap map = m.sctpMap();
            if (map != null && map.app().equalsIgnoreCase(DATACHANNEL)
                    && m.formats().contains(Integer.toString(map.number()))) {
                Long max = m.maxMessageSize();
                return new NegotiatedMedia.Data(m.mid(), true, map.number(),
                        max == null ? DEFAULT_MAX_MESSAGE_SIZE : max);
            }
        }
        return null;
    }

    private static MediaDescription.Builder start(MediaDescription offered, String format) {
        MediaDescription.Builder b = MediaDescription.builder(offered.media(), DISCARD_PORT, offered.proto())
                .format(format).connection(NULL_CONNECTION);
        if (offered.mid() != null) {
            b.mid(offered.mid());
        }
        return b;
    }

    private static MediaDescription answerAudio(MediaDescription m, int pt, CodecPolicy policy) {
        MediaDescription.Builder b = start(m, Integer.toString(pt))
                .direction(m.effectiveDirection().answerAsReceiver());
        addExtmaps(b, m, policy.acceptedExtmapUris());
        RtpMap offered = m.rtpMap(pt);
        return b.rtpMap(new RtpMap(pt, offered.encoding(), 48000, "2"))
                .fmtp(pt, OPUS_FMTP)
                .build();
    }

    private static MediaDescription answerVideo(MediaDescription m, NegotiatedMedia.Video v, CodecPolicy policy) {
        int pt = v.payloadType();
        MediaDescription.Builder b = start(m, Integer.toString(pt));
        v.rtxPayloadType().ifPresent(b::format);
        b.direction(m.effectiveDirection().answerAsReceiver());
        addExtmaps(b, m, policy.acceptedExtmapUris());
        b.rtpMap(new RtpMap(pt, m.rtpMap(pt).encoding(), 90000, null));
        List<String> offeredFeedback = new ArrayList<>();
        for (RtcpFeedback fb : m.rtcpFeedback(pt)) {
            offeredFeedback.add(fb.feedbackText().toLowerCase(Locale.ROOT));
        }
        for (String fb : VIDEO_FEEDBACK) {
            if (offeredFeedback.contains(fb)) {
                b.rtcpFeedback(pt, fb);
            }
        }
        if (v.fmtp() != null) {
            b.fmtp(pt, v.fmtp());
        }
        if (v.rtxPayloadType().isPresent()) {
            int rtx = v.rtxPayloadType().getAsInt();
            b.rtpMap(new RtpMap(rtx, "rtx", 90000, null)).fmtp(rtx, "apt=" + pt);
        }
        return b.build();
    }

    private static MediaDescription answerData(MediaDescription m, NegotiatedMedia.Data d, CodecPolicy policy) {
        if (d.legacy()) {
            MediaDescription.Builder b = start(m, Integer.toString(policy.localSctpPort()))
                    .attribute("sctpmap", new SctpMap(policy.localSctpPort(), DATACHANNEL, 16).toString());
            if (m.maxMessageSize() != null) {
                b.attribute("max-message-size", policy.maxMessageSize());
            }
            return b.build();
        }
        return start(m, DATACHANNEL)
                .attribute("sctp-port", policy.localSctpPort())
                .attribute("max-message-size", policy.maxMessageSize())
                .build();
    }

    private static void addExtmaps(MediaDescription.Builder b, MediaDescription m, Set<String> accepted) {
        if (accepted.isEmpty()) {
            return;
        }
        for (Extmap e : m.extmaps()) {
            if (accepted.contains(e.uri())) {
                b.attribute("extmap", new Extmap(e.id(), null, e.uri(), null).toString());
            }
        }
    }

    /** A rejected m-line: port 0, the offered media, proto and first format, the mid (RFC 8829 §5.3.1). */
    private static MediaDescription reject(MediaDescription m) {
        MediaDescription.Builder b = MediaDescription.builder(m.media(), 0, m.proto())
                .format(m.formats().get(0)).connection(NULL_CONNECTION);
        if (m.mid() != null) {
            b.mid(m.mid());
        }
        return b.build();
    }
}
