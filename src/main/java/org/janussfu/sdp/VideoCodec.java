package org.janussfu.sdp;

import java.util.List;

/**
 * The video codecs the SFU can forward, with the rule deciding whether an offered payload type is acceptable and
 * the fmtp the SFU writes for it. The SFU never transcodes, so a publisher's codec must be decodable by every
 * subscriber; H.264 constrained baseline 42e01f is the one all browsers decode in hardware, which is why the
 * default {@link CodecPolicy} accepts nothing else (sfu-protocol §6.1). Immutable; any thread.
 */
public enum VideoCodec {
    /**
     * H.264 (RFC 6184). Acceptable when {@code profile-level-id} equals {@code 42e01f} ignoring case (RFC 6184
     * §8.1: constrained baseline, level 3.1) and {@code packetization-mode} is present and not 0. RFC 6184 §8.1
     * says an absent packetization-mode means 0 and the mode is part of the format's identity (§8.2.2), so an
     * absent mode is treated as 0; Janus's substring test would accept it and then answer mode 1, which RFC 6184
     * does not allow. Browsers always write the mode.
     */
    H264("H264") {
        @Override
        boolean accepts(RtpMap map, Fmtp fmtp) {
            if (fmtp == null) {
                return false;
            }
            String plid = fmtp.parameter("profile-level-id");
            String mode = fmtp.parameter("packetization-mode");
            return "42e01f".equalsIgnoreCase(plid) && mode != null && !mode.equals("0");
        }

        @Override
        String answerFmtp(Fmtp offered) {
            return H264_FMTP;
        }
    },
    /** VP8 (RFC 7741); no format parameters needed. */
    VP8("VP8") {
        @Override
        boolean accepts(RtpMap map, Fmtp fmtp) {
            return true;
        }

        @Override
        String answerFmtp(Fmtp offered) {
            return null;
        }
    },
    /** VP9 (RFC 9628); profile 0 only ({@code profile-id} absent or 0), which every decoder supports. */
    VP9("VP9") {
        @Override
        boolean accepts(RtpMap map, Fmtp fmtp) {
            String profile = fmtp == null ? null : fmtp.parameter("profile-id");
            return profile == null || profile.equals("0");
        }

        @Override
        String answerFmtp(Fmtp offered) {
            return offered == null || offered.parameter("profile-id") == null ? null : "profile-id=0";
        }
    },
    /** AV1 (AOM RTP payload format §7.2); Main profile only ({@code profile} absent or 0). */
    AV1("AV1") {
        @Override
        boolean accepts(RtpMap map, Fmtp fmtp) {
            String profile = fmtp == null ? null : fmtp.parameter("profile");
            return profile == null || profile.equals("0");
        }

        @Override
        String answerFmtp(Fmtp offered) {
            return offered == null || offered.parameterText().isEmpty() ? null : offered.parameterText();
        }
    };

    /** The H.264 fmtp of the SFU's answers and subscriber offers (sfu-protocol §6.1, §6.2). */
    public static final String H264_FMTP = "profile-level-id=42e01f;packetization-mode=1";

    private final String encoding;

    VideoCodec(String encoding) {
        this.encoding = encoding;
    }

    /** The rtpmap encoding name. */
    public String encoding() {
        return encoding;
    }

    /** Whether an offered format of this codec (rtpmap already matched by name) is acceptable. */
    abstract boolean accepts(RtpMap map, Fmtp fmtp);

    /** The fmtp parameter text to answer with, or null for none. */
    abstract String answerFmtp(Fmtp offered);

    /**
     * The first acceptable payload type of this codec in {@code m}, or -1. H.264 is searched in fmtp order, as
     * Janus does (sfu-protocol §6.1); the others in m= format order (RFC 8866 §5.14: formats are listed in
     * preference order).
     */
    int choose(MediaDescription m) {
        List<RtpMap> maps = m.rtpMaps();
        if (this == H264) {
            for (Fmtp f : m.fmtps()) {
                RtpMap map = find(maps, f.payloadType());
                if (map != null && matchesName(map) && m.formats().contains(Integer.toString(f.payloadType()))
                        && accepts(map, f)) {
                    return f.payloadType();
                }
            }
            return -1;
        }
        for (String format : m.formats()) {
            for (RtpMap map : maps) {
                if (Integer.toString(map.payloadType()).equals(format) && matchesName(map)
                        && accepts(map, m.fmtp(map.payloadType()))) {
                    return map.payloadType();
                }
            }
        }
        return -1;
    }

    private boolean matchesName(RtpMap map) {
        return map.isEncoding(encoding) && map.clockRate() == 90000;
    }

    private static RtpMap find(List<RtpMap> maps, int pt) {
        for (RtpMap m : maps) {
            if (m.payloadType() == pt) {
                return m;
            }
        }
        return null;
    }
}
