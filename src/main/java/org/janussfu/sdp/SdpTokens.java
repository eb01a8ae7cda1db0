package org.janussfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Small lexical helpers shared by the attribute value types: bounded number parsing that reports failures as
 * {@link SdpException} instead of {@link NumberFormatException}, and splitting on the single-space separators of
 * RFC 8866 §9 grammar (tolerating runs of spaces and tabs, which some stacks emit). Stateless; any thread.
 */
final class SdpTokens {
    private SdpTokens() {
    }

    /** Parses a non-negative decimal integer no larger than {@code max}; digits only, at most 19 of them. */
    static long parseLong(String text, long max, String what) throws SdpException {
        if (text == null || text.isEmpty() || text.length() > 19) {
            throw new SdpException("bad " + what + ": '" + shorten(text) + "'");
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new SdpException("bad " + what + ": '" + shorten(text) + "'");
            }
            value = value * 10 + (c - '0');
            if (value > max || value < 0) {
                throw new SdpException(what + " out of range: '" + shorten(text) + "'");
            }
        }
        return value;
    }

    static int parseInt(String text, int max, String what) throws SdpException {
        return (int) parseLong(text, max, what);
    }

    /** An RTP payload type, 0..127 (RFC 3550 §5.1; RFC 8866 §5.14 for its use as an m= format). */
    static int parsePayloadType(String text) throws SdpException {
        return parseInt(text, 127, "payload type");
    }

    /** Splits on runs of spaces or tabs, dropping empty tokens. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && isBlank(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isBlank(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(text.substring(start, i));
            }
        }
        return out;
    }

    /** Splits into at most two parts at the first space or tab; the second part is trimmed, or null if absent. */
    static String[] splitFirst(String text) {
        int n = text.length();
        int i = 0;
        while (i < n && !isBlank(text.charAt(i))) {
            i++;
        }
        String head = text.substring(0, i);
        String rest = text.substring(i).strip();
        return new String[] {head, rest.isEmpty() ? null : rest};
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    static String shorten(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
