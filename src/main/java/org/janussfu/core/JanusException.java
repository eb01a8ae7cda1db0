package org.janussfu.core;

/**
 * A request failed with a Janus API error. Thrown only on the signalling path (never per packet) and
 * turned into {@code {"janus":"error",...,"error":{"code":N,"reason":"..."}}} by the dispatcher on the
 * thread that processed the request. Stack traces are not filled: these are expected outcomes, not bugs.
 */
public final class JanusException extends Exception {
    private static final long serialVersionUID = 1L;

    private final JanusError error;

    public JanusException(JanusError error, String reason) {
        super(reason, null, false, false);
        this.error = error;
    }

    public JanusError error() {
        return error;
    }

    public String reason() {
        return getMessage();
    }

    static JanusException missing(String element) {
        return new JanusException(JanusError.MISSING_MANDATORY_ELEMENT, "Missing mandatory element (" + element + ")");
    }

    static JanusException wrongType(String element, String expected) {
        return new JanusException(JanusError.INVALID_ELEMENT_TYPE,
                "Invalid element type (" + element + " should be " + expected + ")");
    }
}
