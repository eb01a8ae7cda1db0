package org.janussfu.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import org.janussfu.testing.TestServer;
import org.janussfu.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Admin API request over both admin transports (HTTP and WebSocket {@code janus-admin-protocol}) against a
 * server with an admin secret and stored-token auth: each request refused without the secret and with a wrong one
 * (403 and Janus' text), and answered with it in Janus 1.1.2's shape — info, ping, get_status, list_sessions,
 * list_handles, handle_info (with the room plugin's plugin_specific), message_plugin (list_rooms, list_users, kick),
 * set_session_timeout, set_log_level, hangup_webrtc, detach_handle, destroy_session, and the five token requests
 * (with a token's plugin scope then enforced on attach).
 */
class AdminApiTest {
    static final String SECRET = "s3cret";
    static final String SFU = "janus.plugin.sfu";
    static TestServer server;
    static Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.startProduction(Map.of("JANUS_SFU_ADMIN_SECRET", SECRET,
                "JANUS_SFU_GENERAL_TOKEN_AUTH", "true"));
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    static AdminClient client(String transport) throws Exception {
        return transport.equals("http") ? AdminClient.http(server.adminHttpPort()) : AdminClient.ws(vertx, server.adminWsPort());
    }

    static ObjectNode req(String request, String extra) {
        return AdminClient.req(request, SECRET, extra);
    }

    static void assertError(ObjectNode reply, int code, String reason) {
        assertEquals("error", reply.path("janus").asText(), reply.toString());
        assertEquals(code, reply.path("error").path("code").asInt(), reply.toString());
        if (reason != null) {
            assertEquals(reason, reply.path("error").path("reason").asText(), reply.toString());
        }
    }

    static void assertSuccess(ObjectNode reply) {
        assertEquals("success", reply.path("janus").asText(), reply.toString());
    }

    static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    /** A Janus API client with a token: create, attach to the room plugin, join room {@code room} as {@code user}. */
    static final class Peer implements AutoCloseable {
        final WsClient ws;
        final long session;
        final long handle;

        Peer(String token, String room, String user) throws Exception {
            ws = new WsClient(vertx, server.wsPort);
            ObjectNode c = ws.call("{\"janus\":\"create\",\"token\":\"" + token + "\"}");
            assertSuccess(c);
            session = c.path("data").path("id").asLong();
            ObjectNode a = ws.call("{\"janus\":\"attach\",\"plugin\":\"" + SFU + "\",\"session_id\":" + session
                    + ",\"token\":\"" + token + "\"}");
            assertSuccess(a);
            handle = a.path("data").path("id").asLong();
            String tx = ws.send(WsClient.json("{\"janus\":\"message\",\"session_id\":" + session + ",\"handle_id\":" + handle
                    + ",\"token\":\"" + token + "\",\"body\":{\"kind\":\"join\",\"room_id\":\"" + room + "\",\"user_id\":\""
                    + user + "\",\"subscribe\":{\"notifications\":true,\"data\":true}}}"));
            ws.await(m -> tx.equals(m.path("transaction").asText()) && m.path("janus").asText().equals("event"));
        }

        @Override
        public void close() throws Exception {
            ws.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "ws"})
    void everyRequestButInfoAndPingNeedsTheSecret(String transport) throws Exception {
        try (AdminClient a = client(transport)) {
            ObjectNode info = a.call(AdminClient.req("info", null, null));
            assertEquals("server_info", info.path("janus").asText(), info.toString());
            assertEquals("1.1.2", info.path("version_string").asText());
            assertTrue(info.has("transaction"));
            assertEquals("pong", a.call(AdminClient.req("ping", null, null)).path("janus").asText());
            String[] root = {"list_sessions", "get_status", "set_session_timeout", "set_log_level", "message_plugin",
                    "add_token", "allow_token", "disallow_token", "list_tokens", "remove_token", "no_such_request"};
            for (String r : root) {
                assertError(a.call(AdminClient.req(r, null, null)), 403, AdminRequests.UNAUTHORIZED);
                assertError(a.call(AdminClient.req(r, "wrong", null)), 403, AdminRequests.UNAUTHORIZED);
            }
            for (String r : new String[]{"list_handles", "destroy_session"}) {
                assertError(a.call(123, 0, AdminClient.req(r, null, null)), 403, AdminRequests.UNAUTHORIZED);
            }
            for (String r : new String[]{"handle_info", "detach_handle", "hangup_webrtc"}) {
                assertError(a.call(123, 456, AdminClient.req(r, "nope", null)), 403, AdminRequests.UNAUTHORIZED);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "ws"})
    void sessionsHandlesAndTheRoomPluginWithTheSecret(String transport) throws Exception {
        String token = "tok-" + transport;
        String room = "room-" + transport;
        try (AdminClient a = client(transport)) {
            ObjectNode added = a.call(req("add_token", "\"token\":\"" + token + "\""));
            assertSuccess(added);
            assertEquals(List.of(SFU), List.of(added.path("data").path("plugins").get(0).asText()));
            try (Peer alice = new Peer(token, room, "alice"); Peer bob = new Peer(token, room, "bob")) {
                ObjectNode sessions = a.call(req("list_sessions", null));
                assertSuccess(sessions);
                assertTrue(longs(sessions.path("sessions")).containsAll(List.of(alice.session, bob.session)), sessions.toString());

                ObjectNode handles = a.call(alice.session, 0, req("list_handles", null));
                assertSuccess(handles);
                assertEquals(alice.session, handles.path("session_id").asLong());
                assertEquals(List.of(alice.handle), longs(handles.path("handles")));

                ObjectNode hi = a.call(alice.session, alice.handle, req("handle_info", null));
                assertSuccess(hi);
                assertEquals(alice.handle, hi.path("handle_id").asLong());
                JsonNode info = hi.path("info");
                assertEquals(alice.session, info.path("session_id").asLong());
                assertEquals(alice.handle, info.path("handle_id").asLong());
                assertEquals(SFU, info.path("plugin").asText());
                assertEquals(room, info.path("plugin_specific").path("room_id").asText(), hi.toString());
                assertEquals("alice", info.path("plugin_specific").path("user_id").asText());
                assertEquals("publisher", info.path("plugin_specific").path("role").asText());
                assertTrue(info.path("flags").isObject() && info.path("sdps").isObject(), hi.toString());

                ObjectNode rooms = a.call(req("message_plugin", "\"plugin\":\"" + SFU + "\",\"request\":{\"request\":\"list_rooms\"}"));
                assertSuccess(rooms);
                boolean listed = false;
                for (JsonNode r : rooms.path("response").path("rooms")) {
                    if (r.path("room_id").asText().equals(room)) {
                        listed = true;
                        assertEquals(2, r.path("users").asInt(), rooms.toString());
                    }
                }
                assertTrue(listed, rooms.toString());
                ObjectNode users = a.call(req("message_plugin", "\"plugin\":\"" + SFU
                        + "\",\"request\":{\"request\":\"list_users\",\"room_id\":\"" + room + "\"}"));
                assertSuccess(users);
                List<String> ids = new ArrayList<>();
                users.path("response").path("users").forEach(u -> ids.add(u.path("user_id").asText()));
                assertEquals(List.of("alice", "bob"), ids);
                assertError(a.call(req("message_plugin", "\"plugin\":\"janus.plugin.nope\",\"request\":{}")), 460, "Invalid plugin");
                assertError(a.call(req("message_plugin", null)), 456, "Missing mandatory element (plugin)");

                // hangup_webrtc: answered with success whether or not a PeerConnection exists (none here).
                assertSuccess(a.call(alice.session, alice.handle, req("hangup_webrtc", null)));
                // kick: bob's handles in the room end; he sees his handle detached.
                ObjectNode kick = a.call(req("message_plugin", "\"plugin\":\"" + SFU
                        + "\",\"request\":{\"request\":\"kick\",\"room_id\":\"" + room + "\",\"user_id\":\"bob\"}"));
                assertEquals(1, kick.path("response").path("handles").asInt(), kick.toString());
                bob.ws.await(m -> m.path("janus").asText().equals("detached") || m.path("janus").asText().equals("hangup"));

                ObjectNode detach = a.call(alice.session, alice.handle, req("detach_handle", null));
                assertSuccess(detach);
                alice.ws.await(m -> m.path("janus").asText().equals("detached") && m.path("sender").asLong() == alice.handle);
                assertEquals(List.of(), longs(a.call(alice.session, 0, req("list_handles", null)).path("handles")));
                assertError(a.call(alice.session, alice.handle, req("handle_info", null)), 459,
                        "No such handle " + alice.handle + " in session " + alice.session);

                assertSuccess(a.call(alice.session, 0, req("destroy_session", null)));
                assertFalse(longs(a.call(req("list_sessions", null)).path("sessions")).contains(alice.session));
                assertError(a.call(alice.session, 0, req("list_handles", null)), 458, "No such session " + alice.session);
            }
            assertSuccess(a.call(req("remove_token", "\"token\":\"" + token + "\"")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "ws"})
    void settingsAndStatus(String transport) throws Exception {
        try (AdminClient a = client(transport)) {
            ObjectNode t = a.call(req("set_session_timeout", "\"timeout\":120"));
            assertSuccess(t);
            assertEquals(120, t.path("timeout").asInt());
            assertEquals(120, a.call(AdminClient.req("info", null, null)).path("session-timeout").asInt());
            assertEquals(120, a.call(req("get_status", null)).path("status").path("session_timeout").asInt());
            assertSuccess(a.call(req("set_session_timeout", "\"timeout\":60")));
            assertError(a.call(req("set_session_timeout", "\"timeout\":-1")), 467,
                    "Invalid element type (timeout should be a positive integer)");
            assertError(a.call(req("set_session_timeout", null)), 456, "Missing mandatory element (timeout)");

            ObjectNode l = a.call(req("set_log_level", "\"level\":5"));
            assertSuccess(l);
            assertEquals(5, l.path("level").asInt());
            assertEquals(java.util.logging.Level.FINE, java.util.logging.Logger.getLogger("org.janussfu").getLevel());
            assertEquals(5, a.call(req("get_status", null)).path("status").path("log_level").asInt());
            assertSuccess(a.call(req("set_log_level", "\"level\":4")));
            assertError(a.call(req("set_log_level", "\"level\":8")), 467,
                    "Invalid element type (level should be between 0 and 7)");
            assertError(a.call(req("set_log_level", "\"level\":\"4\"")), 467,
                    "Invalid element type (level should be an integer)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "ws"})
    void storedTokens(String transport) throws Exception {
        String token = "scoped-" + transport;
        try (AdminClient a = client(transport)) {
            assertError(a.call(req("add_token", "\"token\":\"" + token + "\",\"plugins\":[\"janus.plugin.nope\"]")), 467,
                    "Invalid element type (some of the provided plugins are invalid)");
            ObjectNode listed = a.call(req("list_tokens", null));
            for (JsonNode t : listed.path("data").path("tokens")) {
                assertFalse(t.path("token").asText().equals(token), "a refused token was stored: " + listed);
            }
            assertEquals(0, a.call(req("add_token", "\"token\":\"" + token + "\",\"plugins\":[]"))
                    .path("data").path("plugins").size() - 1); // no list = every plugin (the one)
            ObjectNode dis = a.call(req("disallow_token", "\"token\":\"" + token + "\",\"plugins\":[\"" + SFU + "\"]"));
            assertSuccess(dis);
            assertEquals(0, dis.path("data").path("plugins").size());
            boolean found = false;
            for (JsonNode t : a.call(req("list_tokens", null)).path("data").path("tokens")) {
                if (t.path("token").asText().equals(token)) {
                    found = true;
                    assertEquals(0, t.path("allowed_plugins").size());
                }
            }
            assertTrue(found);
            // The scope is enforced on attach: the token is valid but may not reach the plugin.
            try (WsClient janus = new WsClient(vertx, server.wsPort)) {
                ObjectNode c = janus.call("{\"janus\":\"create\",\"token\":\"" + token + "\"}");
                assertSuccess(c);
                long s = c.path("data").path("id").asLong();
                String attach = "{\"janus\":\"attach\",\"plugin\":\"" + SFU + "\",\"session_id\":" + s + ",\"token\":\"" + token + "\"}";
                assertError(janus.call(attach), 405, "Provided token can't access plugin '" + SFU + "'");
                ObjectNode allow = a.call(req("allow_token", "\"token\":\"" + token + "\",\"plugins\":[\"" + SFU + "\"]"));
                assertEquals(SFU, allow.path("data").path("plugins").get(0).asText(), allow.toString());
                assertSuccess(janus.call(attach));
            }
            assertError(a.call(req("allow_token", "\"token\":\"unknown\",\"plugins\":[\"" + SFU + "\"]")), 470,
                    "Token unknown not found");
            assertError(a.call(req("allow_token", "\"token\":\"" + token + "\",\"plugins\":[]")), 467,
                    "Invalid element type (plugins should be a non-empty array)");
            assertError(a.call(req("allow_token", "\"token\":\"" + token + "\"")), 456, "Missing mandatory element (plugins)");
            assertError(a.call(req("add_token", null)), 456, "Missing mandatory element (token)");
            assertSuccess(a.call(req("remove_token", "\"token\":\"" + token + "\"")));
            assertError(a.call(req("remove_token", "\"token\":\"" + token + "\"")), 490, "Error removing token");
            // A removed token no longer authorizes the Janus API.
            try (WsClient janus = new WsClient(vertx, server.wsPort)) {
                assertError(janus.call("{\"janus\":\"create\",\"token\":\"" + token + "\"}"), 403,
                        "Unauthorized request (wrong or missing secret/token)");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "ws"})
    void envelopeErrorsAndPaths(String transport) throws Exception {
        try (AdminClient a = client(transport)) {
            assertError(a.raw("{\"janus\":\"list_sessions\",\"admin_secret\":\"" + SECRET + "\"}"), 456,
                    "Missing mandatory element (transaction)");
            assertError(a.raw("{\"janus\":\"list_sessions\",\"transaction\":\"" + "x".repeat(300) + "\"}"), 467,
                    "Invalid element type (transaction should be a string of at most 256 bytes)");
            assertError(a.raw("{\"janus\":\"list_sessions\",\"transaction\":"), 454, null);
            assertError(a.raw("[1,2]"), 455, "JSON error: not an object");
            assertError(a.raw("[".repeat(100) + "]".repeat(100)), 454, null);
            assertError(a.call(WsClient.json("{\"transaction\":\"x\"}")), 456, "Missing mandatory element (janus)");
            assertError(a.call(WsClient.json("{\"janus\":1,\"transaction\":\"x\"}")), 467,
                    "Invalid element type (janus should be a string)");
            assertError(a.call(req("no_such_request", null)), 457, "Unhandled request 'no_such_request' at this path");
            assertError(a.call(req("list_handles", null)), 457, "Unhandled request 'list_handles' at this path");
            assertError(a.call(987654321L, 0, req("list_handles", null)), 458, "No such session 987654321");
            assertError(a.call(987654321L, 5, req("handle_info", null)), 458, "No such session 987654321");
        }
    }
}
