package org.janussfu.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A third-party Admin API client: Meetecho's janode 1.8.0 (npm, pinned in {@code src/test/janode/package-lock.json},
 * installed into {@code target/janode} with {@code npm ci --ignore-scripts}; its native unix-dgram dependency, used
 * only by janode's Unix-socket transport, is overridden by a stub) connects to the admin WebSocket
 * ({@code janus-admin-protocol}), is refused with a wrong {@code admin_secret}, then lists the sessions, the handles
 * of each and reads {@code handle_info} of every handle of two room users; its {@code startPcap} into the server's
 * capture directory and {@code stopPcap} succeed (the pcap file exists), one into {@code /tmp} (outside
 * {@code admin.pcap-dir}) reaches janode as Janus' 490 error, and the connection survives 16 s idle on janode's WebSocket ping keepalive.
 * Skipped when node or npm is missing.
 * Runs on the JUnit thread; the node process is bounded by a timeout.
 */
class JanodeAdminIT {
    static final String SECRET = "janode-secret";
    static final Path DIR = Path.of("target/janode");

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    static synchronized void install() throws IOException, InterruptedException {
        if (Files.isDirectory(DIR.resolve("node_modules/janode"))) {
            return;
        }
        Files.createDirectories(DIR);
        Files.createDirectories(DIR.resolve("unix-dgram-stub"));
        for (String f : List.of("package.json", "package-lock.json", "admin-client.mjs", "unix-dgram-stub/package.json",
                "unix-dgram-stub/index.js")) {
            Files.copy(Path.of("src/test/janode", f), DIR.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        // janode imports the native addon unix-dgram at load time (for its Unix-socket transport); package.json
        // overrides it with a local stub, and --ignore-scripts keeps npm from trying any native build.
        Process p = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                .directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(DIR.resolve("npm.log").toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("npm ci failed; see " + DIR.resolve("npm.log"));
        }
    }

    static final Path CAPTURES = DIR.resolve("captures").toAbsolutePath();

    static String run(int wsPort) throws IOException, InterruptedException {
        Files.copy(Path.of("src/test/janode/admin-client.mjs"), DIR.resolve("admin-client.mjs"), StandardCopyOption.REPLACE_EXISTING);
        Path out = DIR.resolve("admin-client.log");
        Process p = new ProcessBuilder("node", "admin-client.mjs", "ws://127.0.0.1:" + wsPort + "/", SECRET, CAPTURES.toString(),
                "--janode-log=warn")
                .directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("janode did not finish in 90 s: " + Files.readString(out, StandardCharsets.UTF_8));
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text;
    }

    @Test
    void janodeListsSessionsAndReadsHandleInfo() throws Exception {
        Assumptions.assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed");
        install();
        Vertx vertx = Vertx.vertx();
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_ADMIN_SECRET", SECRET,
                     "JANUS_SFU_ADMIN_PCAP_DIR", CAPTURES.toString()));
             SfuUser alice = new SfuUser(vertx, s.wsPort, "alice");
             SfuUser bob = new SfuUser(vertx, s.wsPort, "bob")) {
            assertTrue(alice.joinAsPublisher("janode-room", null).path("success").asBoolean());
            assertTrue(bob.joinAsPublisher("janode-room", null).path("success").asBoolean());
            long bobSub = bob.attach();

            String output = run(s.adminWsPort());
            String line = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no RESULT line: " + output));
            JsonNode r = AdminClient.MAPPER.readTree(line.substring("RESULT ".length()));

            assertEquals("403 " + AdminRequests.UNAUTHORIZED, r.path("wrongSecret").asText(), output);
            assertEquals("server_info", r.path("info").path("janus").asText(), output);
            List<Long> sessions = new ArrayList<>();
            r.path("sessions").forEach(n -> sessions.add(n.asLong()));
            assertEquals(List.of(alice.session, bob.session).stream().sorted().toList(), sessions, output);
            List<Long> bobHandles = new ArrayList<>();
            r.path("handles").path(Long.toString(bob.session)).forEach(n -> bobHandles.add(n.asLong()));
            assertEquals(List.of(bob.publisher, bobSub).stream().sorted().toList(), bobHandles, output);
            assertEquals(3, r.path("infos").size(), output);
            List<String> users = new ArrayList<>();
            for (JsonNode i : r.path("infos")) {
                assertEquals("janus.plugin.sfu", i.path("plugin").asText(), output);
                assertTrue(i.path("has_flags").asBoolean(), output);
                if (i.path("handle_id").asLong() == alice.publisher || i.path("handle_id").asLong() == bob.publisher) {
                    assertEquals("janode-room", i.path("room_id").asText(), output);
                    users.add(i.path("user_id").asText());
                }
            }
            assertEquals(List.of("alice", "bob"), users.stream().sorted().toList(), output);
            assertEquals("accepted", r.path("pcap").asText(), output);
            assertEquals("accepted", r.path("pcapStop").asText(), output);
            assertTrue(Files.size(CAPTURES.resolve("janode.pcap")) >= 24, "the pcap file with its header");
            assertEquals("490 Error starting pcap dump", r.path("pcapOutside").asText(), output);
            // The admin WebSocket answers janode's ping keepalive: still usable after 16 s idle.
            List<Long> later = new ArrayList<>();
            r.path("afterIdle").forEach(n -> later.add(n.asLong()));
            assertEquals(sessions, later, output);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
