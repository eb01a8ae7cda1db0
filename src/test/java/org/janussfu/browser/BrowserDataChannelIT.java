package org.janussfu.browser;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Chromium's SCTP against the project's, through the server: each of two browser peers sends text and 100 KB binary
 * messages on its ordered "reliable" channel and small ones on its unordered, maxRetransmits-0 "unreliable" channel;
 * the server reassembles them from Chromium, relays them by label and fragments them again towards the other
 * Chromium peer, which receives them intact (size and checksum), in both directions.
 */
@ExtendWith(VertxExtension.class)
class BrowserDataChannelIT {

    @Test
    void orderedUnorderedAndLargeMessagesBothWays(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of());
             Browser b = Browser.start(vertx, Map.of(
                     "/room.html", Path.of("src/test/resources/browser/room.html"),
                     "/minijanus.js", Browser.module("minijanus/bundle.js")))) {
            b.open("/room.html");
            b.js("window.startTest(arguments[0]);", Map.of("ws", "ws://127.0.0.1:" + s.wsPort + "/", "room", "dc",
                    "ids", List.of("a", "b"), "media", false, "subscribe", false));
            b.await("window.state.ready", 60_000);
            for (String[] pair : new String[][]{{"a", "b"}, {"b", "a"}}) {
                String from = pair[0];
                String to = pair[1];
                long text = ((Number) b.js("return window.sendOn(arguments[0], 'reliable', false, 1000);", from)).longValue();
                long big = ((Number) b.js("return window.sendOn(arguments[0], 'reliable', true, 100000);", from)).longValue();
                long small = ((Number) b.js("return window.sendOn(arguments[0], 'unreliable', true, 200);", from)).longValue();
                b.await("window.receivedBy('" + to + "').length >= 3", 15_000);
                List<?> got = (List<?>) b.js("return window.receivedBy(arguments[0]).splice(0);", to);
                Map<?, ?> r0 = (Map<?, ?>) got.stream().filter(m -> ((Map<?, ?>) m).get("size").equals(1000L)).findFirst().orElseThrow();
                assertEquals("reliable", r0.get("label"));
                assertEquals(false, r0.get("binary"));
                assertEquals(text, ((Number) r0.get("sum")).longValue());
                Map<?, ?> r1 = (Map<?, ?>) got.stream().filter(m -> ((Map<?, ?>) m).get("size").equals(100000L)).findFirst().orElseThrow();
                assertEquals(big, ((Number) r1.get("sum")).longValue(), "100 KB arrives intact " + from + "→" + to);
                Map<?, ?> r2 = (Map<?, ?>) got.stream().filter(m -> ((Map<?, ?>) m).get("size").equals(200L)).findFirst().orElseThrow();
                assertEquals("unreliable", r2.get("label"));
                assertEquals(small, ((Number) r2.get("sum")).longValue());
            }
        }
    }
}
