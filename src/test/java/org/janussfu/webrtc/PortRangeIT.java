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

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code webrtc.ice.port-range}, every connection gets its own UDP socket in the range instead of the shared
 * port: candidates advertise ports in the range, two connections get different ports, they connect and carry media,
 * and a closed connection's port is free again.
 */
@ExtendWith(VertxExtension.class)
class PortRangeIT {
    static final Pattern PORT = Pattern.compile("a=candidate:\\S+ 1 udp \\d+ 127\\.0\\.0\\.1 (\\d+) typ host");

    static int candidatePort(String sdp) {
        Matcher m = PORT.matcher(sdp);
        assertTrue(m.find(), sdp);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void connectionsGetTheirOwnPortInTheRange(Vertx vertx) throws Exception {
        int min = 47300;
        int max = 47320;
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_WEBRTC_ICE_PORT_RANGE", min + "-" + max))) {
            Context ctx = vertx.getOrCreateContext();
            Set<Integer> ports = new HashSet<>();
            for (int round = 0; round < 2; round++) {
                // Both connections stay open while their ports are compared: a closed one frees its port, and the
                // next connection may then legitimately get the same one.
                try (SfuUser a = new SfuUser(vertx, s.wsPort, "a" + round);
                     SfuUser b = new SfuUser(vertx, s.wsPort, "b" + round);
                     ClientPeer peerA = new ClientPeer(s.server.media(), ctx);
                     ClientPeer peerB = new ClientPeer(s.server.media(), ctx)) {
                    int pa = connect(s, a, peerA);
                    int pb = connect(s, b, peerB);
                    assertTrue(pa >= min && pa <= max && pb >= min && pb <= max, pa + " " + pb);
                    assertTrue(pa != pb, "each connection has its own port: " + pa + " " + pb);
                    ports.add(pa);
                    ports.add(pb);
                    // Run to completion here too (decision 0013): a connection's own socket is read on the media loop.
                    long inline0 = s.server.media().srtpInline();
                    for (int i = 0; i < 20; i++) {
                        peerA.sendRtp(ClientPeer.rtpPacket(111, i, 960L * i, 0x5151L, 40), 52);
                    }
                    org.janussfu.testing.Poll.until(() -> s.server.media().srtpInline() >= inline0 + 10, 10_000,
                            () -> "decrypted on the media loop: " + (s.server.media().srtpInline() - inline0)
                                    + ", handed off: " + s.server.media().srtpHandedOff());
                    assertEquals(0, s.server.media().srtpHandedOff(), "no hand-off from a reader thread");
                }
                PeerConnectionIT.SessionAwait.until(() -> s.server.media().openConnections() == 0, 5000);
            }
            assertTrue(ports.size() >= 2);
        }
    }

    static int connect(TestServer s, SfuUser u, ClientPeer peer) throws Exception {
        ObjectNode reply = u.messageWithJsep(u.publisher, "{}",
                PeerConnectionIT.jsep("offer", peer.offer(PeerConnectionIT.fixture("chrome-renegotiation-offer.sdp"))));
        String answer = reply.path("jsep").path("sdp").asText();
        peer.acceptAnswer(answer);
        peer.connected.get(20, TimeUnit.SECONDS);
        u.ws.await(m -> "webrtcup".equals(m.path("janus").asText()), 10_000);
        long before = s.core().counters().rtpReceived.sum();
        for (int i = 0; i < 20; i++) {
            peer.sendRtp(ClientPeer.rtpPacket(111, i, 960L * i, 0x4242L, 50), 62);
        }
        PeerConnectionIT.SessionAwait.until(() -> s.core().counters().rtpReceived.sum() - before >= 20, 5000);
        return candidatePort(answer);
    }
}
