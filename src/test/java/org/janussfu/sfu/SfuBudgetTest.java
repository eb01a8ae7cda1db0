package org.janussfu.sfu;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.janussfu.testing.SfuUser.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin's budgets over real WebSockets (docs/security.md "janus.plugin.sfu"): every string it keeps or repeats
 * is capped in bytes and refused with {@code success:false} naming the field and the limit; rooms on the server and
 * per user are bounded; a refused message changes nothing.
 */
@ExtendWith(VertxExtension.class)
class SfuBudgetTest {

    private static void assertRefused(ObjectNode data, String msg) {
        assertFalse(data.path("success").asBoolean(), data::toString);
        assertEquals(msg, data.path("error").path("msg").asText(), data::toString);
    }

    @Test
    void overLongStringsAreRefusedNamingTheLimit(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of());
             SfuUser a = new SfuUser(vertx, s.wsPort, "alice");
             SfuUser b = new SfuUser(vertx, s.wsPort, "bob")) {
            String longId = "u".repeat(257);
            assertRefused(data(a.message(a.publisher, "{\"kind\":\"join\",\"room_id\":\"r\",\"user_id\":\"" + longId + "\"}")),
                    "user_id is too long (limit 256 bytes).");
            assertRefused(data(a.message(a.publisher, "{\"kind\":\"join\",\"room_id\":\"" + longId + "\",\"user_id\":\"a\"}")),
                    "room_id is too long (limit 256 bytes).");
            // nothing was stored: the same handle may still join (once)
            assertTrue(a.joinAsPublisher("r", null).path("success").asBoolean());
            assertTrue(b.joinAsPublisher("r", null).path("success").asBoolean());
            for (int i = 0; i < 50; i++) {
                assertRefused(data(a.message(a.publisher, "{\"kind\":\"block\",\"whom\":\"" + "w".repeat(250_000) + "\"}")),
                        "whom is too long (limit 256 bytes).");
            }
            assertRefused(data(a.message(a.publisher, "{\"kind\":\"data\",\"body\":\"" + "d".repeat(65537) + "\"}")),
                    "body is too long (limit 65536 bytes).");
            b.assertNoEvent(d -> "data".equals(d.path("event").asText()), 200);
            assertTrue(data(a.message(a.publisher, "{\"kind\":\"data\",\"body\":\"" + "d".repeat(65536) + "\"}"))
                    .path("success").asBoolean());
            assertEquals(65536, b.awaitEvent(d -> "data".equals(d.path("event").asText())).path("body").asText().length());
            long sub = b.attach();
            assertRefused(data(b.message(sub, "{\"kind\":\"join\",\"room_id\":\"r\",\"user_id\":\"bob\",\"subscribe\":{\"media\":\""
                    + longId + "\"}}")), "media is too long (limit 256 bytes).");
            assertRefused(data(b.message(sub, "{\"kind\":\"join\",\"room_id\":\"r\",\"user_id\":\"bob\",\"token\":\""
                    + "t".repeat(8193) + "\"}")), "token is too long (limit 8192 bytes).");
        }
    }

    @Test
    void roomsOnTheServerAndPerUserAreBounded(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of(
                "JANUS_SFU_PLUGIN_SFU_MAX_ROOMS", "3", "JANUS_SFU_PLUGIN_SFU_MAX_ROOMS_PER_USER", "2"));
             SfuUser a = new SfuUser(vertx, s.wsPort, "alice");
             SfuUser b = new SfuUser(vertx, s.wsPort, "bob")) {
            assertTrue(a.joinAsPublisher("r1", null).path("success").asBoolean());
            long h2 = a.attach();
            assertTrue(data(a.message(h2, "{\"kind\":\"join\",\"room_id\":\"r2\",\"user_id\":\"alice\"}")).path("success").asBoolean());
            long h3 = a.attach();
            assertRefused(data(a.message(h3, "{\"kind\":\"join\",\"room_id\":\"r3\",\"user_id\":\"alice\"}")),
                    "Users may only be in 2 rooms at once.");
            assertTrue(data(a.message(h3, "{\"kind\":\"join\",\"room_id\":\"r1\",\"user_id\":\"alice\"}")).path("success").asBoolean(),
                    "another handle in a room the user is in already is fine");
            assertTrue(b.joinAsPublisher("r3", null).path("success").asBoolean());
            long b2 = b.attach();
            assertRefused(data(b.message(b2, "{\"kind\":\"join\",\"room_id\":\"r4\",\"user_id\":\"bob\"}")), "Server is full.");
        }
    }

    /** What real clients do fits the defaults: a Hubs room of 30 (naf: 1 + 29 handles each) and 200 subscriptions. */
    @Test
    void defaultsFitAHubsRoomOf30AndAUserWith200Subscriptions(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of())) {
            java.util.List<SfuUser> users = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 30; i++) {
                    SfuUser u = new SfuUser(vertx, s.wsPort, "user-" + java.util.UUID.randomUUID());
                    users.add(u);
                    assertTrue(u.joinAsPublisher("hubs-room", null).path("success").asBoolean());
                }
                for (SfuUser u : users) {
                    for (int k = 0; k < 29; k++) {
                        long h = u.attach();
                        ObjectNode r = data(u.message(h, "{\"kind\":\"join\",\"room_id\":\"hubs-room\",\"user_id\":\""
                                + u.userId + "\",\"subscribe\":{\"notifications\":false}}"));
                        assertTrue(r.path("success").asBoolean(), r::toString);
                    }
                }
                assertEquals(900, s.core().handleCount());
                SfuUser big = users.get(0);
                for (int k = 0; k < 171; k++) { // 1 + 29 + 171 = 201 handles in one session
                    long h = big.attach();
                    assertTrue(data(big.message(h, "{\"kind\":\"join\",\"room_id\":\"hubs-room\",\"user_id\":\""
                            + big.userId + "\",\"subscribe\":{\"notifications\":false}}")).path("success").asBoolean());
                }
                assertEquals(1071, s.core().handleCount());
                assertEquals(0, s.core().counters().refusedOverLimit.sum());
            } finally {
                for (SfuUser u : users) {
                    u.close();
                }
            }
        }
    }
}
