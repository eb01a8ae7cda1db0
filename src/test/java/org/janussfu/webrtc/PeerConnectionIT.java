package org.janussfu.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.ClientPeer;
import org.janussfu.testing.Poll;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.janussfu.webrtc.srtp.SrtpProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole connection setup against a started server, with an in-process client peer built from the project's
 * own ICE/DTLS/SRTP: publisher offer → answer → ICE → DTLS → {@code webrtcup}; SRTP the client sends is decrypted by
 * the server ({@code media} event, counters); then a subscriber connection to that publisher, hangup and teardown
 * with nothing left open.
 */
@ExtendWith(VertxExtension.class)
class PeerConnectionIT {

    static String fixture(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/fixtures/sdp/" + name), StandardCharsets.UTF_8);
    }

    static String jsep(String type, String sdp) {
        return "{\"type\":\"" + type + "\",\"sdp\":\"" + sdp.replace("\r", "\\r").replace("\n", "\\n") + "\"}";
    }

    @Test
    void publisherConnectsAndServerDecryptsItsMedia(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of());
             SfuUser alice = new SfuUser(vertx, s.wsPort, "alice")) {
            Context ctx = vertx.getOrCreateContext();
            ClientPeer peer = new ClientPeer(s.server.media(), ctx);
            ObjectNode reply = alice.messageWithJsep(alice.publisher, "{}", jsep("offer", peer.offer(fixture("chrome-renegotiation-offer.sdp"))));
            assertTrue(SfuUser.data(reply).path("success").asBoolean(), reply::toString);
            String answer = reply.path("jsep").path("sdp").asText();
            assertEquals("answer", reply.path("jsep").path("type").asText());
            assertTrue(answer.contains("a=setup:active"), "the server answers actpass with active (DTLS client)");
            peer.acceptAnswer(answer);

            SrtpProfile profile = peer.connected.get(20, TimeUnit.SECONDS);
            assertEquals(SrtpProfile.AEAD_AES_128_GCM, profile, "GCM is preferred when both sides offer it");
            ObjectNode up = alice.ws.await(m -> "webrtcup".equals(m.path("janus").asText()), 10_000);
            assertEquals(alice.publisher, up.path("sender").asLong());

            long before = s.core().counters().rtpReceived.sum();
            for (int i = 0; i < 50; i++) {
                byte[] p = ClientPeer.rtpPacket(111, 1000 + i, 960L * i, 0x1234567L, 60);
                peer.sendRtp(p, 72);
            }
            ObjectNode media = alice.ws.await(m -> "media".equals(m.path("janus").asText()), 10_000);
            assertEquals("audio", media.path("type").asText());
            assertTrue(media.path("receiving").asBoolean());
            SessionAwait.until(() -> s.core().counters().rtpReceived.sum() - before >= 50, 15_000);
            // silence → receiving:false after the 1 s no-media timeout (the wait is slack for a loaded box, not the timeout)
            ObjectNode stopped = alice.ws.await(m -> "media".equals(m.path("janus").asText()) && !m.path("receiving").asBoolean(), 15_000);
            assertEquals("audio", stopped.path("type").asText());

            // the hangup request closes the connection with an event; the handle stays
            alice.ws.call("{\"janus\":\"hangup\",\"session_id\":" + alice.session + ",\"handle_id\":" + alice.publisher + "}");
            ObjectNode hangup = alice.ws.await(m -> "hangup".equals(m.path("janus").asText()), 15_000);
            assertEquals("Janus API", hangup.path("reason").asText());
            peer.close();
            SessionAwait.until(() -> s.server.media().openConnections() == 0, 15_000);
        }
    }

    @Test
    void subscriberGetsAnOfferConnectsAndReceivesRelayedMedia(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of());
             SfuUser alice = new SfuUser(vertx, s.wsPort, "alice");
             SfuUser bob = new SfuUser(vertx, s.wsPort, "bob")) {
            Context ctx = vertx.getOrCreateContext();
            ClientPeer pub = new ClientPeer(s.server.media(), ctx);
            ObjectNode reply = alice.messageWithJsep(alice.publisher, "{}", jsep("offer", pub.offer(fixture("chrome-renegotiation-offer.sdp"))));
            pub.acceptAnswer(reply.path("jsep").path("sdp").asText());
            pub.connected.get(20, TimeUnit.SECONDS);
            assertTrue(alice.joinAsPublisher("r", null).path("success").asBoolean());
            bob.joinAsPublisher("r", null);

            long sub = bob.attach();
            ObjectNode offer = bob.message(sub, "{\"kind\":\"join\",\"room_id\":\"r\",\"user_id\":\"bob\",\"subscribe\":{\"media\":\"alice\"}}");
            assertEquals("offer", offer.path("jsep").path("type").asText(), offer::toString);
            String offerSdp = offer.path("jsep").path("sdp").asText();
            assertTrue(offerSdp.contains("a=setup:actpass") && offerSdp.contains("a=ssrc:"), offerSdp);
            ClientPeer subPeer = new ClientPeer(s.server.media(), ctx);
            String answer = subPeer.answer(offerSdp);
            ObjectNode ack = bob.messageWithJsep(sub, "{}", jsep("answer", answer));
            assertTrue(SfuUser.data(ack).path("success").asBoolean(), ack::toString);
            subPeer.connected.get(20, TimeUnit.SECONDS);
            bob.ws.await(m -> "webrtcup".equals(m.path("janus").asText()) && m.path("sender").asLong() == sub, 10_000);

            long ssrcSeen = 0;
            for (int i = 0; i < 100 && subPeer.rtp.size() < 20; i++) {
                pub.sendRtp(ClientPeer.rtpPacket(111, 5000 + i, 960L * i, 0xabcdefL, 80), 92);
                Thread.sleep(5);
            }
            SessionAwait.until(() -> subPeer.rtp.size() >= 20, 15_000);
            byte[] first = subPeer.rtp.get(0);
            ssrcSeen = org.janussfu.rtp.RtpHeader.ssrc(first, 0);
            assertTrue(ssrcSeen != 0xabcdefL, "the subscriber sees its own SSRC, not the publisher's");
            assertTrue(offerSdp.contains("a=ssrc:" + ssrcSeen + " "), "the SSRC announced in its offer");
            pub.close();
            subPeer.close();
        }
    }

    /** Polling helper for conditions on other threads. */
    static final class SessionAwait {
        static void until(java.util.function.BooleanSupplier c, long millis) throws InterruptedException {
            Poll.until(c, millis);
        }
    }
}
