package org.janussfu.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.EchoPlugin;
import org.janussfu.testing.TestServer;
import org.janussfu.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Janus API request and error over a real WebSocket against a started server: envelopes, ack→event
 * order, ids, and the apierror codes with Janus' reason texts.
 */
@ExtendWith(VertxExtension.class)
class WebSocketProtocolTest {
    static final String SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\n"
            + "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
            + "a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n"
            + "a=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\n";
    static TestServer server;
    static EchoPlugin plugin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of(), v -> List.of(plugin = new EchoPlugin(v)));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static void assertError(ObjectNode reply, int code, String reason) {
        assertEquals("error", reply.path("janus").asText(), reply::toString);
        assertEquals(code, reply.path("error").path("code").asInt(), reply::toString);
        if (reason != null) {
            assertEquals(reason, reply.path("error").path("reason").asText(), reply::toString);
        }
    }

    @Test
    void subprotocolIsEchoed(Vertx vertx) throws Exception {
        try (WsClient c = new WsClient(vertx, server.wsPort)) {
            assertEquals("janus-protocol", c.socket().subProtocol());
        }
    }

    @Test
    void infoAndPing(Vertx vertx) throws Exception {
        try (WsClient c = new WsClient(vertx, server.wsPort)) {
            ObjectNode info = c.call("{\"janus\":\"info\",\"transaction\":\"i1\"}");
            assertEquals("server_info", info.path("janus").asText());
            assertEquals("i1", info.path("transaction").asText());
            assertTrue(info.path("plugins").has(EchoPlugin.NAME));
            assertTrue(info.path("transports").has("janus.transport.websockets"));
            assertTrue(info.path("transports").has("janus.transport.http"));
            ObjectNode pong = c.call("{\"janus\":\"ping\",\"transaction\":\"p1\"}");
            assertEquals("pong", pong.path("janus").asText());
            assertEquals("p1", pong.path("transaction").asText());
        }
    }

    @Test
    void createAttachMessageAckThenEvent(Vertx vertx) throws Exception {
        try (WsClient c = new WsClient(vertx, server.wsPort)) {
            ObjectNode created = c.call("{\"janus\":\"create\",\"transaction\":\"0\"}");
            assertEquals("success", created.path("janus").asText());
            assertFalse(created.has("session_id"), "create reply has no session_id");
            long s = created.path("data").path("id").asLong();
            assertTrue(s > 0 && s < (1L << 53));
            ObjectNode attached = c.call("{\"janus\":\"attach\",\"session_id\":" + s + ",\"plugin\":\"" + EchoPlugin.NAME
                    + "\",\"opaque_id\":\"o\",\"force-bundle\":true,\"force-rtcp-mux\":true,\"loop_index\":null}");
            assertEquals("success", attached.path("janus").asText());
            assertEquals(s, attached.path("session_id").asLong());
            long h = attached.path("data").path("id").asLong();
            assertTrue(h > 0 && h < (1L << 53));

            String tx = c.send(WsClient.json("{\"janus\":\"message\",\"session_id\":" + s + ",\"handle_id\":" + h
                    + ",\"body\":{\"x\":1},\"jsep\":{\"type\":\"offer\",\"sdp\":\"" + SDP.replace("\r\n", "\\r\\n") + "\"}}"));
            ObjectNode ack = c.await(m -> tx.equals(m.path("transaction").asText()));
            assertEquals("ack", ack.path("janus").asText());
            assertEquals("Processing.", ack.path("hint").asText());
            ObjectNode ev = c.await(m -> tx.equals(m.path("transaction").asText()));
            assertEquals("event", ev.path("janus").asText());
            assertEquals(s, ev.path("session_id").asLong());
            assertEquals(h, ev.path("sender").asLong());
            assertEquals(EchoPlugin.NAME, ev.path("plugindata").path("plugin").asText());
            assertEquals(1, ev.path("plugindata").path("data").path("echo").path("x").asInt());
            assertEquals("answer", ev.path("jsep").path("type").asText());
            String answer = ev.path("jsep").path("sdp").asText();
            // the core completed the plugin's SDP with its own ICE and DTLS parameters (sfu-protocol.md §7.5)
            assertTrue(answer.contains("a=ice-ufrag:") && !answer.contains("a=ice-ufrag:abcd"), answer);
            assertTrue(answer.contains("a=fingerprint:sha-256 ") && answer.contains("a=setup:active"), answer);
            assertTrue(answer.contains("a=candidate:") && answer.contains("a=end-of-candidates"), answer);
            c.assertNone(m -> tx.equals(m.path("transaction").asText()), 200);
        }
    }

    @Test
    void pushedEventsHaveNoTransaction(Vertx vertx) throws Exception {
        try (WsClient c = new WsClient(vertx, server.wsPort)) {
            long s = c.createSession();
            long h = c.attach(s, EchoPlugin.NAME);
            c.call("{\"janus\":\"message\",\"session_id\":" + s + ",\"handle_id\":" + h + ",\"body\":{\"cmd\":\"push\"}}");
            ObjectNode pushed = c.await(m -> m.path("plugindata").path("data").path("pushed").asBoolean());
            assertFalse(pushed.has("transaction"));
            assertEquals(h, pushed.path("sender").asLong());
        }
    }

    @Test
    void answerOnlyAfterAnOffer(Vertx vertx) throws Exception {
        try (WsClient c = new WsClient(vertx, server.wsPort)) {
            long s = c.createSession();
            long h = c.attach(s, EchoPlugin.NAME);
            String answer = ",\"jsep\":{\"type\":\"answer\",\"sdp\":\"" + SDP.replace("\r\n", "\\r\\n") + "\"}}";
            String prefix = "{\"janus\":\"message\",\"session_id\":" + s + ",\"handle_id\":" + h + ",\"body\":{}";
            assertError(c.call(prefix + answer), 469, "Unexpected ANSWER (did we offer?)");
            ObjectNode offered = c.call(prefix.replace("{}", "{\"cmd\":\"offer\"}") + "}");
            if ("ack".equals(offered.path("janus").asText())) {
                String t = offered.path("transaction").asText();
                offered = c.await(m -> t.equals(m.path("transaction").asText()));
            }
            assertEquals("offer", offered.path("jsep").path("type").asText());
            ObjectNode ack = c.call(prefix + answer);
            assertEquals("ack", ack.path("janus").asText());
        }
    }

    @Test
    void trickleForms(Vertx vertx) throws Exception {
        try (WsClient c = new WsClient(vertx, server.wsPort)) {
            long s = c.createSession();
            long h = c.attach(s, EchoPlugin.NAME);
            String p = "{\"janus\":\"trickle\",\"session_id\":" + s + ",\"handle_id\":" + h;
            String cand = "{\"candidate\":\"candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}";
            for (String body : List.of(",\"candidate\":" + cand + "}", ",\"candidates\":[" + cand + "," + cand + "]}",
                    ",\"candidate\":null}", ",\"candidate\":{\"completed\":true}}",
                    ",\"candidate\":{\"candidate\":\"\",\"sdpMid\":\"0\"}}")) {
                ObjectNode r = c.call(p + body);
                assertEquals("ack", r.path("janus").asText(), body);
                assertEquals(s, r.path("session_id").asLong());
            }
            assertError(c.call(p + "}"), 456, "Missing mandatory element (candidate)");
            assertError(c.call(p + ",\"candidate\":\"x\"}"), 467, "Invalid element type (candidate should be an object)");
        }
    }

    @Test
    void keepaliveDetachHangupDestroy(Vertx vertx) throws Exception {
        try (WsClient c = new WsClient(vertx, server.wsPort)) {
            long s = c.createSession();
            long h = c.attach(s, EchoPlugin.NAME);
            ObjectNode ka = c.call("{\"janus\":\"keepalive\",\"session_id\":" + s + "}");
            assertEquals("ack", ka.path("janus").asText());
            assertEquals(s, ka.path("session_id").asLong());
            ObjectNode hu = c.call("{\"janus\":\"hangup\",\"session_id\":" + s + ",\"handle_id\":" + h + "}");
            assertEquals("success", hu.path("janus").asText());
            ObjectNode d = c.call("{\"janus\":\"detach\",\"session_id\":" + s + ",\"handle_id\":" + h + "}");
            assertEquals("success", d.path("janus").asText());
            ObjectNode detached = c.await(m -> "detached".equals(m.path("janus").asText()));
            assertEquals(h, detached.path("sender").asLong());
            assertEquals(s, detached.path("session_id").asLong());
            assertTrue(plugin.destroyed.contains(h));
            assertError(c.call("{\"janus\":\"detach\",\"session_id\":" + s + ",\"handle_id\":" + h + "}"), 459,
                    "No such handle " + h + " in session " + s);
            long h2 = c.attach(s, EchoPlugin.NAME);
            ObjectNode destroyed = c.call("{\"janus\":\"destroy\",\"session_id\":" + s + "}");
            assertEquals("success", destroyed.path("janus").asText());
            assertTrue(plugin.destroyed.contains(h2), "destroy detaches the session's handles");
            assertError(c.call("{\"janus\":\"keepalive\",\"session_id\":" + s + "}"), 458, "No such session " + s);
        }
    }

    @Test
    void clientChosenSessionId(Vertx vertx) throws Exception {
        try (WsClient c = new WsClient(vertx, server.wsPort)) {
            long want = 4242424242L + (System.nanoTime() & 0xffff);
            ObjectNode r = c.call("{\"janus\":\"create\",\"id\":" + want + "}");
            assertEquals(want, r.path("data").path("id").asLong());
            assertError(c.call("{\"janus\":\"create\",\"id\":" + want + "}"), 468, "Session ID already in use");
            assertError(c.call("{\"janus\":\"create\",\"id\":\"abc\"}"), 467, "Invalid element type (id should be a positive integer)");
            assertError(c.call("{\"janus\":\"create\",\"id\":9007199254740993}"), 467, null);
        }
    }

    @Test
    void errorCodes(Vertx vertx) throws Exception {
        try (WsClient c = new WsClient(vertx, server.wsPort)) {
            long s = c.createSession();
            long h = c.attach(s, EchoPlugin.NAME);
            String sh = ",\"session_id\":" + s + ",\"handle_id\":" + h;
            assertError(c.call("{\"janus\":\"dance\"}"), 453, "Unknown request 'dance'");
            assertError(c.call("{\"transaction\":\"x\"}"), 456, "Missing mandatory element (janus)");
            assertError(c.call("{\"janus\":7}"), 467, "Invalid element type (janus should be a string)");
            c.sendRaw("{\"janus\":\"create\"}");
            assertError(c.await(m -> m.path("error").path("code").asInt() == 456 && !m.has("transaction")), 456,
                    "Missing mandatory element (transaction)");
            c.sendRaw("{\"janus\":\"create\",\"transaction\":5}");
            assertError(c.await(m -> m.path("error").path("code").asInt() == 467 && !m.has("transaction")), 467,
                    "Invalid element type (transaction should be a string)");
            c.sendRaw("{\"janus\":\"create\",");
            ObjectNode bad = c.await(m -> m.path("error").path("code").asInt() == 454);
            assertTrue(bad.path("error").path("reason").asText().startsWith("JSON error: on line 1:"), bad::toString);
            c.sendRaw("[1,2]");
            assertError(c.await(m -> m.path("error").path("code").asInt() == 455), 455, "JSON error: not an object");
            // 457: known requests at the wrong path
            assertError(c.call("{\"janus\":\"attach\",\"plugin\":\"x\"}"), 457, "Unhandled request 'attach' at this path");
            assertError(c.call("{\"janus\":\"message\",\"session_id\":" + s + ",\"body\":{}}"), 457,
                    "Unhandled request 'message' at this path");
            assertError(c.call("{\"janus\":\"create\",\"session_id\":" + s + "}"), 457, "Unhandled request 'create' at this path");
            assertError(c.call("{\"janus\":\"attach\"" + sh + ",\"plugin\":\"x\"}"), 457, "Unhandled request 'attach' at this path");
            // 458, 459, 460
            assertError(c.call("{\"janus\":\"keepalive\",\"session_id\":12345}"), 458, "No such session 12345");
            assertError(c.call("{\"janus\":\"keepalive\",\"session_id\":\"12345\"}"), 467,
                    "Invalid element type (session_id should be a positive integer)");
            assertError(c.call("{\"janus\":\"message\",\"session_id\":" + s + ",\"handle_id\":99,\"body\":{}}"), 459,
                    "No such handle 99 in session " + s);
            assertError(c.call("{\"janus\":\"attach\",\"session_id\":" + s + ",\"plugin\":\"janus.plugin.nope\"}"), 460,
                    "No such plugin 'janus.plugin.nope'");
            assertError(c.call("{\"janus\":\"attach\",\"session_id\":" + s + "}"), 456, "Missing mandatory element (plugin)");
            assertError(c.call("{\"janus\":\"attach\",\"session_id\":" + s + ",\"plugin\":\"" + EchoPlugin.NAME
                    + "\",\"opaque_id\":\"refuse\"}"), 461, "Couldn't attach to plugin: refused");
            // message validation: 456, 467, 464, 465
            String m = "{\"janus\":\"message\"" + sh;
            assertError(c.call(m + "}"), 456, "Missing mandatory element (body)");
            assertError(c.call(m + ",\"body\":[]}"), 467, "Invalid element type (body should be an object)");
            assertError(c.call(m + ",\"body\":{},\"jsep\":{\"sdp\":\"v=0\"}}"), 456, "Missing mandatory element (type)");
            assertError(c.call(m + ",\"body\":{},\"jsep\":{\"type\":\"pranswer\",\"sdp\":\"v=0\"}}"), 464,
                    "JSEP error: unknown message type 'pranswer'");
            assertError(c.call(m + ",\"body\":{},\"jsep\":{\"type\":\"offer\"}}"), 456, "Missing mandatory element (sdp)");
            assertError(c.call(m + ",\"body\":{},\"jsep\":{\"type\":\"offer\",\"sdp\":\"hello\"}}"), 465, "JSEP error: invalid SDP");
            assertError(c.call(m + ",\"body\":{},\"jsep\":\"x\"}"), 467, "Invalid element type (jsep should be an object)");
            // 490: a plugin bug does not leave the client hanging
            assertError(c.call("{\"janus\":\"attach\",\"session_id\":" + s + ",\"plugin\":\"" + EchoPlugin.NAME
                    + "\",\"opaque_id\":\"explode\"}"), 490, null);
            // a plugin whose future fails: ack, then one error on the same transaction
            String tx = c.send(WsClient.json(m + ",\"body\":{\"cmd\":\"fail\"}}"));
            assertEquals("ack", c.await(x -> tx.equals(x.path("transaction").asText())).path("janus").asText());
            assertError(c.await(x -> tx.equals(x.path("transaction").asText())), 462, "Plugin error: failed by plugin");
            String tx2 = c.send(WsClient.json(m + ",\"body\":{\"cmd\":\"throw\"}}"));
            assertEquals("ack", c.await(x -> tx2.equals(x.path("transaction").asText())).path("janus").asText());
            assertError(c.await(x -> tx2.equals(x.path("transaction").asText())), 462, null);
            // the connection and session survived all of it
            assertEquals("ack", c.call("{\"janus\":\"keepalive\",\"session_id\":" + s + "}").path("janus").asText());
        }
    }
}
