package org.janussfu.sfu;

import static org.janussfu.testing.FuzzChecks.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.janussfu.testing.FuzzChecks;

/**
 * Coverage-guided fuzz target (Jazzer, docs/fuzzing.md) for the original plugin's {@code janus.plugin.sfu.cfg}
 * reader ({@link LegacyIni}, sfu-protocol.md §5.1; the Rust {@code ini} crate's syntax). Invariants: nothing but
 * {@link IllegalArgumentException} escapes; the sections written back as INI (every special character escaped)
 * parse to the same sections (parse → write → parse); nothing read is longer than the input. Seeds: the original
 * plugin's sample config and the quoting/escape/comment forms the crate accepts. JUnit thread.
 */
class LegacyIniFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parseIni(byte[] data) {
        String text = FuzzChecks.utf8(data);
        Map<String, Map<String, String>> sections;
        try {
            sections = LegacyIni.parse(text);
        } catch (IllegalArgumentException expected) {
            return;
        }
        long chars = 0;
        for (Map.Entry<String, Map<String, String>> s : sections.entrySet()) {
            chars += s.getKey().length();
            for (Map.Entry<String, String> e : s.getValue().entrySet()) {
                chars += e.getKey().length() + e.getValue().length();
            }
        }
        require(chars <= text.length(), "read " + chars + " characters from " + text.length());
        String written = write(sections);
        Map<String, Map<String, String>> again;
        try {
            again = LegacyIni.parse(written);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("own INI does not parse: " + e.getMessage() + "\n" + written, e);
        }
        require(again.equals(sections), "round trip: " + sections + " → " + again + " via\n" + written);
        try {
            LegacyIni.general(text);
        } catch (IllegalArgumentException noGeneral) {
            require(!sections.containsKey("general"), "general() refused a text with [general]");
        }
    }

    static String write(Map<String, Map<String, String>> sections) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Map<String, String>> s : sections.entrySet()) {
            sb.append('[').append(escape(s.getKey())).append("]\n");
            for (Map.Entry<String, String> e : s.getValue().entrySet()) {
                sb.append(escape(e.getKey())).append(" = ").append(escape(e.getValue())).append('\n');
            }
        }
        return sb.toString();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\\', ';', '#', '=', ':', '[', ']', '"', '\'' -> sb.append('\\').append(c);
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Regenerates the seed corpus (run from the project root). */
    public static void main(String[] args) {
        String[] texts = {
            "[general]\n; the original plugin's sample\nauth_key = \"/etc/janus/keys/public.der\"\n"
                + "max_room_size = 30\nmax_ccu = 1000\nmessage_threads = 0\n",
            "# comment\nglobal = dropped\n[general]\nauth_key='key.pem' ; trailing\nmax_ccu : 5\n[other]\na=b\n",
            "[general]\nescaped = a\\;b\\#c\\x0041\\n\\\\\nquoted = \"x;y\" tail\ncontinued = one\\\ntwo\n",
            "[ general ]\r\nmax_room_size=24\r\n",
            "[general]\nnovalue\n",
        };
        Map<String, byte[]> s = new LinkedHashMap<>();
        for (String t : texts) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            s.put(FuzzChecks.name("ini", b), b);
        }
        FuzzChecks.writeSeeds(LegacyIniFuzzTest.class, "parseIni", s);
    }
}
