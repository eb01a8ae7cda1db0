package org.janussfu.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The legacy janus.plugin.sfu.cfg reader: rust-ini 0.13 quirks (sfu-protocol.md §5.1), no silent defaults. */
class LegacyIniTest {

    @Test
    void exampleFile() {
        String text = """
                ; Janus SFU plugin configuration
                [general]
                # auth_key = /etc/janus/public.der
                max_room_size = 30
                max_ccu = 1000
                message_threads = 0
                """;
        assertEquals(Map.of("max_room_size", "30", "max_ccu", "1000", "message_threads", "0"),
                LegacyIni.general(text));
    }

    @Test
    void valuesAndKeysAreTrimmed() {
        assertEquals(Map.of("max_ccu", "12", "auth_key", "/a b/c.der"),
                LegacyIni.general("[ general ]\n   max_ccu   =    12   \n\tauth_key=\t/a b/c.der\t\n"));
    }

    @Test
    void inlineCommentsEvenWithoutSpace() {
        assertEquals(Map.of("a", "1", "b", "2", "c", "x"),
                LegacyIni.general("[general]\na = 1 ; one\nb=2#two\nc = x;y#z\n"));
    }

    @Test
    void quotesAreStrippedAndProtectCommentChars() {
        Map<String, String> general = LegacyIni.general(
                "[general]\nauth_key = \"/etc/janus/key;1#.der\"\nq = 'single'\nmixed = \"a\"b ; c\n");
        assertEquals("/etc/janus/key;1#.der", general.get("auth_key"));
        assertEquals("single", general.get("q"));
        assertEquals("ab", general.get("mixed"));
    }

    @Test
    void quotedValueMaySpanLines() {
        assertEquals("one\ntwo", LegacyIni.general("[general]\nk = 'one\ntwo'\nz=1\n").get("k"));
    }

    @Test
    void colonSeparatorEmptyValueCrlfAndNoFinalNewline() {
        assertEquals(Map.of("a", "1", "b", "", "c", "3"), LegacyIni.general("[general]\r\na: 1\r\nb =\r\nc=3"));
    }

    @Test
    void escapes() {
        Map<String, String> general = LegacyIni.general("[general]\na = x\\;y\nb = tab\\there\nc = \\x0041\n");
        assertEquals("x;y", general.get("a"));
        assertEquals("tab\there", general.get("b"));
        assertEquals("A", general.get("c"));
    }

    @Test
    void lastValueWinsSectionsMergeAndContentMayFollowHeader() {
        Map<String, Map<String, String>> all = LegacyIni.parse(
                "top = ignored\n[general]\na=1\n[other]x=9\n[general]\na=2\nb=3\n");
        assertEquals(Map.of("a", "2", "b", "3"), all.get("general"));
        assertEquals(Map.of("x", "9"), all.get("other"));
        assertEquals(2, all.size());
    }

    @Test
    void sectionNamesAreCaseSensitive() {
        assertThrows(IllegalArgumentException.class, () -> LegacyIni.general("[General]\na=1\n"));
    }

    @Test
    void missingGeneralFailsFast() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LegacyIni.general("[other]\na=1\n"));
        assertTrue(e.getMessage().contains("general"));
        assertThrows(IllegalArgumentException.class, () -> LegacyIni.general(""));
        assertThrows(IllegalArgumentException.class, () -> LegacyIni.general("max_ccu=3\n"));
    }

    @Test
    void malformedFailsFast() {
        assertThrows(IllegalArgumentException.class, () -> LegacyIni.general("[general\na=1\n"));
        assertThrows(IllegalArgumentException.class, () -> LegacyIni.general("[general]\njustakey\na=1\n"));
        assertThrows(IllegalArgumentException.class, () -> LegacyIni.general("[general]\n= 1\n"));
        assertThrows(IllegalArgumentException.class, () -> LegacyIni.general("[general]\na = \"open\n"));
        assertThrows(IllegalArgumentException.class, () -> LegacyIni.general("[general]\na = \\xZZZZ\n"));
    }

    @Test
    void emptyGeneralSection() {
        assertEquals(Map.of(), LegacyIni.general("[general]\n; nothing\n"));
    }
}
