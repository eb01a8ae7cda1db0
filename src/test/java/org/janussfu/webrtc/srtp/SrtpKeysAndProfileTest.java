package org.janussfu.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SrtpKeysAndProfileTest {

    @Test
    void preferenceOrderIsGcmThenCm() {
        assertArrayEquals(new int[] {0x0007, 0x0001}, SrtpProfile.useSrtpIds());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.selectFrom(new int[] {0x0001, 0x0007}));
        assertEquals(SrtpProfile.AES128_CM_HMAC_SHA1_80, SrtpProfile.selectFrom(new int[] {0x0002, 0x0001}));
        assertNull(SrtpProfile.selectFrom(new int[] {0x0002, 0x0008}));
        assertNull(SrtpProfile.fromUseSrtpId(0x0002));
        assertEquals(56, SrtpProfile.AEAD_AES_128_GCM.exporterLength());
        assertEquals(60, SrtpProfile.AES128_CM_HMAC_SHA1_80.exporterLength());
        assertEquals(20, SrtpProfile.AEAD_AES_128_GCM.srtcpTrailerLength());
        assertEquals(14, SrtpProfile.AES128_CM_HMAC_SHA1_80.srtcpTrailerLength());
    }

    @Test
    void exporterOutputIsSplitPerRfc5764() {
        SrtpProfile p = SrtpProfile.AES128_CM_HMAC_SHA1_80;
        byte[] material = new byte[p.exporterLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) i;
        }
        SrtpKeys client = SrtpKeys.fromExporter(p, material, true);
        SrtpKeys server = SrtpKeys.fromExporter(p, material, false);
        assertArrayEquals(Arrays.copyOfRange(material, 0, 16), client.localKey());
        assertArrayEquals(Arrays.copyOfRange(material, 16, 32), client.remoteKey());
        assertArrayEquals(Arrays.copyOfRange(material, 32, 46), client.localSalt());
        assertArrayEquals(Arrays.copyOfRange(material, 46, 60), client.remoteSalt());
        assertArrayEquals(client.localKey(), server.remoteKey());
        assertArrayEquals(client.remoteSalt(), server.localSalt());
        assertEquals("SrtpKeys[AES128_CM_HMAC_SHA1_80, redacted]", client.toString());
        assertThrows(IllegalArgumentException.class, () -> SrtpKeys.fromExporter(p, new byte[56], false));
    }

    @Test
    void packetBufferFollowsJitsiSemantics() {
        byte[] a = new byte[10];
        PacketBuffer pb = new PacketBuffer(a, 2, 4);
        pb.grow(4);
        assertTrue(pb.getBuffer() == a, "room for 4 more after offset+length: no reallocation");
        pb.append(new byte[] {1, 2, 3, 4}, 4);
        assertEquals(8, pb.getLength());
        assertEquals(4, a[9]);
        pb.append(new byte[] {5}, 1);
        assertFalse(pb.getBuffer() == a, "too small: a bigger array");
        assertEquals(0, pb.getOffset());
        assertEquals(9, pb.getLength());
        pb.shrink(20);
        assertEquals(0, pb.getLength());
        pb.wrap(a, 0, 10);
        byte[] out = new byte[3];
        pb.readRegionToBuff(7, 3, out);
        assertArrayEquals(new byte[] {2, 3, 4}, out);
        assertThrows(IllegalArgumentException.class, () -> pb.setLength(11));
    }
}
