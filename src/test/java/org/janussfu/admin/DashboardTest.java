package org.janussfu.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live dashboard's server side: its three files are served from the jar on the admin HTTP listener with a strict
 * Content-Security-Policy, and the {@code dashboard} admin request — over HTTP and WebSocket — needs the admin secret
 * (403 and Janus' text without it), answers rooms and every handle's {@code handle_info} (without {@code sdps}), and
 * describes at most {@code admin.dashboard-max-handles} handles, saying {@code truncated} when it left some out.
 */
class DashboardTest {
    static final String SECRET = "dash";

    @Test
    void pageFilesAreServedWithAStrictPolicy() throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_ADMIN_SECRET", SECRET))) {
            AdminClient.Http http = (AdminClient.Http) AdminClient.http(s.adminHttpPort());
            HttpResponse<String> page = http.get("/admin/dashboard");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("script-src 'self'") && csp.contains("connect-src 'self'")
                    && csp.contains("frame-ancestors 'none'"), csp);
            assertTrue(page.body().contains("src=\"dashboard.js\"") && !page.body().contains("http"), page.body());
            HttpResponse<String> js = http.get("/admin/dashboard.js");
            assertEquals(200, js.statusCode());
            assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
            assertTrue(js.body().contains("\"dashboard\""));
            assertFalse(js.body().contains("innerHTML"), "client strings are put in as text only");
            assertEquals(200, http.get("/admin/dashboard.css").statusCode());
            assertTrue(http.get("/dashboard.js").statusCode() >= 400, "only the three files are served");
        }
    }

    @Test
    void dashboardRequestNeedsTheSecretAndDescribesRoomsAndHandles() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_ADMIN_SECRET", SECRET));
             SfuUser alice = new SfuUser(vertx, s.wsPort, "alice");
             SfuUser bob = new SfuUser(vertx, s.wsPort, "bob")) {
            assertTrue(alice.joinAsPublisher("lobby", null).path("success").asBoolean());
            assertTrue(bob.joinAsPublisher("lobby", null).path("success").asBoolean());
            for (AdminClient c : List.of(AdminClient.http(s.adminHttpPort()), AdminClient.ws(vertx, s.adminWsPort()))) {
                try (c) {
                    for (String wrong : new String[]{null, "nope"}) {
                        ObjectNode refused = c.call(AdminClient.req("dashboard", wrong, null));
                        assertEquals(403, refused.path("error").path("code").asInt(), c.name() + " " + refused);
                        assertEquals(AdminRequests.UNAUTHORIZED, refused.path("error").path("reason").asText());
                    }
                    ObjectNode reply = c.call(AdminClient.req("dashboard", SECRET, null));
                    assertEquals("success", reply.path("janus").asText(), reply.toString());
                    JsonNode d = reply.path("dashboard");
                    assertEquals(2, d.path("sessions").asInt(), d.toString());
                    assertEquals(2, d.path("handles").asInt(), d.toString());
                    assertFalse(d.path("truncated").asBoolean());
                    assertEquals("lobby", d.path("rooms").path(0).path("room_id").asText(), d.toString());
                    assertEquals(2, d.path("rooms").path(0).path("users").asInt());
                    List<String> users = new ArrayList<>();
                    for (JsonNode info : d.path("handle_info")) {
                        assertEquals("janus.plugin.sfu", info.path("plugin").asText());
                        assertTrue(info.path("current_time").asLong() > 0);
                        assertTrue(info.path("flags").isObject());
                        assertTrue(info.path("sdps").isMissingNode(), "no sdps in the dashboard: " + info);
                        users.add(info.path("plugin_specific").path("user_id").asText());
                    }
                    assertEquals(List.of("alice", "bob"), users.stream().sorted().toList());
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void budgetOutOfRangeIsAConfigurationError() {
        for (String bad : new String[]{"0", "100001", "many"}) {
            org.junit.jupiter.api.Assertions.assertThrows(org.janussfu.ConfigException.class, () ->
                    org.janussfu.ServerConfig.from(org.janussfu.ConfigLoader.merge(null,
                            Map.of("JANUS_SFU_ADMIN_DASHBOARD_MAX_HANDLES", bad))), bad);
        }
    }

    @Test
    void atMostTheBudgetOfHandlesIsDescribed() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_ADMIN_DASHBOARD_MAX_HANDLES", "2"));
             SfuUser alice = new SfuUser(vertx, s.wsPort, "alice");
             SfuUser bob = new SfuUser(vertx, s.wsPort, "bob");
             AdminClient c = AdminClient.http(s.adminHttpPort())) {
            bob.attach();
            ObjectNode reply = c.call(AdminClient.req("dashboard", null, null));
            JsonNode d = reply.path("dashboard");
            assertEquals(3, d.path("handles").asInt(), d.toString());
            assertEquals(2, d.path("handle_info").size(), d.toString());
            assertEquals(2, d.path("max_handles").asInt());
            assertTrue(d.path("truncated").asBoolean(), d.toString());
            // Lowest ids first.
            assertEquals(Math.min(alice.session, bob.session), d.path("handle_info").path(0).path("session_id").asLong());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
