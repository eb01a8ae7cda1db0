package org.janussfu.cluster;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event-bus codec of media frames ({@link MediaFrameCodec}): an RTP frame and a data frame with several target
 * handles read back field for field from behind a prefix (the bus writes its own header first); a length or count
 * larger than the message is refused before anything is allocated for it. JUnit thread.
 */
class MediaFrameCodecTest {
    private final MediaFrameCodec codec = new MediaFrameCodec();

    private MediaFrame roundTrip(MediaFrame f) {
        Buffer b = Buffer.buffer().appendString("prefix");
        codec.encodeToWire(b, f);
        return codec.decodeFromWire(6, b);
    }

    @Test
    void rtpFrameReadsBack() {
        byte[] p = {(byte) 0x80, 96, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        MediaFrame back = roundTrip(MediaFrame.rtp(42L, true, p, 2, 10));
        assertEquals(MediaFrame.RTP, back.kind);
        assertEquals(42L, back.target);
        assertTrue(back.flag);
        assertEquals(10, back.length);
        assertArrayEquals(java.util.Arrays.copyOfRange(p, 2, 12), back.bytes);
        assertNull(back.targets);
    }

    @Test
    void dataFrameCarriesEveryTargetOfItsNode() {
        byte[] payload = "{\"dataType\":\"u\"}".getBytes(StandardCharsets.UTF_8);
        MediaFrame back = roundTrip(MediaFrame.data(0, 0, new long[] {7L, Long.MAX_VALUE, -3L}, "reliable", null, false,
                payload).inStream(4, -2));
        assertEquals(MediaFrame.DATA, back.kind);
        assertEquals(4, back.target, "the receiving node's stream");
        assertEquals(-2, back.seq, "the message's number in it");
        assertArrayEquals(new long[] {7L, Long.MAX_VALUE, -3L}, back.targets);
        assertFalse(back.flag);
        assertArrayEquals(payload, back.bytes);
        assertEquals("reliable", back.label);
        assertEquals("", back.protocol);
    }

    @Test
    void aCountLargerThanTheMessageIsRefused() {
        Buffer b = Buffer.buffer();
        codec.encodeToWire(b, MediaFrame.data(0, 0, new long[] {1L, 2L}, "l", "", true, new byte[] {1}));
        Buffer hugeTargets = b.copy().setInt(b.length() - 24, Integer.MAX_VALUE);
        assertThrows(IllegalArgumentException.class, () -> codec.decodeFromWire(0, hugeTargets));
        Buffer hugePayload = b.copy().setInt(10, 1 << 30);
        assertThrows(IllegalArgumentException.class, () -> codec.decodeFromWire(0, hugePayload));
        Buffer negative = b.copy().setInt(10, -1);
        assertThrows(IllegalArgumentException.class, () -> codec.decodeFromWire(0, negative));
    }
}
