package org.janussfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Lookups over an ordered attribute list, shared by {@link SessionDescription} and {@link MediaDescription}.
 * Attribute names are matched case-insensitively (RFC 8866 §9: att-field is a token; browsers use lower case).
 * Typed readers skip values that do not parse: {@link SdpParser} has already rejected those for parsed input, and
 * a hand-built description with a bad value should not make a read-only view throw. Stateless; any thread.
 */
final class Attributes {
    /** A typed attribute value reader. */
    interface Reader<T> {
        T read(String value) throws SdpException;
    }

    private Attributes() {
    }

    static boolean has(List<Attribute> attributes, String name) {
        for (Attribute a : attributes) {
            if (a.is(name)) {
                return true;
            }
        }
        return false;
    }

    /** The value of the first attribute with this name (null for a property attribute or when absent). */
    static String first(List<Attribute> attributes, String name) {
        for (Attribute a : attributes) {
            if (a.is(name)) {
                return a.value();
            }
        }
        return null;
    }

    static List<String> all(List<Attribute> attributes, String name) {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.is(name)) {
                out.add(a.value() == null ? "" : a.value());
            }
        }
        return List.copyOf(out);
    }

    static <T> List<T> typed(List<Attribute> attributes, String name, Reader<T> reader) {
        List<T> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.is(name)) {
                try {
                    out.add(reader.read(a.value()));
                } catch (SdpException ignored) {
                    // skipped on purpose, see class comment
                }
            }
        }
        return List.copyOf(out);
    }

    static <T> T firstTyped(List<Attribute> attributes, String name, Reader<T> reader) {
        List<T> all = typed(attributes, name, reader);
        return all.isEmpty() ? null : all.get(0);
    }

    /** A copy without any attribute whose name is in {@code names} (case-insensitive). */
    static List<Attribute> without(List<Attribute> attributes, String... names) {
        List<Attribute> out = new ArrayList<>(attributes.size());
        outer:
        for (Attribute a : attributes) {
            for (String n : names) {
                if (a.is(n)) {
                    continue outer;
                }
            }
            out.add(a);
        }
        return out;
    }

    static Long parseNumber(String value, long max, String what) throws SdpException {
        if (value == null) {
            throw new SdpException("a=" + what + " without value");
        }
        return SdpTokens.parseLong(value.strip(), max, what);
    }
}
