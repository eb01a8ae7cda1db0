package org.janussfu.webrtc.ice;

import org.janussfu.testing.Poll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Media through our own send channels (decision 0008) between a server-mode and a client-mode transport, the
 * fallback to ice4j's send path when the startup check fails, the pooled receive buffers in steady state, and the
 * consent checks on the media pair the endpoint answers itself.
 */
class IceOwnSendPathTest {

    @Test
    void mediaLeavesThroughOurChannelsInBothModes() throws Exception {
        IceTestPeer sp = new IceTestPeer();
        IceTestPeer cp = new IceTestPeer();
        try (IceHarvesters h = new IceHarvesters(IceConfig.loopback(0));
             IceTransport server = new IceTransport(h, false, sp);
             IceTransport client = IceTransport.client(IceConfig.loopback(0), true, cp)) {
            assertEquals(1, h.ownSendPaths());
            assertEquals(0, h.ownSendPathFallbacks());
            assertFalse(server.ownMediaRoute(), "no route before ICE connects");
            assertFalse(server.sendMedia(IceTestPeer.datagram(4, 0), 0, 4));
            IceTestPeer.wire(server, client);
            cp.awaitConnected(10);
            sp.awaitConnected(10);
            assertTrue(server.ownMediaRoute());
            assertTrue(client.ownMediaRoute());
            long before = h.ownSendSent();
            // The server only accepts the client's media if it comes from the client's checked candidate port.
            IceTransportTest.exchangeMedia(server, sp, client, cp, 500);
            assertEquals(500, h.ownSendSent() - before);
            assertEquals(0, h.ownSendLost());
            // DTLS-like traffic still goes through ice4j, on the same 5-tuple.
            IceTransportTest.exchange(server, sp, client, cp, 50);
        }
    }

    /**
     * A Binding request from the validated address of the media pair (RFC 7675 consent) is answered by the endpoint
     * on its reading thread, without ice4j; one that fails MESSAGE-INTEGRITY is not answered at all.
     */
    @Test
    void aConsentCheckOnTheMediaPairIsAnsweredByTheEndpoint() throws Exception {
        IceTestPeer sp = new IceTestPeer();
        IceTestPeer cp = new IceTestPeer();
        try (IceHarvesters h = new IceHarvesters(IceConfig.loopback(0));
             IceTransport server = new IceTransport(h, false, sp);
             IceTransport client = IceTransport.client(IceConfig.loopback(0), true, cp)) {
            IceTestPeer.wire(server, client);
            cp.awaitConnected(10);
            sp.awaitConnected(10);
            IceTransportTest.exchangeMedia(server, sp, client, cp, 20); // the client's address is validated
            String user = server.localUfrag() + ":" + client.localUfrag();
            long answered = h.stunAnswered();
            for (int i = 0; i < 3; i++) {
                byte[] check = StunTestMessages.bindingRequest(user, server.localPassword(), i == 2);
                assertTrue(client.sendMedia(check, 0, check.length)); // from the media pair's own address
            }
            // at least ours: the client's own ice4j may send one of its consent checks meanwhile (answered too)
            Poll.until(() -> h.stunAnswered() >= answered + 3, 10_000,
                    () -> "answered " + (h.stunAnswered() - answered) + " of 3 consent checks");
            long bad = h.stunBadIntegrity();
            byte[] forged = StunTestMessages.bindingRequest(user, server.localPassword() + "x");
            assertTrue(client.sendMedia(forged, 0, forged.length));
            Poll.until(() -> h.stunBadIntegrity() == bad + 1, 10_000); // dropped before any answer is built
            assertTrue(server.isConnected());
            IceTransportTest.exchangeMedia(server, sp, client, cp, 20);
        }
    }

    /**
     * Both sides send their own consent checks once connected (ConsentChecks; ice4j's keep-alive runner is off):
     * answered by the other side's endpoint, and the answers are matched by ours — consent is fresh on both sides
     * with nothing pushed to ice4j's STUN stack after the connection came up.
     */
    @Test
    void eachSideSendsItsOwnConsentChecksAndTheAnswersNeverReachIce4j() throws Exception {
        IceTestPeer sp = new IceTestPeer();
        IceTestPeer cp = new IceTestPeer();
        try (IceHarvesters h = new IceHarvesters(IceConfig.loopback(0));
             IceTransport server = new IceTransport(h, false, sp);
             IceTransport client = IceTransport.client(IceConfig.loopback(0), true, cp)) {
            IceTestPeer.wire(server, client);
            cp.awaitConnected(10);
            sp.awaitConnected(10);
            IceTransportTest.exchangeMedia(server, sp, client, cp, 20); // both addresses validated
            long answered = ConsentChecks.ANSWERED.sum();
            long endpointAnswered = h.stunAnswered();
            Poll.until(() -> server.ownConsentMillis() > 0 && client.ownConsentMillis() > 0, 10_000,
                    () -> "server " + server.ownConsentMillis() + " client " + client.ownConsentMillis());
            assertTrue(ConsentChecks.ANSWERED.sum() >= answered + 1);
            Poll.until(() -> h.stunAnswered() > endpointAnswered, 10_000); // the client's check, by the server's port
            assertTrue(server.isConnected() && client.isConnected());
        }
    }

    @Test
    void aFailedStartupCheckFallsBackToIce4j() throws Exception {
        IceTestPeer sp = new IceTestPeer();
        IceTestPeer cp = new IceTestPeer();
        try (IceHarvesters h = new IceHarvesters(IceConfig.loopback(0), true, ch -> "forced by the test");
             IceTransport server = new IceTransport(h, false, sp);
             IceTransport client = IceTransport.client(IceConfig.loopback(0), true, cp)) {
            assertEquals(0, h.ownSendPaths());
            assertEquals(1, h.ownSendPathFallbacks());
            IceTestPeer.wire(server, client);
            cp.awaitConnected(10);
            sp.awaitConnected(10);
            assertFalse(server.ownMediaRoute());
            IceTransportTest.exchangeMedia(server, sp, client, cp, 200);
            assertEquals(0, h.ownSendSent());
        }
    }

    @Test
    void theOwnPathCanBeLeftOff() throws Exception {
        try (IceHarvesters h = new IceHarvesters(IceConfig.loopback(0), false)) {
            assertEquals(0, h.ownSendPaths());
            assertEquals(0, h.ownSendPathFallbacks());
        }
    }

    @Test
    void receivedDatagramsReuseThePooledBuffers() throws Exception {
        IceTestPeer sp = new IceTestPeer();
        IceTestPeer cp = new IceTestPeer();
        try (IceHarvesters h = new IceHarvesters(IceConfig.loopback(0));
             IceTransport server = new IceTransport(h, false, sp);
             IceTransport client = IceTransport.client(IceConfig.loopback(0), true, cp)) {
            IceTestPeer.wire(server, client);
            cp.awaitConnected(10);
            sp.awaitConnected(10);
            IceTransportTest.exchangeMedia(server, sp, client, cp, 500);
            long allocated = IceBuffers.LENDER.allocated();
            IceTransportTest.exchangeMedia(server, sp, client, cp, 2000);
            assertEquals(2500, sp.handedOver.get());
            assertTrue(sp.tailroom >= IceSafety.TAILROOM, "tailroom " + sp.tailroom);
            long grown = IceBuffers.LENDER.allocated() - allocated;
            assertTrue(grown < 50, "2000 datagrams allocated " + grown + " new receive buffers");
        }
    }
}
