package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.janussfu.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Janus API auth as the seed's "auth" page specifies: API secret, stored tokens, HMAC-SHA1 signed tokens. */
@ExtendWith(VertxExtension.class)
class ApiAuthTest {

    /** A signed token made the way the seed's node.js example makes one. */
    static String sign(String secret, long expiry, String... plugins) throws Exception {
        StringBuilder data = new StringBuilder().append(expiry).append(",janus");
        for (String p : plugins) {
            data.append(',').append(p);
        }
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return data + ":" + Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertError(ObjectNode reply, int code, String reason) {
        assertEquals("error", reply.path("janus").asText(), reply::toString);
        assertEquals(code, reply.path("error").path("code").asInt(), reply::toString);
        assertEquals(reason, reply.path("error").path("reason").asText(), reply::toString);
    }

    @Test
    void signedTokensCheckExpiryRealmSignatureAndPlugins() throws Exception {
        ApiAuth auth = new ApiAuth("", true, "s3cret");
        long now = System.currentTimeMillis() / 1000;
        String good = sign("s3cret", now + 60, "janus.plugin.sfu");
        assertTrue(auth.authorizes(null, good));
        assertTrue(auth.mayAttach(null, good, "janus.plugin.sfu"));
        assertFalse(auth.mayAttach(null, good, "janus.plugin.echotest"));
        assertFalse(auth.authorizes(null, sign("s3cret", now - 1, "janus.plugin.sfu")), "expired");
        assertFalse(auth.authorizes(null, sign("other", now + 60)), "wrong key");
        assertFalse(auth.authorizes(null, good.replace(",janus,", ",jaNus,")), "wrong realm");
        assertFalse(auth.authorizes(null, good.replace("janus.plugin.sfu", "janus.plugin.sfx")), "data changed");
        assertFalse(auth.authorizes(null, "garbage"));
        assertFalse(auth.authorizes(null, "1,janus:%%%"));
        assertNull(auth.signedFields(":", now));
        assertFalse(auth.authorizes(null, null));
    }

    @Test
    void storedTokensAndTheSecretEitherAuthorize() {
        ApiAuth auth = new ApiAuth("pw", true, "");
        assertTrue(auth.authorizes("pw", null));
        assertFalse(auth.authorizes("PW", null));
        assertFalse(auth.authorizes(null, "t1"));
        auth.addToken("t1", Set.of("janus.plugin.sfu"));
        assertTrue(auth.authorizes(null, "t1"));
        assertTrue(auth.mayAttach(null, "t1", "janus.plugin.sfu"));
        assertTrue(auth.disallowToken("t1", Set.of("janus.plugin.sfu")));
        assertFalse(auth.mayAttach(null, "t1", "janus.plugin.sfu"), "a token with no plugin left reaches none");
        assertTrue(auth.allowToken("t1", Set.of("janus.plugin.sfu")));
        assertTrue(auth.mayAttach(null, "t1", "janus.plugin.sfu"));
        assertTrue(auth.mayAttach("pw", null, "anything"), "the secret may attach to anything");
        assertEquals(List.of("t1"), List.copyOf(auth.tokens().keySet()));
        assertTrue(auth.removeToken("t1"));
        assertFalse(auth.authorizes(null, "t1"));
        assertFalse(auth.allowToken("t1", Set.of()));
        assertTrue(ApiAuth.open().authorizes(null, null));
    }

    @Test
    void apiSecretOverTheWebSocket(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_GENERAL_API_SECRET", "pw"));
             WsClient c = new WsClient(vertx, s.wsPort)) {
            ObjectNode info = c.call("{\"janus\":\"info\"}");
            assertTrue(info.path("api_secret").asBoolean(), "info needs no secret and reports it");
            assertFalse(info.path("auth_token").asBoolean());
            assertEquals("pong", c.call("{\"janus\":\"ping\"}").path("janus").asText());
            assertError(c.call("{\"janus\":\"create\"}"), 403, "Unauthorized request (wrong or missing secret/token)");
            assertError(c.call("{\"janus\":\"create\",\"apisecret\":\"nope\"}"), 403,
                    "Unauthorized request (wrong or missing secret/token)");
            ObjectNode created = c.call("{\"janus\":\"create\",\"apisecret\":\"pw\"}");
            assertEquals("success", created.path("janus").asText(), created::toString);
            long session = created.path("data").path("id").asLong();
            assertError(c.call("{\"janus\":\"keepalive\",\"session_id\":" + session + "}"), 403,
                    "Unauthorized request (wrong or missing secret/token)");
            assertEquals("ack", c.call("{\"janus\":\"keepalive\",\"apisecret\":\"pw\",\"session_id\":" + session + "}")
                    .path("janus").asText());
        }
    }

    @Test
    void tokensOverTheWebSocketWithPluginScope(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_GENERAL_TOKEN_AUTH", "true",
                "JANUS_SFU_GENERAL_TOKEN_AUTH_SECRET", "k"));
             WsClient c = new WsClient(vertx, s.wsPort)) {
            assertTrue(c.call("{\"janus\":\"info\"}").path("auth_token").asBoolean());
            long exp = System.currentTimeMillis() / 1000 + 300;
            String sfu = sign("k", exp, SfuUser.PLUGIN);
            String other = sign("k", exp, "janus.plugin.echotest");
            assertError(c.call("{\"janus\":\"create\"}"), 403, "Unauthorized request (wrong or missing secret/token)");
            long session = c.call("{\"janus\":\"create\",\"token\":\"" + other + "\"}").path("data").path("id").asLong();
            assertError(c.call("{\"janus\":\"attach\",\"session_id\":" + session + ",\"plugin\":\"janus.plugin.sfu\",\"token\":\""
                    + other + "\"}"), 405, "Provided token can't access plugin 'janus.plugin.sfu'");
            ObjectNode attached = c.call("{\"janus\":\"attach\",\"session_id\":" + session
                    + ",\"plugin\":\"janus.plugin.sfu\",\"token\":\"" + sfu + "\"}");
            assertEquals("success", attached.path("janus").asText(), attached::toString);
            assertTrue(s.core().counters().unauthorized.sum() >= 2);
        }
    }

    @Test
    void longPollsCarryTheSecretAsAQueryParameter() throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_GENERAL_API_SECRET", "pw",
                "JANUS_SFU_TRANSPORT_HTTP_LONG_POLL_TIMEOUT", "1"))) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + s.httpPort + "/janus";
            java.net.http.HttpResponse<String> created = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"janus\":\"create\",\"transaction\":\"x\",\"apisecret\":\"pw\"}"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            long id = WsClient.json(created.body()).path("data").path("id").asLong();
            assertTrue(id > 0, created.body());
            ObjectNode refused = WsClient.json(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/" + id))
                    .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            assertError(refused, 403, "Unauthorized request (wrong or missing secret/token)");
            ObjectNode polled = WsClient.json(http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/" + id + "?apisecret=pw")).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("keepalive", polled.path("janus").asText(), polled::toString);
        }
    }
}
