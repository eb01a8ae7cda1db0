package org.janussfu.sdp;

import java.util.List;
import java.util.Objects;

/**
 * {@code a=msid:<stream id> [<track id>]} (RFC 8830 §2): the media stream a track belongs to. Janus identifies its
 * outgoing streams as {@code janus} with tracks {@code janusa0} / {@code janusv0}. Immutable value; any thread.
 */
public record Msid(String streamId, String trackId) {

    public Msid {
        Objects.requireNonNull(streamId, "streamId");
    }

    public static Msid parse(String attributeValue) throws SdpException {
        List<String> t = attributeValue == null ? List.of() : SdpTokens.split(attributeValue);
        if (t.isEmpty() || t.size() > 2) {
            throw new SdpException("a=msid needs '<stream id> [<track id>]'");
        }
        return new Msid(t.get(0), t.size() == 2 ? t.get(1) : null);
    }

    @Override
    public String toString() {
        return trackId == null ? streamId : streamId + " " + trackId;
    }
}
