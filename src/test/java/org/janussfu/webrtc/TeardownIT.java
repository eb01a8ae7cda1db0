package org.janussfu.webrtc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.ClientPeer;
import org.janussfu.testing.Poll;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tearing connections down leaks nothing: over repeated rounds of connected publishers ended by each path — the
 * hangup request, detach, session destroy, socket close — PeerConnections, media timers and sessions return to
 * zero and the process's thread and file-descriptor counts stop growing. Also: the slowlink event when enabled.
 */
@ExtendWith(VertxExtension.class)
class TeardownIT {

    static ClientPeer connectPublisher(TestServer s, SfuUser u, Context ctx) throws Exception {
        ClientPeer peer = new ClientPeer(s.server.media(), ctx);
        ObjectNode reply = u.messageWithJsep(u.publisher, "{}",
                PeerConnectionIT.jsep("offer", peer.offer(PeerConnectionIT.fixture("chrome-renegotiation-offer.sdp"))));
        peer.acceptAnswer(reply.path("jsep").path("sdp").asText());
        peer.connected.get(20, TimeUnit.SECONDS);
        u.ws.await(m -> "webrtcup".equals(m.path("janus").asText()), 10_000);
        return peer;
    }

    static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    static int fds() {
        String[] l = new File("/proc/self/fd").list();
        return l == null ? -1 : l.length;
    }

    @Test
    void everyTeardownPathReleasesEverything(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of())) {
            Context ctx = vertx.getOrCreateContext();
            int baseThreads = 0;
            int baseFds = 0;
            for (int round = 0; round < 4; round++) {
                for (String path : List.of("hangup", "detach", "destroy", "close")) {
                    SfuUser u = new SfuUser(vertx, s.wsPort, "u" + round + path);
                    ClientPeer peer = connectPublisher(s, u, ctx);
                    switch (path) {
                        case "hangup" -> u.ws.call("{\"janus\":\"hangup\",\"session_id\":" + u.session + ",\"handle_id\":" + u.publisher + "}");
                        case "detach" -> u.ws.call("{\"janus\":\"detach\",\"session_id\":" + u.session + ",\"handle_id\":" + u.publisher + "}");
                        case "destroy" -> u.ws.call("{\"janus\":\"destroy\",\"session_id\":" + u.session + "}");
                        default -> { }
                    }
                    u.close();
                    peer.close();
                }
                PeerConnectionIT.SessionAwait.until(() -> s.server.media().openConnections() == 0
                        && s.core().counters().mediaTimers.sum() == 0 && s.core().sessionCount() == 0, 20_000);
                System.gc();
                Thread.sleep(300);
                if (round == 0) {
                    baseThreads = threads();
                    baseFds = fds();
                }
            }
            assertEquals(0, s.server.media().openConnections());
            // Pools give idle threads back and sockets close on their own schedule, which a loaded box stretches:
            // the counts are read once they are back (a leak never is; it grows with every round).
            int threadBound = baseThreads + 6;
            int fdBound = baseFds + 8;
            int threads0 = baseThreads;
            int fds0 = baseFds;
            Poll.until(() -> threads() <= threadBound && fds() <= fdBound, 20_000,
                    () -> "threads grew from " + threads0 + " to " + threads() + ", file descriptors from " + fds0
                            + " to " + fds());
        }
    }

    @Test
    void slowlinkWhenEnabled(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_WEBRTC_SLOWLINK_THRESHOLD", "5"));
             SfuUser u = new SfuUser(vertx, s.wsPort, "lossy")) {
            ClientPeer peer = connectPublisher(s, u, vertx.getOrCreateContext());
            for (int i = 0; i < 150; i++) {
                if (i % 3 != 0) { // a third of the packets never leave
                    peer.sendRtp(ClientPeer.rtpPacket(111, i, 960L * i, 0x5151L, 40), 52);
                }
                Thread.sleep(10);
            }
            ObjectNode slow = u.ws.await(m -> "slowlink".equals(m.path("janus").asText()), 15_000);
            assertEquals("audio", slow.path("media").asText());
            assertTrue(slow.path("uplink").asBoolean());
            assertTrue(slow.path("lost").asLong() >= 5, slow::toString);
            peer.close();
        }
    }
}
