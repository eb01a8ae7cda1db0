package org.janussfu.core;

/**
 * Byte lengths of client strings in UTF-8, for the byte caps of {@code docs/security.md}: a cap counts what the
 * string costs on the wire (and, within a factor of two, in memory), not its UTF-16 length. Stateless; any thread;
 * allocates nothing.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** The UTF-8 length of {@code s} (an unpaired surrogate counts as the 3 bytes of its replacement). */
    public static long encodedLength(CharSequence s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Whether {@code s} encodes to at most {@code maxBytes} bytes; decided from the length alone when it can be. */
    public static boolean fits(CharSequence s, int maxBytes) {
        int chars = s.length();
        if (chars > maxBytes) {
            return false;
        }
        return (long) chars * 3 <= maxBytes || encodedLength(s) <= maxBytes;
    }
}
