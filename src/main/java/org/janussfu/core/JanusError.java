package org.janussfu.core;

/**
 * The Janus API error codes of Janus' {@code apierror.h}, with the numbers clients see on the wire.
 * An immutable value shared by every thread; the reason texts are built where the error is raised
 * (see {@link JanusException}) so that they match Janus' own wording.
 */
public enum JanusError {
    UNAUTHORIZED(403),
    UNAUTHORIZED_PLUGIN(405),
    TRANSPORT_SPECIFIC(450),
    MISSING_REQUEST(452),
    UNKNOWN_REQUEST(453),
    INVALID_JSON(454),
    INVALID_JSON_OBJECT(455),
    MISSING_MANDATORY_ELEMENT(456),
    INVALID_REQUEST_PATH(457),
    SESSION_NOT_FOUND(458),
    HANDLE_NOT_FOUND(459),
    PLUGIN_NOT_FOUND(460),
    PLUGIN_ATTACH(461),
    PLUGIN_MESSAGE(462),
    PLUGIN_DETACH(463),
    JSEP_UNKNOWN_TYPE(464),
    JSEP_INVALID_SDP(465),
    TRICKLE_INVALID_STREAM(466),
    INVALID_ELEMENT_TYPE(467),
    SESSION_CONFLICT(468),
    UNEXPECTED_ANSWER(469),
    TOKEN_NOT_FOUND(470),
    WEBRTC_STATE(471),
    NOT_ACCEPTING_SESSIONS(472),
    UNKNOWN(490);

    private final int code;

    JanusError(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
