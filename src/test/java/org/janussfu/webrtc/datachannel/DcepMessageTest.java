package org.janussfu.webrtc.datachannel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The DCEP codec (RFC 8832 §5): exact bytes, every channel type, and robust parsing of bad input. */
class DcepMessageTest {

    @Test
    void openEncodesTheRfc8832Layout() {
        byte[] wire = DcepMessage.open(DcepChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED, 256, 0, "unreliable", "p")
                .encode();
        byte[] expected = {
            0x03, (byte) 0x81, 0x01, 0x00, 0, 0, 0, 0, 0x00, 0x0a, 0x00, 0x01,
            'u', 'n', 'r', 'e', 'l', 'i', 'a', 'b', 'l', 'e', 'p'};
        assertArrayEquals(expected, wire);
        assertArrayEquals(new byte[] {0x02}, DcepMessage.ack().encode());
    }

    @Test
    void everyChannelTypeRoundTrips() {
        long[] params = {0, 7, 0xffffffffL};
        for (DcepChannelType type : DcepChannelType.values()) {
            for (long p : params) {
                DcepMessage m = DcepMessage.open(type, 512, p, "läbel ☃ 𝄞", "proto");
                byte[] wire = m.encode();
                DcepMessage back = DcepMessage.parse(wire, 0, wire.length);
                assertNotNull(back, type + " " + p);
                assertTrue(back.isOpen());
                assertEquals(type, back.channelType());
                assertEquals(512, back.priority());
                boolean partial = type.limitsLifetime() || type.limitsRetransmits();
                assertEquals(partial ? p : 0, back.reliabilityParameter());
                assertEquals("läbel ☃ 𝄞", back.label());
                assertEquals("proto", back.protocol());
            }
        }
        assertSame(DcepChannelType.RELIABLE, DcepChannelType.of(true, -1, -1));
        assertSame(DcepChannelType.RELIABLE_UNORDERED, DcepChannelType.of(false, -1, -1));
        assertSame(DcepChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED, DcepChannelType.of(false, 0, -1));
        assertSame(DcepChannelType.PARTIAL_RELIABLE_TIMED, DcepChannelType.of(true, -1, 100));
        assertThrows(IllegalArgumentException.class, () -> DcepChannelType.of(true, 1, 1));
    }

    @Test
    void parsesAtAnOffsetAndToleratesTrailingBytes() {
        byte[] open = DcepMessage.open(DcepChannelType.RELIABLE, 0, 0, "reliable", "").encode();
        byte[] framed = new byte[open.length + 7];
        System.arraycopy(open, 0, framed, 3, open.length);
        DcepMessage m = DcepMessage.parse(framed, 3, open.length + 4);
        assertNotNull(m);
        assertEquals("reliable", m.label());
        assertTrue(DcepMessage.parse(new byte[] {0x02, 9, 9}, 0, 3).isAck());
    }

    @Test
    void malformedInputIsNullNeverAnException() {
        byte[] open = DcepMessage.open(DcepChannelType.RELIABLE, 0, 0, "reliable", "chat").encode();
        for (int len = 1; len < open.length; len++) {
            assertNull(DcepMessage.parse(open, 0, len), "truncated to " + len);
        }
        assertNull(DcepMessage.parse(new byte[0], 0, 0));
        assertNull(DcepMessage.parse(null, 0, 1));
        assertNull(DcepMessage.parse(open, 5, open.length));
        assertNull(DcepMessage.parse(open, -1, 2));
        assertNull(DcepMessage.parse(new byte[] {0x04}, 0, 1), "unknown message type");
        byte[] badType = open.clone();
        badType[1] = 0x03;
        assertNull(DcepMessage.parse(badType, 0, badType.length), "unknown channel type");
        byte[] badUtf8 = open.clone();
        badUtf8[12] = (byte) 0xc3; // a lead byte followed by ASCII
        assertNull(DcepMessage.parse(badUtf8, 0, badUtf8.length), "label not UTF-8");
        byte[] hugeLength = open.clone();
        hugeLength[8] = (byte) 0xff;
        hugeLength[9] = (byte) 0xff;
        assertNull(DcepMessage.parse(hugeLength, 0, hugeLength.length), "label length beyond the message");

        Random random = new Random(8832);
        for (int i = 0; i < 50_000; i++) {
            byte[] junk = new byte[random.nextInt(40)];
            random.nextBytes(junk);
            if (junk.length > 0 && random.nextBoolean()) {
                junk[0] = 0x03;
            }
            DcepMessage.parse(junk, 0, junk.length); // must not throw
        }
    }

    @Test
    void refusesFieldsThatDoNotFit() {
        char[] big = new char[40_000];
        Arrays.fill(big, 'é'); // 2 bytes each in UTF-8
        String tooLong = new String(big);
        assertThrows(IllegalArgumentException.class,
                () -> DcepMessage.open(DcepChannelType.RELIABLE, 0, 0, tooLong, ""));
        assertThrows(IllegalArgumentException.class,
                () -> DcepMessage.open(DcepChannelType.RELIABLE, 70_000, 0, "x", ""));
        String fits = "x".repeat(DcepMessage.MAX_STRING_BYTES);
        byte[] wire = DcepMessage.open(DcepChannelType.RELIABLE, 0, 0, fits, "").encode();
        assertEquals(fits, DcepMessage.parse(wire, 0, wire.length).label());
    }
}
