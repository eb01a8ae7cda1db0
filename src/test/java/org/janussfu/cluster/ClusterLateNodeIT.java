package org.janussfu.cluster;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.ClientPeer;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.janussfu.webrtc.ForwardingIT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.janussfu.testing.SfuUser.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: blocks outlive sessions (sfu-protocol.md §3.5), so a node that joins the cluster after a block was made
 * must know it. Two nodes run; bob (node B) blocks alice (node A); then node C starts. On C, bob subscribes to
 * alice's media and carol does too: carol receives it, bob — the blocker — receives nothing. A and B carry media on the
 * event bus, C on its UDP relay, so this is also the mixed case. JUnit thread; three nodes in this JVM on 127.0.0.1.
 */
@ExtendWith(VertxExtension.class)
class ClusterLateNodeIT {

    @Test
    void aNodeThatStartsLaterKnowsTheBlocksMadeBefore(Vertx vertx) throws Exception {
        List<Map<String, String>> envs = TestServer.clusterEnvs(3, Map.of());
        List<TestServer> nodes = new ArrayList<>();
        try {
            // A and B carry media on the event bus (cluster.media-relay = bus), C on its UDP relay: C's subscription
            // to A falls back to the bus, as in a rolling change of the setting
            for (int i = 0; i < 2; i++) {
                Map<String, String> bus = new java.util.HashMap<>(envs.get(i));
                bus.put("JANUS_SFU_CLUSTER_MEDIA_RELAY", "bus");
                nodes.add(TestServer.start(bus, null));
            }
            Context ctx = vertx.getOrCreateContext();
            ForwardingIT.Publisher alice = ClusterMediaIT.publisher(nodes.get(0), vertx, ctx, "alice", "m");
            ForwardingIT.Publisher bob = ClusterMediaIT.publisher(nodes.get(1), vertx, ctx, "bob", "m");
            assertTrue(data(bob.user().message(bob.user().publisher, "{\"kind\":\"block\",\"whom\":\"alice\"}"))
                    .path("success").asBoolean());

            TestServer c = TestServer.start(envs.get(2), null);
            nodes.add(c);
            SfuUser bobOnC = new SfuUser(vertx, c.wsPort, "bob");
            SfuUser carolOnC = new SfuUser(vertx, c.wsPort, "carol");
            ClientPeer carolSees = ClusterMediaIT.subscribe(c, ctx, carolOnC, "m", "alice");
            ClientPeer bobSees = ClusterMediaIT.subscribe(c, ctx, bobOnC, "m", "alice");

            ClusterMediaIT.sendMedia(alice, 100, 0, carolSees.rtp::size);
            ClusterMediaIT.until(() -> ClusterMediaIT.video(carolSees, alice.videoPt()).size() >= 50, 15_000);
            assertEquals(0, nodes.get(0).server.clusterRooms().relayPort(), "node A runs no relay");
            assertTrue(c.server.clusterRooms().relayPort() > 0, "node C runs its relay");
            assertEquals(0, c.server.clusterRooms().counters.relayReceived.sum(), "A's frames came on the bus");
            Thread.sleep(500); // what was in flight for bob would have arrived by now
            assertEquals(0, ClusterMediaIT.video(bobSees, alice.videoPt()).size(),
                    "node C applies the block made before it started");
            bobSees.close();
            carolSees.close();
            bobOnC.close();
            carolOnC.close();
        } finally {
            for (int i = nodes.size() - 1; i >= 0; i--) {
                nodes.get(i).close();
            }
        }
    }
}
