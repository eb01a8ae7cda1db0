package org.janussfu.core;

/**
 * A JSEP object as it travels in the Janus API: {@code {"type":"offer"|"answer","sdp":"..."}}. Immutable;
 * created by the dispatcher from a validated request or by a plugin for its reply, and readable from any
 * thread. {@code restart} mirrors a client's ICE-restart flag and is carried but not interpreted here.
 */
public record Jsep(Type type, String sdp, boolean trickle) {

    /** The two JSEP types the Janus API knows. */
    public enum Type {
        OFFER("offer"), ANSWER("answer");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static Type parse(String text) {
            for (Type t : values()) {
                if (t.wire.equalsIgnoreCase(text)) {
                    return t;
                }
            }
            return null;
        }
    }

    public Jsep {
        if (type == null || sdp == null) {
            throw new IllegalArgumentException("type and sdp are required");
        }
    }

    public static Jsep offer(String sdp) {
        return new Jsep(Type.OFFER, sdp, true);
    }

    public static Jsep answer(String sdp) {
        return new Jsep(Type.ANSWER, sdp, true);
    }
}
