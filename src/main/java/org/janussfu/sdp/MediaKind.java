package org.janussfu.sdp;

/**
 * The {@code <media>} token of an {@code m=} line (RFC 8866 §5.14) as far as this server cares: audio, video,
 * application (SCTP data channels), or anything else (for example {@code text}), which is always rejected. The raw
 * token is kept by {@link MediaDescription#media()}. Immutable; any thread.
 */
public enum MediaKind {
    AUDIO("audio"), VIDEO("video"), APPLICATION("application"), OTHER(null);

    private final String token;

    MediaKind(String token) {
        this.token = token;
    }

    /** The m= token, or null for {@link #OTHER}. */
    public String token() {
        return token;
    }

    public static MediaKind of(String media) {
        for (MediaKind k : values()) {
            if (k.token != null && k.token.equalsIgnoreCase(media)) {
                return k;
            }
        }
        return OTHER;
    }
}
