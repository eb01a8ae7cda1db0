package org.janussfu.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebRTC implementation that is not a browser and not ours, in the client role (issue 12): Debian's aiortc
 * (python3-aiortc — aioice, OpenSSL DTLS, libsrtp, its own SCTP) runs {@code aiortc/sfu_client.py} against a real
 * server over the Janus HTTP API. Its publisher offers audio and a data channel (aiortc controlling), then eight
 * fresh subscriber PeerConnections take the server's offer (the server controlling): each must connect on its
 * first attempt, whatever the two random tie-breakers, and receive audio. Runs on the JUnit thread; the client
 * process is bounded to 240 s and uses 127.0.0.1 only.
 */
class AiortcIT {
    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void aiortcPublishesAndSubscribesOnTheFirstAttempt() throws Exception {
        assertTrue(new File(PYTHON).canExecute(), "needs Debian's python3 with python3-aiortc (.ci/run installs it)");
        Path script = Path.of(AiortcIT.class.getResource("/aiortc/sfu_client.py").toURI());
        try (TestServer server = TestServer.startProduction(Map.of())) {
            Process p = new ProcessBuilder(PYTHON, script.toString(),
                    "--url", "http://127.0.0.1:" + server.httpPort + "/janus", "--subscriptions", "8")
                    .redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            boolean ended = p.waitFor(260, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            System.out.println("aiortc: " + out);
            assertTrue(ended, "the aiortc client ended within its bound");
            String last = out.substring(out.lastIndexOf('\n') + 1);
            JsonNode r = new ObjectMapper().readTree(last);
            assertEquals("open", r.path("publisher").path("datachannel").asText(),
                    "aiortc's data channel opened over our SCTP: " + r.path("publisher"));
            assertEquals(8, r.path("subscriptions").size(), last);
            for (JsonNode s : r.path("subscriptions")) {
                assertEquals("completed", s.path("ice").asText(), "a subscription connected first time: " + s);
                assertTrue(s.path("frames").asInt() >= 50, "audio received: " + s);
                assertTrue(s.path("aiortc_controlled").asBoolean(), "the server offered, so it controls: " + s);
            }
            assertEquals(0, p.exitValue(), last);
        }
    }
}
