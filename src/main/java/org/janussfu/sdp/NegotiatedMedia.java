package org.janussfu.sdp;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a publisher's offer/answer settled: the accepted audio, video and data m-lines with their mids and payload
 * types. The plugin stores it to build subscriber offers whose payload types line up with the forwarded RTP (the
 * SFU never rewrites payload types, sfu-protocol §6.3), and the media plane reads it to know which PTs to expect.
 * Immutable value; any thread.
 */
public record NegotiatedMedia(Optional<Audio> audio, Optional<Video> video, Optional<Data> data) {

    /** Nothing negotiated (e.g. before the first offer). */
    public static final NegotiatedMedia NONE = new NegotiatedMedia(Optional.empty(), Optional.empty(),
            Optional.empty());

    public NegotiatedMedia {
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(video, "video");
        Objects.requireNonNull(data, "data");
    }

    /** The accepted audio m-line: Opus at {@code opusPayloadType}. */
    public record Audio(String mid, int opusPayloadType) {
    }

    /**
     * The accepted video m-line.
     *
     * @param fmtp the fmtp parameter text the SFU answered with, or null
     */
    public record Video(String mid, VideoCodec codec, int payloadType, OptionalInt rtxPayloadType, String fmtp) {
        public Video {
            Objects.requireNonNull(codec, "codec");
            Objects.requireNonNull(rtxPayloadType, "rtxPayloadType");
        }
    }

    /**
     * The accepted application m-line.
     *
     * @param legacy               true for {@code DTLS/SCTP} + {@code a=sctpmap} (draft-ietf-mmusic-sctp-sdp-05)
     * @param remoteSctpPort       the publisher's SCTP port (RFC 8841 §5: 5000 when not given)
     * @param remoteMaxMessageSize the largest message the publisher accepts (RFC 8841 §6: 65536 when not given;
     *                             0 means no limit)
     */
    public record Data(String mid, boolean legacy, int remoteSctpPort, long remoteMaxMessageSize) {
    }
}
