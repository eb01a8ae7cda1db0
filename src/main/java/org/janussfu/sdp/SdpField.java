package org.janussfu.sdp;

import java.util.Objects;

/**
 * A non-attribute SDP line other than {@code v=}, {@code o=}, {@code s=} and {@code m=} (RFC 8866 §5): {@code i=},
 * {@code u=}, {@code e=}, {@code p=}, {@code c=}, {@code b=}, {@code t=}, {@code r=}, {@code z=}, {@code k=}. Kept
 * as raw text because this server interprets only {@code c=}; everything else is carried so that nothing is lost.
 * Immutable value; any thread.
 */
public record SdpField(char type, String value) {

    /** Session-level line types in the order RFC 8866 §5 requires; {@code r=} shares the rank of its {@code t=}. */
    static final String SESSION_ORDER = "iuepcbtrzk";
    /** Media-level line types in the order RFC 8866 §5 requires. */
    static final String MEDIA_ORDER = "icbk";

    public SdpField {
        Objects.requireNonNull(value, "value");
    }

    /** The value of the first field of {@code type} in {@code fields}, or null. */
    static String first(java.util.List<SdpField> fields, char type) {
        for (SdpField f : fields) {
            if (f.type() == type) {
                return f.value();
            }
        }
        return null;
    }

    public static SdpField connection(String value) {
        return new SdpField('c', value);
    }

    /** Rank for writing at session level; {@code t} and {@code r} share a rank so repeat lines stay after theirs. */
    int sessionRank() {
        return type == 'r' ? SESSION_ORDER.indexOf('t') : SESSION_ORDER.indexOf(type);
    }

    int mediaRank() {
        return MEDIA_ORDER.indexOf(type);
    }

    @Override
    public String toString() {
        return type + "=" + value;
    }
}
