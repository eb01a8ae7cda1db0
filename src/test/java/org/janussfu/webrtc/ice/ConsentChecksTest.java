package org.janussfu.webrtc.ice;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our consent checks (RFC 7675 §5.1) as messages and as a schedule: a Binding request the peer's endpoint would
 * authenticate with its password (USERNAME, PRIORITY, role, MESSAGE-INTEGRITY, FINGERPRINT), a new transaction ID
 * each time, one per randomised interval, once a second while unanswered, responses matched by transaction ID only
 * for the last few checks; keepalive indications when consent freshness is off. Plain values, no sockets.
 */
class ConsentChecksTest {
    private static final byte[] KEY = "remote-password-0123456789".getBytes(StandardCharsets.UTF_8);

    private static byte[] response(byte[] request) {
        byte[] r = request.clone();
        r[0] = 0x01;
        r[1] = 0x01; // only the transaction ID matters to the matcher; integrity is the endpoint's check
        return r;
    }

    @Test
    void theRequestIsAnAuthenticatedBindingRequestForThePeer() {
        ConsentChecks c = new ConsentChecks("peerfrag", "ourfrag", 2130706431L, true, 0x0102030405060708L, KEY, 30_000, 0);
        byte[] m = c.due(ConsentChecks.FIRST_MS, 0);
        assertNotNull(m);
        assertTrue(StunWire.isStun(m, 0, m.length));
        assertEquals(StunWire.BINDING_REQUEST, StunWire.type(m, 0));
        assertEquals("peerfrag", StunWire.localUfrag(m, 0, m.length), "USERNAME is <receiver>:<sender> (RFC 8445 §7.2.2)");
        assertTrue(StunWire.integrityOk(m, 0, m.length, KEY), "keyed with the remote password");
        assertFalse(StunWire.integrityOk(m, 0, m.length, "other".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0x0102030405060708L, StunWire.tieBreaker(m, 0, m.length, StunWire.ICE_CONTROLLING));
        assertNull(StunWire.tieBreaker(m, 0, m.length, StunWire.ICE_CONTROLLED));
        int p = StunWire.find(m, 0, m.length, StunWire.PRIORITY);
        assertTrue(p > 0);
        assertEquals(2130706431L, StunWire.int32(m, p + 4) & 0xFFFFFFFFL);
    }

    @Test
    void oneCheckPerRandomisedIntervalThenOncePerSecondWhileUnanswered() {
        ConsentChecks c = new ConsentChecks("a", "b", 1, false, 7, KEY, 30_000, 0);
        assertNull(c.due(ConsentChecks.FIRST_MS - 1, 0), "the first one second after connecting");
        byte[] first = c.due(ConsentChecks.FIRST_MS, 0);
        assertNotNull(first);
        assertTrue(c.answered(response(first), 0, ConsentChecks.FIRST_MS + 5));
        assertEquals(ConsentChecks.FIRST_MS + 5, c.lastResponseMillis());
        long t = ConsentChecks.FIRST_MS;
        assertNull(c.due(t + (long) (0.8 * ConsentChecks.INTERVAL_MS) - 1, 0), "not before 0.8 × the interval");
        byte[] second = c.due(t + (long) (1.2 * ConsentChecks.INTERVAL_MS) + 1, 0);
        assertNotNull(second, "at the latest 1.2 × the interval");
        assertFalse(StunWire.sameTransaction(second, 0, java.util.Arrays.copyOfRange(first, 8, 20)), "a new transaction ID");
        // nothing answered for more than two intervals: every second
        long late = ConsentChecks.FIRST_MS + 5 + 2 * ConsentChecks.INTERVAL_MS + 1;
        assertNotNull(c.due(late + 10_000, 0));
        assertNull(c.due(late + 10_000 + ConsentChecks.URGENT_MS - 1, 0));
        assertNotNull(c.due(late + 10_000 + ConsentChecks.URGENT_MS, 0));
    }

    @Test
    void onlyOutstandingChecksAreAnsweredAndEachOnce() {
        ConsentChecks c = new ConsentChecks("a", "b", 1, false, 7, KEY, 30_000, 0);
        byte[] stranger = response(StunWire.bindingRequest(new byte[12], new byte[] {'x'}, 1, false, 1, KEY));
        assertFalse(c.answered(stranger, 0, 1));
        byte[][] sent = new byte[ConsentChecks.OUTSTANDING + 1][];
        long now = 0;
        for (int i = 0; i < sent.length; i++) {
            now += 60_000;
            sent[i] = c.due(now, 0);
        }
        assertFalse(c.answered(response(sent[0]), 0, now), "older than the last " + ConsentChecks.OUTSTANDING);
        assertTrue(c.answered(response(sent[1]), 0, now), "a late response to a recent check still counts");
        assertFalse(c.answered(response(sent[1]), 0, now), "and only once");
        assertEquals(-1, new ConsentChecks("a", "b", 1, false, 7, KEY, 30_000, 0).lastResponseMillis());
    }

    @Test
    void withConsentOffKeepaliveIndicationsEveryFifteenSeconds() {
        ConsentChecks c = new ConsentChecks("a", "b", 1, false, 7, null, 30_000, 0);
        assertNull(c.due(ConsentChecks.KEEPALIVE_MS - 1, 0));
        byte[] m = c.due(ConsentChecks.KEEPALIVE_MS, 0);
        assertNotNull(m);
        assertTrue(StunWire.isStun(m, 0, m.length));
        assertEquals(StunWire.BINDING_INDICATION, StunWire.type(m, 0));
        assertTrue(StunWire.fingerprintOk(m, 0, m.length));
        assertTrue(StunWire.find(m, 0, m.length, StunWire.FINGERPRINT) > 0);
        assertFalse(c.answered(response(m), 0, 1), "nothing is expected back");
    }

    @Test
    void theIntervalIsAtMostAQuarterOfTheConsentTimeout() {
        assertEquals(ConsentChecks.INTERVAL_MS, new ConsentChecks("a", "b", 1, false, 7, KEY, 30_000, 0).intervalMillis());
        assertEquals(4_000, new ConsentChecks("a", "b", 1, false, 7, KEY, 16_000, 0).intervalMillis());
    }
}
