package org.janussfu.core;

/**
 * A JSEP object as it travels in the Janus API: {@code {"type":"offer"|"answer","sdp":"..."}}. Immutable;
 * created by the dispatcher from a validated request or by a plugin for its reply, and readable from any
 * thread. {@code restart} on a plugin's offer asks the core for an ICE restart (Janus' {@code "restart": true} in a
 * plugin's JSEP): the offer gets new ICE credentials and candidates.
 */
public record Jsep(Type type, String sdp, boolean trickle, boolean restart) {

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

    public Jsep(Type type, String sdp, boolean trickle) {
        this(type, sdp, trickle, false);
    }

    /** A plugin's offer for which the core restarts ICE on the handle first. */
    public static Jsep restartOffer(String sdp) {
        return new Jsep(Type.OFFER, sdp, true, true);
    }

    public static Jsep offer(String sdp) {
        return new Jsep(Type.OFFER, sdp, true);
    }

    public static Jsep answer(String sdp) {
        return new Jsep(Type.ANSWER, sdp, true);
    }
}
