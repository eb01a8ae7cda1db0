package org.janussfu.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the SFU accepts from publishers: the video codecs in preference order (the first codec present in the offer
 * wins), the RTP header extension URIs it echoes, and its SCTP parameters for data channels. Audio is always Opus.
 * {@link #DEFAULT} reproduces janus-plugin-sfu: H.264 42e01f only and no header extensions (sfu-protocol §6.1:
 * the plugin never calls Janus's AcceptExtmap). Accepting extensions is one set away, e.g.
 * {@code urn:ietf:params:rtp-hdrext:sdes:mid} (RFC 9143) or transport-wide-cc, but then the media plane must
 * rewrite or strip them per subscriber. Immutable value; any thread.
 *
 * @param videoPreference   video codecs in preference order; empty rejects all video
 * @param acceptedExtmapUris header extension URIs answered with the offered id (RFC 8285)
 * @param localSctpPort     the SCTP port the SFU announces (RFC 8841 §5; Janus uses 5000)
 * @param maxMessageSize    the largest data-channel message the SFU receives (RFC 8841 §6)
 */
public record CodecPolicy(List<VideoCodec> videoPreference, Set<String> acceptedExtmapUris, int localSctpPort,
                          long maxMessageSize) {

    public static final CodecPolicy DEFAULT = new CodecPolicy(List.of(VideoCodec.H264), Set.of(), 5000, 262144);

    public CodecPolicy {
        videoPreference = List.copyOf(videoPreference);
        acceptedExtmapUris = Set.copyOf(acceptedExtmapUris);
        if (localSctpPort < 1 || localSctpPort > 65535) {
            throw new IllegalArgumentException("sctp port " + localSctpPort);
        }
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("max message size " + maxMessageSize);
        }
    }

    public CodecPolicy withVideoPreference(VideoCodec... codecs) {
        return new CodecPolicy(List.of(codecs), acceptedExtmapUris, localSctpPort, maxMessageSize);
    }

    public CodecPolicy withAcceptedExtmaps(Set<String> uris) {
        return new CodecPolicy(videoPreference, Objects.requireNonNull(uris), localSctpPort, maxMessageSize);
    }
}
