package org.janussfu.webrtc.ice;

import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.ErrorCodeAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.message.Message;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoint's STUN checks (RFC 8489) on hand-built messages, and its 487 and consent responses decoded by ice4j's
 * own codec.
 */
class StunWireTest {
    private static final String PWD = "0123456789abcdefghijkl";

    @Test
    void authenticatedCheckPassesAndAnyChangeFails() throws Exception {
        byte[] m = StunTestMessages.bindingRequest("srv1:cli1", PWD);
        assertTrue(StunWire.isStun(m, 0, m.length));
        assertEquals(StunWire.BINDING_REQUEST, StunWire.type(m, 0));
        assertEquals("srv1", StunWire.localUfrag(m, 0, m.length));
        assertTrue(StunWire.integrityOk(m, 0, m.length, StunWire.key(PWD)));
        assertFalse(StunWire.integrityOk(m, 0, m.length, StunWire.key(PWD + "x")), "other password");
        assertFalse(StunWire.integrityOk(m, 0, m.length, null), "no key yet");
        assertEquals(1L, StunWire.tieBreaker(m, 0, m.length, StunWire.ICE_CONTROLLING));
        assertNull(StunWire.tieBreaker(m, 0, m.length, StunWire.ICE_CONTROLLED));
        int fingerprintType = m.length - 8; // a changed type there makes an unknown attribute after MI: ignored
        for (int i = 20; i < m.length; i++) {
            if (i >= fingerprintType && i < fingerprintType + 2) {
                continue;
            }
            byte[] c = m.clone();
            c[i] ^= 0x01;
            assertFalse(StunWire.isStun(c, 0, c.length) && StunWire.integrityOk(c, 0, c.length, StunWire.key(PWD)),
                    "flipped bit in byte " + i + " still passes");
        }
        byte[] forged = StunTestMessages.bindingRequest("srv1:cli1", null);
        assertFalse(StunWire.integrityOk(forged, 0, forged.length, StunWire.key(PWD)));
    }

    @Test
    void malformedInputIsRejectedWithoutThrowing() {
        byte[] junk = new byte[64];
        assertFalse(StunWire.isStun(junk, 0, 10));
        assertFalse(StunWire.isStun(junk, 0, junk.length), "no magic cookie");
        byte[] m = new byte[28];
        m[1] = 1;
        m[3] = 8; // one attribute header claiming more bytes than there are
        m[4] = 0x21;
        m[5] = 0x12;
        m[6] = (byte) 0xA4;
        m[7] = 0x42;
        m[21] = 0x06;
        m[23] = 100;
        assertTrue(StunWire.isStun(m, 0, m.length));
        assertNull(StunWire.localUfrag(m, 0, m.length));
        assertFalse(StunWire.integrityOk(m, 0, m.length, StunWire.key(PWD)));
    }

    @Test
    void roleConflictResponseIsAValid487() throws Exception {
        byte[] req = StunTestMessages.bindingRequest("srv1:cli1", PWD);
        byte[] r = StunWire.roleConflict(req, 0, StunWire.key(PWD));
        assertTrue(StunWire.isStun(r, 0, r.length));
        assertEquals(StunWire.BINDING_ERROR, StunWire.type(r, 0));
        assertTrue(StunWire.integrityOk(r, 0, r.length, StunWire.key(PWD)), "our own MI and FINGERPRINT");
        Message decoded = Message.decode(r, 0, r.length);
        ErrorCodeAttribute e = (ErrorCodeAttribute) decoded.getAttribute(Attribute.ERROR_CODE);
        assertEquals(ErrorCodeAttribute.ROLE_CONFLICT, e.getErrorCode());
        for (int i = 8; i < 20; i++) {
            assertEquals(req[i], r[i], "same transaction ID");
        }
    }

    @Test
    void consentResponseIsABindingSuccessIce4jDecodes() throws Exception {
        byte[] req = StunTestMessages.bindingRequest("srv1:cli1", PWD);
        for (InetSocketAddress from : new InetSocketAddress[] {
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 50123),
                new InetSocketAddress(InetAddress.getByName("::1"), 1)}) {
            byte[] r = StunWire.bindingSuccess(req, 0, from, StunWire.key(PWD));
            assertTrue(StunWire.isStun(r, 0, r.length), from.toString());
            assertEquals(StunWire.BINDING_SUCCESS, StunWire.type(r, 0));
            assertTrue(StunWire.integrityOk(r, 0, r.length, StunWire.key(PWD)), "MI and FINGERPRINT");
            assertFalse(StunWire.integrityOk(r, 0, r.length, StunWire.key(PWD + "x")));
            Message decoded = Message.decode(r, 0, r.length);
            assertEquals(Message.BINDING_SUCCESS_RESPONSE, decoded.getMessageType());
            XorMappedAddressAttribute x = (XorMappedAddressAttribute) decoded.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
            var mapped = x.getAddress(decoded.getTransactionID());
            assertEquals(from.getAddress(), mapped.getAddress(), "XOR-MAPPED-ADDRESS");
            assertEquals(from.getPort(), mapped.getPort());
            for (int i = 4; i < 20; i++) {
                assertEquals(req[i], r[i], "same cookie and transaction ID");
            }
        }
    }
}
