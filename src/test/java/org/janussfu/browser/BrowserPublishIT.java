package org.janussfu.browser;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Headless Chromium publishes fake audio and video through the real minijanus 0.6.2 to janus.plugin.sfu: the
 * browser gets {@code webrtcup}, joins, and the server receives and decrypts its audio and video ({@code media}
 * events in the page, server counters).
 */
@ExtendWith(VertxExtension.class)
class BrowserPublishIT {

    @Test
    void chromiumPublishesAudioAndVideo(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of());
             Browser b = Browser.start(vertx, Map.of(
                     "/publish.html", Path.of("src/test/resources/browser/publish.html"),
                     "/minijanus.js", Browser.module("minijanus/bundle.js")))) {
            b.open("/publish.html");
            b.js("window.startTest(arguments[0]);", Map.of("ws", "ws://127.0.0.1:" + s.wsPort + "/", "room", "r1", "user", "u1"));
            b.await("window.state.steps.includes('webrtcup')", 30_000);
            b.await("window.state.steps.includes('joined')", 10_000);
            assertEquals(Boolean.TRUE, b.js("return window.state.join.success;"));
            b.await("window.state.events.some(e => e.janus === 'media' && e.type === 'audio' && e.receiving)", 15_000);
            b.await("window.state.events.some(e => e.janus === 'media' && e.type === 'video' && e.receiving)", 15_000);
            long end = System.currentTimeMillis() + 10_000;
            while (s.core().counters().rtpReceived.sum() <= 50 && System.currentTimeMillis() < end) {
                Thread.sleep(50);
            }
            long rtp = s.core().counters().rtpReceived.sum();
            assertTrue(rtp > 50, "server keeps decrypting the browser's RTP: " + rtp);
        }
    }
}
