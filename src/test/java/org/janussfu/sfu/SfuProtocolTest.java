package org.janussfu.sfu;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.janussfu.testing.SfuUser.data;
import static org.janussfu.testing.SfuUser.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * janus.plugin.sfu over real WebSockets with several clients in two rooms: exactly the join, leave, blocked,
 * unblocked and data events of the contract (sfu-protocol.md §1–3), error strings, limits.
 */
@ExtendWith(VertxExtension.class)
class SfuProtocolTest {
    static final String OFFER_DATA_ONLY = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n"
            + "a=group:BUNDLE 0\\r\\na=extmap-allow-mixed\\r\\na=msid-semantic: WMS\\r\\n"
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\\r\\nc=IN IP4 0.0.0.0\\r\\na=ice-ufrag:abcd\\r\\n"
            + "a=ice-pwd:abcdefghijklmnopqrstuvwx\\r\\na=ice-options:trickle\\r\\n"
            + "a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\\r\\n"
            + "a=setup:actpass\\r\\na=mid:0\\r\\na=sctp-port:5000\\r\\na=max-message-size:262144\\r\\n\"}";

    static TestServer server(Map<String, String> env) throws Exception {
        return TestServer.startProduction(env);
    }

    static Set<String> users(ObjectNode joinData, String room) {
        Set<String> out = new HashSet<>();
        joinData.path("response").path("users").path(room).forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void joinAndLeaveEventsAcrossTwoRooms(Vertx vertx) throws Exception {
        try (TestServer s = server(Map.of());
             SfuUser a = new SfuUser(vertx, s.wsPort, "alice");
             SfuUser b = new SfuUser(vertx, s.wsPort, "bob");
             SfuUser c = new SfuUser(vertx, s.wsPort, "carol");
             SfuUser d = new SfuUser(vertx, s.wsPort, "dave")) {
            ObjectNode ja = a.joinAsPublisher("r1", null);
            assertTrue(ja.path("success").asBoolean(), ja::toString);
            assertEquals(Set.of(), users(ja, "r1"), "users excludes the joiner");
            assertEquals(1, ja.path("response").path("users").size(), "keyed by the room only");
            assertEquals(Set.of("alice"), users(b.joinAsPublisher("r1", null), "r1"));
            ObjectNode joinB = a.awaitEvent(event("join", "bob"));
            assertEquals("r1", joinB.path("room_id").asText());
            assertEquals(Set.of("alice", "bob"), users(c.joinAsPublisher("r1", null), "r1"));
            a.awaitEvent(event("join", "carol"));
            b.awaitEvent(event("join", "carol"));
            assertEquals(Set.of(), users(d.joinAsPublisher("r2", null), "r2"));
            // carol's subscriber handle on bob: same user id, not a publisher, no join event
            long sub = c.attach();
            ObjectNode sj = data(c.message(sub, "{\"kind\":\"join\",\"room_id\":\"r1\",\"user_id\":\"carol\",\"subscribe\":{\"media\":\"nobody\"}}"));
            assertFalse(sj.path("success").asBoolean());
            assertEquals("Can't subscribe to a nonexistent publisher.", sj.path("error").path("msg").asText());
            // bob leaves by closing his socket: alice and carol (r1) hear it, dave (r2) does not
            b.close();
            ObjectNode leave = a.awaitEvent(event("leave", "bob"));
            assertEquals("r1", leave.path("room_id").asText());
            c.awaitEvent(event("leave", "bob"));
            d.assertNoEvent(d2 -> true, 300);
            a.assertNoEvent(event("join", "dave"), 10);
            a.assertNoEvent(event("join", "alice"), 10);
        }
    }

    @Test
    void leaveOnlyWhenTheUsersLastHandleGoes(Vertx vertx) throws Exception {
        try (TestServer s = server(Map.of());
             SfuUser a = new SfuUser(vertx, s.wsPort, "alice");
             SfuUser b = new SfuUser(vertx, s.wsPort, "bob")) {
            a.joinAsPublisher("r", null);
            b.joinAsPublisher("r", null);
            a.awaitEvent(event("join", "bob"));
            // bob publishes (data-channel-only offer), so that alice can subscribe to him
            ObjectNode answer = b.messageWithJsep(b.publisher, "{}", OFFER_DATA_ONLY);
            assertTrue(data(answer).path("success").asBoolean(), answer::toString);
            assertEquals("answer", answer.path("jsep").path("type").asText());
            long probe = b.attach();
            ObjectNode sj = b.message(probe, "{\"kind\":\"join\",\"room_id\":\"r\",\"user_id\":\"bob\",\"subscribe\":{\"media\":\"alice\"}}");
            assertFalse(data(sj).path("success").asBoolean(), "alice never negotiated");
            assertEquals("Can't subscribe to a publisher that has not negotiated media yet.", data(sj).path("error").path("msg").asText());
            // a plain subscriber join (no media) holds the user too
            long bobSecond = b.attach();
            assertTrue(data(b.message(bobSecond, "{\"kind\":\"join\",\"room_id\":\"r\",\"user_id\":\"bob\"}")).path("success").asBoolean());
            long aliceSub = a.attach();
            ObjectNode offer = a.message(aliceSub, "{\"kind\":\"join\",\"room_id\":\"r\",\"user_id\":\"alice\",\"subscribe\":{\"media\":\"bob\"}}");
            assertTrue(data(offer).path("success").asBoolean(), offer::toString);
            assertEquals("offer", offer.path("jsep").path("type").asText());
            // our addition: {"kind":"restart"} on a media subscriber answers with its offer again (new ICE
            // credentials once the first answer was applied: BrowserJanusJsIT); elsewhere it is refused
            ObjectNode restart = a.message(aliceSub, "{\"kind\":\"restart\"}");
            assertTrue(data(restart).path("success").asBoolean(), restart::toString);
            assertEquals("offer", restart.path("jsep").path("type").asText());
            assertEquals("Can't restart ICE without a media subscription.",
                    data(a.message(a.publisher, "{\"kind\":\"restart\"}")).path("error").path("msg").asText());
            // bob's publisher handle goes, but his second handle still holds the user: no leave yet
            b.ws.call("{\"janus\":\"detach\",\"session_id\":" + b.session + ",\"handle_id\":" + b.publisher + "}");
            a.assertNoEvent(event("leave", "bob"), 400);
            b.ws.call("{\"janus\":\"detach\",\"session_id\":" + b.session + ",\"handle_id\":" + bobSecond + "}");
            a.awaitEvent(event("leave", "bob"));
        }
    }

    @Test
    void blockUnblockAndData(Vertx vertx) throws Exception {
        try (TestServer s = server(Map.of());
             SfuUser a = new SfuUser(vertx, s.wsPort, "alice");
             SfuUser b = new SfuUser(vertx, s.wsPort, "bob");
             SfuUser c = new SfuUser(vertx, s.wsPort, "carol");
             SfuUser d = new SfuUser(vertx, s.wsPort, "dave")) {
            ObjectNode notJoined = data(a.message(a.publisher, "{\"kind\":\"block\",\"whom\":\"bob\"}"));
            assertEquals("Cannot block when not in a room.", notJoined.path("error").path("msg").asText());
            assertEquals("Cannot unblock when not in a room.",
                    data(a.message(a.publisher, "{\"kind\":\"unblock\",\"whom\":\"bob\"}")).path("error").path("msg").asText());
            assertEquals("Cannot send data when not in a room.",
                    data(a.message(a.publisher, "{\"kind\":\"data\",\"body\":\"x\"}")).path("error").path("msg").asText());
            a.joinAsPublisher("r1", null);
            b.joinAsPublisher("r1", null);
            c.joinAsPublisher("r1", null);
            d.joinAsPublisher("r2", null);
            ObjectNode ok = data(a.message(a.publisher, "{\"kind\":\"block\",\"whom\":\"bob\"}"));
            assertTrue(ok.path("success").asBoolean());
            assertEquals(0, ok.path("response").size());
            assertEquals("alice", b.awaitEvent(event("blocked", null)).path("by").asText());
            c.assertNoEvent(event("blocked", null), 200);
            // websocket data is not block-filtered: broadcast reaches bob and carol, not dave, not alice herself
            assertTrue(data(a.message(a.publisher, "{\"kind\":\"data\",\"body\":\"{\\\"n\\\":1}\"}")).path("success").asBoolean());
            assertEquals("{\"n\":1}", b.awaitEvent(event("data", null)).path("body").asText());
            ObjectNode cd = c.awaitEvent(event("data", null));
            assertFalse(cd.has("user_id"), "the sender is not named");
            d.assertNoEvent(event("data", null), 200);
            a.assertNoEvent(event("data", null), 10);
            // targeted data reaches only its user
            a.message(a.publisher, "{\"kind\":\"data\",\"whom\":\"carol\",\"body\":\"only-carol\"}");
            assertEquals("only-carol", c.awaitEvent(event("data", null)).path("body").asText());
            b.assertNoEvent(d2 -> "only-carol".equals(d2.path("body").asText()), 300);
            assertTrue(data(a.message(a.publisher, "{\"kind\":\"unblock\",\"whom\":\"bob\"}")).path("success").asBoolean());
            assertEquals("alice", b.awaitEvent(event("unblocked", null)).path("by").asText());
        }
    }

    @Test
    void errorStringsAndAtomicJoin(Vertx vertx) throws Exception {
        try (TestServer s = server(Map.of());
             SfuUser a = new SfuUser(vertx, s.wsPort, "alice")) {
            String parse = "data did not match any variant of untagged enum OptionalField";
            for (String body : List.of("{\"kind\":\"join\"}", "{\"kind\":\"join\",\"room_id\":1,\"user_id\":\"a\"}",
                    "{\"kind\":\"fly\"}", "{\"foo\":1}", "{\"kind\":\"data\",\"body\":5}")) {
                ObjectNode r = data(a.message(a.publisher, body));
                assertFalse(r.path("success").asBoolean(), body);
                assertEquals(parse, r.path("error").path("msg").asText(), body);
            }
            ObjectNode empty = data(a.message(a.publisher, "{}"));
            assertTrue(empty.path("success").asBoolean());
            assertFalse(empty.has("response"), "{} means no message: no response key");
            long sub = a.attach();
            ObjectNode failed = data(a.message(sub, "{\"kind\":\"join\",\"room_id\":\"r\",\"user_id\":\"alice\",\"subscribe\":{\"media\":\"ghost\"}}"));
            assertEquals("Can't subscribe to a nonexistent publisher.", failed.path("error").path("msg").asText());
            assertEquals("Cannot send data when not in a room.",
                    data(a.message(sub, "{\"kind\":\"data\",\"body\":\"x\"}")).path("error").path("msg").asText(),
                    "a failed join leaves the handle un-joined");
            assertTrue(a.joinAsPublisher("r", null).path("success").asBoolean());
            assertEquals("Handles may only join once!", a.joinAsPublisher("r", null).path("error").path("msg").asText());
        }
    }

    @Test
    void roomAndServerLimits(Vertx vertx) throws Exception {
        try (TestServer s = server(Map.of("JANUS_SFU_PLUGIN_SFU_MAX_ROOM_SIZE", "2", "JANUS_SFU_PLUGIN_SFU_MAX_CCU", "3"));
             SfuUser a = new SfuUser(vertx, s.wsPort, "a");
             SfuUser b = new SfuUser(vertx, s.wsPort, "b");
             SfuUser c = new SfuUser(vertx, s.wsPort, "c");
             SfuUser d = new SfuUser(vertx, s.wsPort, "d");
             SfuUser e = new SfuUser(vertx, s.wsPort, "e")) {
            assertTrue(a.joinAsPublisher("r1", null).path("success").asBoolean());
            assertTrue(b.joinAsPublisher("r1", null).path("success").asBoolean());
            assertEquals("Room is full.", c.joinAsPublisher("r1", null).path("error").path("msg").asText());
            assertTrue(c.joinAsPublisher("r2", null).path("success").asBoolean());
            assertEquals("Server is full.", d.joinAsPublisher("r3", null).path("error").path("msg").asText());
            // subscriber joins are not limited
            long sub = e.attach();
            ObjectNode sj = data(e.message(sub, "{\"kind\":\"join\",\"room_id\":\"r1\",\"user_id\":\"e\"}"));
            assertTrue(sj.path("success").asBoolean(), sj::toString);
            // room space frees when a user leaves
            b.close();
            a.awaitEvent(event("leave", "b"));
            assertTrue(d.joinAsPublisher("r1", null).path("success").asBoolean());
        }
    }

    @Test
    void zombiePublisherMakesTheJoinerSeeItself(Vertx vertx) throws Exception {
        try (TestServer s = server(Map.of());
             SfuUser old = new SfuUser(vertx, s.wsPort, "zed");
             SfuUser other = new SfuUser(vertx, s.wsPort, "amy");
             SfuUser again = new SfuUser(vertx, s.wsPort, "zed")) {
            old.joinAsPublisher("r", null);
            other.joinAsPublisher("r", null);
            ObjectNode j = again.joinAsPublisher("r", null);
            assertEquals(Set.of("zed", "amy"), users(j, "r"), "the old publisher of the same user is still there");
            other.awaitEvent(event("join", "zed"));
            old.close();
            other.assertNoEvent(event("leave", "zed"), 400);
        }
    }
}
