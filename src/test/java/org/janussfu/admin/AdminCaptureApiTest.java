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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.janussfu.admin.AdminApiTest.assertError;
import static org.janussfu.admin.AdminApiTest.assertSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Admin API requests added for issue 14, over both admin transports (HTTP and WebSocket), against a server with
 * an admin secret and a capture directory: {@code set_no_media_timer} and {@code set_max_nack_queue} (403 without
 * the secret or with a wrong one, Janus' 456/467 texts, the value in force echoed and in {@code get_status}), the
 * four capture requests on a handle without media (403, 458/459 before any field check, 467 for bad field types,
 * 490 for a path outside {@code admin.pcap-dir}, {@code pcap already started}, {@code Capture not started}, the
 * file created with its pcap global header and listed by {@code handle_info}), and {@code handle_info}'s
 * {@code plugin_only}. Media captures are in {@code AdminCaptureIT}.
 */
class AdminCaptureApiTest {
    static final String SECRET = "cap-secret";
    static final Path DIR = Path.of("target/admin-captures-test").toAbsolutePath();
    static TestServer server;
    static Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.startProduction(Map.of("JANUS_SFU_ADMIN_SECRET", SECRET,
                "JANUS_SFU_ADMIN_PCAP_DIR", DIR.toString()));
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

    @ParameterizedTest
    @ValueSource(strings = {"http", "ws"})
    void noMediaTimerAndNackQueue(String transport) throws Exception {
        try (AdminClient a = client(transport)) {
            for (String r : new String[]{"set_no_media_timer", "set_max_nack_queue"}) {
                assertError(a.call(AdminClient.req(r, null, "\"no_media_timer\":2,\"max_nack_queue\":300")), 403,
                        AdminRequests.UNAUTHORIZED);
                assertError(a.call(AdminClient.req(r, "wrong", "\"no_media_timer\":2,\"max_nack_queue\":300")), 403,
                        AdminRequests.UNAUTHORIZED);
            }
            assertError(a.call(req("set_no_media_timer", null)), 456, "Missing mandatory element (no_media_timer)");
            assertError(a.call(req("set_no_media_timer", "\"no_media_timer\":\"2\"")), 467,
                    "Invalid element type (no_media_timer should be a positive integer)");
            assertError(a.call(req("set_no_media_timer", "\"no_media_timer\":-1")), 467,
                    "Invalid element type (no_media_timer should be a positive integer)");
            ObjectNode nmt = a.call(req("set_no_media_timer", "\"no_media_timer\":3"));
            assertSuccess(nmt);
            assertEquals(3, nmt.path("no_media_timer").asInt(), nmt.toString());
            assertFalse(nmt.has("session_id"), nmt.toString());
            assertEquals(3, a.call(req("get_status", null)).path("status").path("no_media_timer").asInt());
            assertEquals(0, a.call(req("set_no_media_timer", "\"no_media_timer\":0")).path("no_media_timer").asInt());
            assertSuccess(a.call(req("set_no_media_timer", "\"no_media_timer\":1")));

            assertError(a.call(req("set_max_nack_queue", null)), 456, "Missing mandatory element (max_nack_queue)");
            assertError(a.call(req("set_max_nack_queue", "\"max_nack_queue\":true")), 467,
                    "Invalid element type (max_nack_queue should be a positive integer)");
            assertError(a.call(req("set_max_nack_queue", "\"max_nack_queue\":100")), 467,
                    "Invalid element type (max_nack_queue, if provided, should be greater than 200)");
            ObjectNode mnq = a.call(req("set_max_nack_queue", "\"max_nack_queue\":300"));
            assertSuccess(mnq);
            assertEquals(300, mnq.path("max_nack_queue").asInt(), mnq.toString());
            assertEquals(300, a.call(req("get_status", null)).path("status").path("max_nack_queue").asInt());
            // Above Janus 1.1.2's ceiling: capped, and the reply says so.
            assertEquals(1000, a.call(req("set_max_nack_queue", "\"max_nack_queue\":5000")).path("max_nack_queue").asInt());
            assertEquals(0, a.call(req("set_max_nack_queue", "\"max_nack_queue\":0")).path("max_nack_queue").asInt());
            assertEquals(1000, a.call(req("set_max_nack_queue", "\"max_nack_queue\":1000")).path("max_nack_queue").asInt());
            assertEquals(1000, server.core().mediaSettings().nackQueueMillis());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "ws"})
    void capturesOnAHandle(String transport) throws Exception {
        try (AdminClient a = client(transport); WsClient ws = new WsClient(vertx, server.wsPort)) {
            long session = ws.call("{\"janus\":\"create\"}").path("data").path("id").asLong();
            long handle = ws.call("{\"janus\":\"attach\",\"plugin\":\"janus.plugin.sfu\",\"session_id\":" + session + "}")
                    .path("data").path("id").asLong();
            for (String r : new String[]{"start_pcap", "stop_pcap", "start_text2pcap", "stop_text2pcap"}) {
                assertError(a.call(session, handle, AdminClient.req(r, null, null)), 403, AdminRequests.UNAUTHORIZED);
                assertError(a.call(session, handle, AdminClient.req(r, "wrong", null)), 403, AdminRequests.UNAUTHORIZED);
                // The session and handle are looked up before the fields are read.
                assertError(a.call(session, handle + 1000, req(r, "\"folder\":1")), 459,
                        "No such handle " + (handle + 1000) + " in session " + session);
                assertError(a.call(session + 1000, handle, req(r, "\"folder\":1")), 458, "No such session " + (session + 1000));
                // Not a session request.
                assertError(a.call(session, 0, req(r, null)), 457, "Unhandled request '" + r + "' at this path");
            }
            assertError(a.call(session, handle, req("start_pcap", "\"folder\":1")), 467,
                    "Invalid element type (folder should be a string)");
            assertError(a.call(session, handle, req("start_pcap", "\"filename\":[]")), 467,
                    "Invalid element type (filename should be a string)");
            assertError(a.call(session, handle, req("start_text2pcap", "\"truncate\":-5")), 467,
                    "Invalid element type (truncate should be a positive integer)");
            // Outside the capture directory, however spelled: refused with Janus' text, nothing written.
            for (String bad : new String[]{"\"folder\":\"../escape\"", "\"folder\":\"/tmp\"", "\"filename\":\"../x.pcap\"",
                    "\"filename\":\"a/b.pcap\"", "\"folder\":\"" + DIR + "/../elsewhere\"", "\"filename\":\"..\""}) {
                assertError(a.call(session, handle, req("start_pcap", bad)), 490, "Error starting pcap dump");
                assertError(a.call(session, handle, req("start_text2pcap", bad)), 490, "Error starting text2pcap dump");
            }
            assertFalse(Files.exists(DIR.getParent().resolve("elsewhere")));
            assertError(a.call(session, handle, req("stop_pcap", null)), 490, "Capture not started");

            String name = "api-" + transport + ".pcap";
            Files.deleteIfExists(DIR.resolve("sub").resolve(name));
            ObjectNode started = a.call(session, handle, req("start_pcap", "\"folder\":\"sub\",\"filename\":\"" + name + "\""));
            assertSuccess(started);
            assertFalse(started.has("session_id"), started.toString());
            assertError(a.call(session, handle, req("start_pcap", null)), 490, "pcap already started");
            assertError(a.call(session, handle, req("start_text2pcap", null)), 490, "text2pcap already started");
            JsonNode info = a.call(session, handle, req("handle_info", null)).path("info");
            assertTrue(info.path("dump-to-pcap").asBoolean(), info.toString());
            assertEquals(DIR.resolve("sub").resolve(name).toString(), info.path("pcap-file").asText(), info.toString());
            // Janus' stop_text2pcap stops whichever capture runs.
            assertSuccess(a.call(session, handle, req("stop_text2pcap", null)));
            assertError(a.call(session, handle, req("stop_pcap", null)), 490, "Capture not started");
            assertFalse(a.call(session, handle, req("handle_info", null)).path("info").has("dump-to-pcap"));
            byte[] file = Files.readAllBytes(DIR.resolve("sub").resolve(name));
            assertEquals(24, file.length, "a pcap global header and no packet (no media)");
            ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(0xa1b2c3d4, b.getInt(0));
            assertEquals(2, b.getShort(4));
            assertEquals(4, b.getShort(6));
            assertEquals(65535, b.getInt(16));
            assertEquals(1, b.getInt(20), "link type Ethernet");
            // Appending to it again keeps one header (Janus appends); a text capture into a pcap file is fine too.
            assertSuccess(a.call(session, handle, req("start_pcap", "\"folder\":\"sub\",\"filename\":\"" + name + "\"")));
            assertSuccess(a.call(session, handle, req("stop_pcap", null)));
            assertEquals(24, Files.size(DIR.resolve("sub").resolve(name)));
            // A pcap capture refuses to append to a file that is not one.
            Files.writeString(DIR.resolve("not-pcap-" + transport + ".pcap"), "hello");
            assertError(a.call(session, handle, req("start_pcap", "\"filename\":\"not-pcap-" + transport + ".pcap\"")),
                    490, "Error starting pcap dump");
            // Without a filename: Janus' random name, inside the directory.
            assertSuccess(a.call(session, handle, req("start_text2pcap", "\"truncate\":64")));
            String random = a.call(session, handle, req("handle_info", null)).path("info").path("text2pcap-file").asText();
            assertTrue(random.startsWith(DIR + "/janus-text2pcap-") && random.endsWith(".txt"), random);
            // Detaching the handle stops its capture.
            ws.call("{\"janus\":\"detach\",\"session_id\":" + session + ",\"handle_id\":" + handle + "}");
            assertTrue(Files.exists(Path.of(random)));

            JsonNode po = a.call(session, 0, req("list_handles", null));
            assertEquals(0, po.path("handles").size(), po.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "ws"})
    void handleInfoPluginOnly(String transport) throws Exception {
        try (AdminClient a = client(transport); WsClient ws = new WsClient(vertx, server.wsPort)) {
            long session = ws.call("{\"janus\":\"create\"}").path("data").path("id").asLong();
            long handle = ws.call("{\"janus\":\"attach\",\"plugin\":\"janus.plugin.sfu\",\"session_id\":" + session + "}")
                    .path("data").path("id").asLong();
            JsonNode full = a.call(session, handle, req("handle_info", null)).path("info");
            assertTrue(full.has("flags") && full.has("sdps") && full.has("created"), full.toString());
            assertEquals(server.core().sessionTimeoutSeconds(), full.path("session_timeout").asInt());
            JsonNode only = a.call(session, handle, req("handle_info", "\"plugin_only\":true")).path("info");
            assertEquals("janus.plugin.sfu", only.path("plugin").asText(), only.toString());
            assertFalse(only.has("flags") || only.has("sdps") || only.has("webrtc"), only.toString());
            assertError(a.call(session, handle, req("handle_info", "\"plugin_only\":\"yes\"")), 467,
                    "Invalid element type (plugin_only should be a boolean)");
            assertError(a.call(session, handle + 7, req("handle_info", "\"plugin_only\":\"yes\"")), 459,
                    "No such handle " + (handle + 7) + " in session " + session);
        }
    }
}
