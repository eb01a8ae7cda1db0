package org.janussfu.sdp;

import java.util.Objects;

/**
 * One {@code a=} line (RFC 8866 §5.13): a property attribute {@code a=<name>} when {@code value} is null, or a
 * value attribute {@code a=<name>:<value>}. The value is kept byte for byte (including leading spaces, as in
 * Chrome's {@code a=msid-semantic: WMS}) so that a parsed description is written back unchanged. Immutable value;
 * any thread.
 */
public record Attribute(String name, String value) {

    public Attribute {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty attribute name");
        }
    }

    /** A property attribute such as {@code a=rtcp-mux}. */
    public static Attribute flag(String name) {
        return new Attribute(name, null);
    }

    public static Attribute of(String name, String value) {
        return new Attribute(name, Objects.requireNonNull(value, "value"));
    }

    public boolean is(String attributeName) {
        return name.equalsIgnoreCase(attributeName);
    }

    /** The text after {@code a=}. */
    public String text() {
        return value == null ? name : name + ":" + value;
    }

    @Override
    public String toString() {
        return "a=" + text();
    }
}
