package org.janussfu.webrtc;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.ClientPeer;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.janussfu.webrtc.PeerConnectionIT.SessionAwait.until;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data channels end to end with in-process peers over the project's own SCTP: messages a publisher sends on its
 * "reliable" and "unreliable" channels reach the room's other publishers on channels with the same label (opened by
 * the server when missing), text and binary preserved, a 200 KB message fragmented and reassembled, and nothing
 * crosses a blocked pair (sfu-protocol.md §4.1).
 */
@ExtendWith(VertxExtension.class)
class DataRelayIT {

    @Test
    void messagesRelayByLabelToTheRoomExceptBlockedPairs(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of())) {
            Context ctx = vertx.getOrCreateContext();
            ForwardingIT.Publisher alice = ForwardingIT.publisher(s, vertx, ctx, "alice", "r");
            ForwardingIT.Publisher bob = ForwardingIT.publisher(s, vertx, ctx, "bob", "r");
            ForwardingIT.Publisher carol = ForwardingIT.publisher(s, vertx, ctx, "carol", "r");
            alice.peer().openChannel("reliable", true, -1);
            alice.peer().openChannel("unreliable", false, 0);
            bob.peer().openChannel("reliable", true, -1);
            carol.peer().openChannel("reliable", true, -1);
            Thread.sleep(300);

            byte[] text = "{\"dataType\":\"u\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
            assertTrue(alice.peer().sendData("reliable", false, text));
            assertTrue(alice.peer().sendData("unreliable", true, new byte[]{1, 2, 3}));
            byte[] big = new byte[200_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31);
            }
            assertTrue(alice.peer().sendData("reliable", true, big));
            for (ClientPeer p : List.of(bob.peer(), carol.peer())) {
                until(() -> p.data.size() >= 3, 10_000);
                assertEquals("reliable", p.data.get(0)[0]);
                assertEquals(false, p.data.get(0)[1]);
                assertArrayEquals(text, (byte[]) p.data.get(0)[2]);
                Object[] unreliable = p.data.stream().filter(m -> "unreliable".equals(m[0])).findFirst().orElseThrow();
                assertEquals(true, unreliable[1]);
                assertArrayEquals(new byte[]{1, 2, 3}, (byte[]) unreliable[2]);
                Object[] large = p.data.stream().filter(m -> ((byte[]) m[2]).length == big.length).findFirst().orElseThrow();
                assertArrayEquals(big, (byte[]) large[2]);
            }
            assertEquals(0, alice.peer().data.size(), "the sender does not get its own messages");

            // carol blocks alice: nothing crosses that pair either way; bob still gets alice's
            carol.user().message(carol.user().publisher, "{\"kind\":\"block\",\"whom\":\"alice\"}");
            Thread.sleep(200);
            int carolBefore = carol.peer().data.size();
            int bobBefore = bob.peer().data.size();
            alice.peer().sendData("reliable", false, "after block".getBytes(StandardCharsets.UTF_8));
            carol.peer().sendData("reliable", false, "from carol".getBytes(StandardCharsets.UTF_8));
            until(() -> bob.peer().data.size() >= bobBefore + 2, 15_000);
            Thread.sleep(300);
            assertEquals(carolBefore, carol.peer().data.size(), "carol got nothing from alice");
            assertTrue(alice.peer().data.stream().noneMatch(m -> new String((byte[]) m[2], StandardCharsets.UTF_8).equals("from carol")),
                    "alice got nothing from carol");
            for (ForwardingIT.Publisher p : List.of(alice, bob, carol)) {
                p.peer().close();
                p.user().close();
            }
        }
    }
}
