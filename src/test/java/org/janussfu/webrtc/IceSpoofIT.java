package org.janussfu.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.ClientPeer;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.janussfu.webrtc.PeerConnectionIT.fixture;
import static org.janussfu.webrtc.PeerConnectionIT.jsep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Junk on the media port against a live call (RFC 8445 §7.3, RFC 7983, RFC 6347 §4.1.2.7): a Binding request with
 * the publisher connection's real ufrags but a wrong MESSAGE-INTEGRITY, then a 15-byte plaintext DTLS fatal alert,
 * from the attacker's own socket; then the same alert from the publisher's own, validated 5-tuple. Nothing of it
 * may change the call: no hangup, both connections stay open, relayed media keeps arriving at the subscriber.
 */
@ExtendWith(VertxExtension.class)
class IceSpoofIT {

    @Test
    void spoofedCheckAndForgedAlertChangeNothing(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of());
             SfuUser alice = new SfuUser(vertx, s.wsPort, "alice");
             SfuUser bob = new SfuUser(vertx, s.wsPort, "bob");
             DatagramSocket attacker = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Context ctx = vertx.getOrCreateContext();
            ClientPeer pub = new ClientPeer(s.server.media(), ctx);
            String offer = pub.offer(fixture("chrome-renegotiation-offer.sdp"));
            ObjectNode reply = alice.messageWithJsep(alice.publisher, "{}", jsep("offer", offer));
            String answer = reply.path("jsep").path("sdp").asText();
            pub.acceptAnswer(answer);
            pub.connected.get(20, TimeUnit.SECONDS);
            assertTrue(alice.joinAsPublisher("r", null).path("success").asBoolean());
            bob.joinAsPublisher("r", null);
            long sub = bob.attach();
            ObjectNode subOffer = bob.message(sub,
                    "{\"kind\":\"join\",\"room_id\":\"r\",\"user_id\":\"bob\",\"subscribe\":{\"media\":\"alice\"}}");
            ClientPeer subPeer = new ClientPeer(s.server.media(), ctx);
            bob.messageWithJsep(sub, "{}", jsep("answer", subPeer.answer(subOffer.path("jsep").path("sdp").asText())));
            subPeer.connected.get(20, TimeUnit.SECONDS);
            flowing(pub, subPeer, 0);

            MediaEngine media = s.server.media();
            long badBefore = media.stunBadIntegrity();
            long unvalidatedBefore = media.unvalidatedDropped();
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), candidatePort(answer));
            byte[] check = bindingRequest(attr(answer, "ice-ufrag") + ":" + attr(offer, "ice-ufrag"));
            attacker.send(new DatagramPacket(check, check.length, server));
            byte[] alert = plaintextFatalAlert();
            attacker.send(new DatagramPacket(alert, alert.length, server));
            PeerConnectionIT.SessionAwait.until(() -> media.stunBadIntegrity() > badBefore
                    && media.unvalidatedDropped() > unvalidatedBefore, 15_000);

            // The same forged alert from the publisher's own validated 5-tuple: unauthenticated, so dropped too.
            assertTrue(pub.pc.iceTransport().send(alert, 0, alert.length));
            Thread.sleep(1000);         // no counter tells this one was dropped: time for a close it would have caused

            assertEquals(4, media.openConnections(), "all four connections (two server, two client side) stay open");
            assertFalse(pub.closed.isDone() || subPeer.closed.isDone(), "no connection closed");
            flowing(pub, subPeer, 100);
            assertTrue(alice.ws.received.stream().noneMatch(m -> "hangup".equals(m.path("janus").asText())),
                    "the publisher was never hung up");
            pub.close();
            subPeer.close();
        }
    }

    /** Publisher media reaches the subscriber (20 more packets within the deadline). */
    private static void flowing(ClientPeer pub, ClientPeer sub, int seq0) throws Exception {
        int before = sub.rtp.size();
        for (int i = 0; i < 100 && sub.rtp.size() - before < 20; i++) {
            pub.sendRtp(ClientPeer.rtpPacket(111, seq0 + i, 960L * (seq0 + i), 0xabcdefL, 80), 92);
            Thread.sleep(10);
        }
        PeerConnectionIT.SessionAwait.until(() -> sub.rtp.size() - before >= 20, 15_000);
    }

    private static String attr(String sdp, String name) {
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("a=" + name + ":")) {
                return line.substring(name.length() + 3).trim();
            }
        }
        throw new AssertionError("no a=" + name + " in " + sdp);
    }

    private static int candidatePort(String sdp) {
        String[] f = attr(sdp, "candidate").split(" ");
        return Integer.parseInt(f[5]);
    }

    /** A Binding request (RFC 8489 §6) with USERNAME, ICE-CONTROLLING and a MESSAGE-INTEGRITY of random bytes. */
    static byte[] bindingRequest(String username) {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        int userPadded = (user.length + 3) & ~3;
        int len = 4 + userPadded + 12 + 24;
        byte[] m = new byte[20 + len];
        m[1] = 0x01;
        m[2] = (byte) (len >>> 8);
        m[3] = (byte) len;
        m[4] = 0x21;
        m[5] = 0x12;
        m[6] = (byte) 0xA4;
        m[7] = 0x42;
        byte[] tid = new byte[12];
        ThreadLocalRandom.current().nextBytes(tid);
        System.arraycopy(tid, 0, m, 8, 12);
        int p = 20;
        m[p + 1] = 0x06;
        m[p + 3] = (byte) user.length;
        System.arraycopy(user, 0, m, p + 4, user.length);
        p += 4 + userPadded;
        m[p] = (byte) 0x80;
        m[p + 1] = 0x2A; // ICE-CONTROLLING
        m[p + 3] = 8;
        p += 12;
        m[p + 1] = 0x08; // MESSAGE-INTEGRITY
        m[p + 3] = 20;
        byte[] junk = new byte[20];
        ThreadLocalRandom.current().nextBytes(junk);
        System.arraycopy(junk, 0, m, p + 4, 20);
        return m;
    }

    /** A DTLS 1.2 record (RFC 6347 §4.1) in epoch 0: alert, fatal, handshake_failure — 15 bytes. */
    static byte[] plaintextFatalAlert() {
        return new byte[] {21, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 9, 0, 2, 2, 40};
    }
}
