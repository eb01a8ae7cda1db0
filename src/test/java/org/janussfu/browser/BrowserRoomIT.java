package org.janussfu.browser;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three minijanus 0.6.2 peers in headless Chromium each publish fake audio and video and subscribe to the two
 * others, one subscriber handle per remote user as naf-janus-adapter does. getStats must show every subscription's
 * audio and video bytes and decoded frames growing; after one user blocks another, that pair's media stops in both
 * directions while the rest flows, and it resumes after the unblock.
 */
@ExtendWith(VertxExtension.class)
class BrowserRoomIT {
    static final List<String> IDS = List.of("alice", "bob", "carol");

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Number>> stats(Browser b) {
        return (Map<String, Map<String, Number>>) b.js("return window.roomStats().then(s => s);");
    }

    static long get(Map<String, Map<String, Number>> s, String pair, String field) {
        return s.get(pair).get(field).longValue();
    }

    /** Pairs whose audio bytes, video bytes and decoded frames all grew between the two snapshots. */
    static List<String> growing(Map<String, Map<String, Number>> a, Map<String, Map<String, Number>> b) {
        return a.keySet().stream().filter(p -> get(b, p, "audioBytes") > get(a, p, "audioBytes")
                && get(b, p, "videoBytes") > get(a, p, "videoBytes")
                && get(b, p, "framesDecoded") > get(a, p, "framesDecoded")).sorted().toList();
    }

    static List<String> frozen(Map<String, Map<String, Number>> a, Map<String, Map<String, Number>> b) {
        return a.keySet().stream().filter(p -> get(b, p, "audioBytes") == get(a, p, "audioBytes")
                && get(b, p, "videoBytes") == get(a, p, "videoBytes")).sorted().toList();
    }

    static List<String> waitForGrowth(Browser b, int expected, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        Map<String, Map<String, Number>> first = stats(b);
        while (true) {
            Thread.sleep(1500);
            Map<String, Map<String, Number>> now = stats(b);
            List<String> g = growing(first, now);
            if (g.size() >= expected || System.currentTimeMillis() > end) {
                return g;
            }
            first = now;
        }
    }

    @Test
    void threePeersSeeAndHearEachOtherAndBlocksCutBothWays(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of());
             Browser b = Browser.start(vertx, Map.of(
                     "/room.html", Path.of("src/test/resources/browser/room.html"),
                     "/minijanus.js", Browser.module("minijanus/bundle.js")))) {
            b.open("/room.html");
            b.js("window.startTest(arguments[0]);", Map.of("ws", "ws://127.0.0.1:" + s.wsPort + "/", "room", "r",
                    "ids", IDS));
            b.await("window.state.ready", 60_000);
            List<String> all = waitForGrowth(b, 6, 20_000);
            assertTrue(all.size() == 6, "every subscription's audio, video and decoded frames grow: " + all + " " + stats(b));

            b.js("return window.sfuMessage('alice', {kind: 'block', whom: 'bob'});");
            Thread.sleep(1500);
            Map<String, Map<String, Number>> before = stats(b);
            Thread.sleep(3000);
            Map<String, Map<String, Number>> after = stats(b);
            assertTrue(frozen(before, after).containsAll(List.of("alice<-bob", "bob<-alice")),
                    "blocked pair frozen both ways: " + frozen(before, after));
            assertTrue(growing(before, after).containsAll(List.of("alice<-carol", "carol<-alice", "bob<-carol", "carol<-bob")),
                    "the others keep flowing: " + growing(before, after));

            b.js("return window.sfuMessage('alice', {kind: 'unblock', whom: 'bob'});");
            List<String> resumed = waitForGrowth(b, 6, 20_000);
            assertTrue(resumed.containsAll(List.of("alice<-bob", "bob<-alice")), "resumed after unblock: " + resumed);
        }
    }
}
