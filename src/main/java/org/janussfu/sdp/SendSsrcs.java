package org.janussfu.sdp;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The SSRCs one subscriber handle sends with, and the names that identify them in SDP, as Janus core writes them
 * for its own sending m-lines (sfu-protocol §6.2, §7.5): audio and video SSRCs, an optional RFC 4588 retransmission
 * SSRC for video, CNAME {@code janus} (RFC 5576 §6.1, RFC 7022) and stream {@code janus} with tracks
 * {@code janusa0} / {@code janusv0} (RFC 8830). Chosen by the media plane (random, distinct per handle).
 * Immutable value; any thread.
 */
public record SendSsrcs(long audioSsrc, long videoSsrc, OptionalLong videoRtxSsrc, String cname, String streamId,
                        String audioTrackId, String videoTrackId) {

    public SendSsrcs {
        checkSsrc(audioSsrc);
        checkSsrc(videoSsrc);
        Objects.requireNonNull(videoRtxSsrc, "videoRtxSsrc");
        videoRtxSsrc.ifPresent(SendSsrcs::checkSsrc);
        Objects.requireNonNull(cname, "cname");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(audioTrackId, "audioTrackId");
        Objects.requireNonNull(videoTrackId, "videoTrackId");
    }

    /** Janus's naming: cname and stream {@code janus}, tracks {@code janusa0} and {@code janusv0}. */
    public static SendSsrcs janus(long audioSsrc, long videoSsrc, long videoRtxSsrc) {
        return new SendSsrcs(audioSsrc, videoSsrc, OptionalLong.of(videoRtxSsrc), "janus", "janus", "janusa0",
                "janusv0");
    }

    private static void checkSsrc(long ssrc) {
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ssrc " + ssrc);
        }
    }
}
