package org.janussfu.sdp;

/**
 * A session description that cannot be parsed or does not meet what this server needs (RFC 8866 syntax errors,
 * a missing {@code v=} line, no media, malformed {@code m=} lines, bad ports or payload types, missing ICE or DTLS
 * parameters). Checked on purpose: SDP comes from the network, so every caller must decide how to answer it
 * (the Janus core maps it to error 465, "JSEP invalid SDP"). Immutable; any thread.
 */
public final class SdpException extends Exception {
    private static final long serialVersionUID = 1L;

    public SdpException(String message) {
        super(message);
    }

    /** An error tied to a 1-based line number of the input. */
    static SdpException atLine(int lineNumber, String message) {
        return new SdpException("line " + lineNumber + ": " + message);
    }
}
