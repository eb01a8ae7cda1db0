package org.janussfu.sfu;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the legacy {@code janus.plugin.sfu.cfg} INI file (sfu-protocol.md §5.1) with the semantics of rust-ini
 * 0.13, the parser the original used: {@code [section]} headers (name trimmed; the rest of the header line is
 * parsed as content), {@code key = value} or {@code key: value}, keys and values trimmed, a value starting with
 * {@code "} or {@code '} is read up to the matching quote (may span lines; {@code ;} and {@code #} inside are
 * literal) with the text after the closing quote up to the end of line appended, {@code ;} or {@code #} start a
 * comment at the start of a line and anywhere in an unquoted value, backslash escapes ({@code \n}, {@code \t},
 * {@code \;}, {@code \#}, {@code \\}, {@code \x}{@code HHHH} …) are decoded, a repeated key keeps the last value,
 * repeated sections merge, keys before any section are ignored here.
 *
 * <p>Unlike the original, nothing falls back to defaults: a missing {@code [general]} section or a malformed file
 * is an {@link IllegalArgumentException}, and the caller fails fast. Where rust-ini silently glued a line
 * without {@code =} onto the next key, this parser rejects the line. Stateless and pure; used once at start.
 */
public final class LegacyIni {

    private final String text;
    private int pos;
    private int line = 1;

    private LegacyIni(String text) {
        this.text = text;
    }

    /**
     * Returns the keys of the {@code [general]} section (e.g. {@code auth_key}, {@code max_room_size},
     * {@code max_ccu}, {@code message_threads}), values unquoted and trimmed.
     *
     * @throws IllegalArgumentException if the text is malformed or has no {@code [general]} section
     */
    public static Map<String, String> general(String text) {
        Map<String, Map<String, String>> sections = parse(text);
        Map<String, String> general = sections.get("general");
        if (general == null) {
            throw new IllegalArgumentException("No 'general' section present in the config file.");
        }
        return Collections.unmodifiableMap(general);
    }

    /** All named sections, in file order. Keys before the first section are dropped. */
    public static Map<String, Map<String, String>> parse(String text) {
        return new LegacyIni(text).sections();
    }

    private Map<String, Map<String, String>> sections() {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = new HashMap<>(); // the unnamed global section, discarded
        skipWhitespace();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ';' || c == '#') {
                skipComment();
            } else if (c == '[') {
                pos++;
                String name = until("]", true).strip();
                pos++; // the ']'
                current = sections.computeIfAbsent(name, n -> new LinkedHashMap<>());
            } else {
                String key = key();
                pos++; // the '=' or ':'
                current.put(key, value());
            }
            skipWhitespace();
        }
        return sections;
    }

    private String key() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r'
                && text.charAt(pos) != '=' && text.charAt(pos) != ':') {
            pos++;
        }
        if (pos >= text.length() || text.charAt(pos) == '\n' || text.charAt(pos) == '\r') {
            throw error("expected '=' after '" + text.substring(start, pos).strip() + "'");
        }
        pos = start;
        String key = until("=:", false).strip();
        if (key.isEmpty()) {
            throw error("Missing key");
        }
        return key;
    }

    private String value() {
        while (pos < text.length() && isBlank(text.charAt(pos))) {
            pos++;
        }
        if (pos >= text.length()) {
            return "";
        }
        char c = text.charAt(pos);
        if (c == '"' || c == '\'') {
            pos++;
            String quoted = until(String.valueOf(c), true);
            pos++; // the closing quote
            return (quoted + untilEndOfValue()).strip();
        }
        return untilEndOfValue().strip();
    }

    private String untilEndOfValue() {
        return until("\n\r;#", false);
    }

    /**
     * Reads up to (not including) one of {@code stops} or the end of the text, decoding escapes. If
     * {@code stopRequired}, reaching the end of the text is an error.
     */
    private String until(String stops, boolean stopRequired) {
        StringBuilder out = new StringBuilder();
        while (pos < text.length() && stops.indexOf(text.charAt(pos)) < 0) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
            }
            if (c == '\\') {
                pos++;
                out.append(escape());
            } else {
                out.append(c);
            }
            pos++;
        }
        if (stopRequired && pos >= text.length()) {
            throw error("expected '" + stops + "' but found end of file");
        }
        return out.toString();
    }

    /** Decodes the escape whose character is at {@code pos}; leaves {@code pos} on its last character. */
    private String escape() {
        if (pos >= text.length()) {
            throw error("escape at end of file");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '0': return "\0";
            case 'a': return "\u0007";
            case 'b': return "\b";
            case 't': return "\t";
            case 'r': return "\r";
            case 'n': return "\n";
            case '\n':
                line++;
                return "";
            case 'x':
                if (pos + 4 >= text.length()) {
                    throw error("short \\x escape");
                }
                try {
                    int code = Integer.parseInt(text.substring(pos + 1, pos + 5), 16);
                    pos += 4;
                    return String.valueOf((char) code);
                } catch (NumberFormatException e) {
                    throw error("Unknown character.");
                }
            default:
                return String.valueOf(c);
        }
    }

    private void skipComment() {
        while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
        }
    }

    private void skipWhitespace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            if (text.charAt(pos) == '\n') {
                line++;
            }
            pos++;
        }
    }

    private static boolean isBlank(char c) {
        return c != '\n' && c != '\r' && Character.isWhitespace(c);
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException("janus.plugin.sfu.cfg line " + line + ": " + message);
    }
}
