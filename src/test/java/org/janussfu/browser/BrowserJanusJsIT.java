package org.janussfu.browser;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real janus.js (npm janus-gateway 1.4.2) in headless Chromium: it connects with its {@code apisecret} and
 * {@code token} options unchanged (Janus API auth, issue 14), publishes audio and video to janus.plugin.sfu, and an
 * ICE restart ({@code createOffer({iceRestart: true})}) keeps the handle and its media flowing (issue 12); so does
 * a subscriber's, asked for with {@code {"kind":"restart"}} and answered by janus.js like any server offer.
 */
@ExtendWith(VertxExtension.class)
class BrowserJanusJsIT {
    private static Map<String, Path> pages() {
        return Map.of("/janusjs.html", Path.of("src/test/resources/browser/janusjs.html"),
                "/janus.es.js", Browser.module("janus-gateway/npm/dist/janus.es.js"),
                "/adapter.js", Browser.module("webrtc-adapter/out/adapter.js"));
    }

    private static void publish(Browser b, Map<String, Object> params) throws InterruptedException {
        b.open("/janusjs.html");
        b.await("typeof window.startTest === 'function'", 10_000);
        b.js("window.startTest(arguments[0]);", params);
        b.await("window.state.steps.includes('webrtcup')", 30_000);
        b.await("window.state.steps.includes('joined')", 10_000);
    }

    private static long bytesSent(Browser b) throws InterruptedException {
        return polled(b, "pollBytes", "bytes");
    }

    /** Runs the page's {@code window.<poll>()} (getStats, asynchronous) and returns {@code window.state.<field>}. */
    private static long polled(Browser b, String poll, String field) throws InterruptedException {
        b.js("window.state." + field + " = undefined; window." + poll + "();");
        b.await("window.state." + field + " !== undefined", 5_000);
        return ((Number) b.js("return window.state." + field + ";")).longValue();
    }

    @Test
    void apiSecretAndIceRestartKeepMediaFlowing(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_GENERAL_API_SECRET", "s3cret"));
             Browser b = Browser.start(vertx, pages())) {
            publish(b, Map.of("server", "ws://127.0.0.1:" + s.wsPort + "/", "apisecret", "s3cret", "room", "r", "user", "u1"));
            String remoteUfrag = "return window.pub.webrtcStuff.pc.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1];";
            String ufragBefore = (String) b.js(remoteUfrag);
            long before = s.core().counters().rtpReceived.sum();
            b.js("window.iceRestart();");
            b.await("window.state.steps.filter(x => x === 'answer').length >= 2", 15_000);
            String ufrag = (String) b.js(remoteUfrag);
            assertNotEquals(ufragBefore, ufrag, "the server answered the restart with new ICE credentials");
            long afterRestartBytes = bytesSent(b);
            long end = System.currentTimeMillis() + 20_000;
            long grown = afterRestartBytes;
            while (grown - afterRestartBytes < 20_000 && System.currentTimeMillis() < end) {
                Thread.sleep(500);
                grown = bytesSent(b);
            }
            assertTrue(grown - afterRestartBytes >= 20_000, "getStats bytesSent grows after the restart: " + afterRestartBytes + " -> " + grown);
            end = System.currentTimeMillis() + 10_000;
            while (s.core().counters().rtpReceived.sum() < before + 200 && System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
            assertTrue(s.core().counters().rtpReceived.sum() >= before + 200, "the server keeps decrypting the publisher's RTP");
            assertTrue(b.js("return JSON.stringify(window.state.ice);").toString().contains("connected"));
        }
    }

    private static long bytesReceived(Browser b) throws InterruptedException {
        return polled(b, "pollReceived", "received");
    }

    @Test
    void subscriberIceRestartKeepsMediaFlowing(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of());
             Browser b = Browser.start(vertx, pages())) {
            publish(b, Map.of("server", "ws://127.0.0.1:" + s.wsPort + "/", "room", "r", "user", "u3"));
            b.js("window.subscribe(arguments[0]);", Map.of("room", "r", "user", "u3"));
            b.await("window.state.steps.includes('sub-webrtcup') || window.state.error", 30_000);
            assertTrue(b.js("return window.state.error;") == null, () -> "subscriber: " + b.js("return window.state.error;"));
            awaitReceivedGrowth(b, "before the restart");
            String ufragBefore = (String) b.js("return window.state.subOfferUfrag;");
            b.js("window.subRestart();");
            b.await("window.state.steps.filter(x => x === 'sub-answer').length >= 2 || window.state.error", 15_000);
            assertTrue(b.js("return window.state.error;") == null, () -> "restart: " + b.js("return window.state.error;"));
            String ufrag = (String) b.js("return window.state.subOfferUfrag;");
            assertNotEquals(ufragBefore, ufrag, "the restart offer carries new ICE credentials");
            // The new ICE session takes over once its checks succeed (the browser's selected pair belongs to the
            // ufrag of its new answer: the server's new agent answered them); media keeps flowing on the same
            // handle and SRTP.
            long end = System.currentTimeMillis() + 20_000;
            String selected = null;
            String local = null;
            while (System.currentTimeMillis() < end) {
                b.js("window.state.transportUfrag = undefined; window.pollTransportUfrag();");
                b.await("window.state.transportUfrag !== undefined", 5_000);
                selected = (String) b.js("return window.state.transportUfrag;");
                local = (String) b.js("return window.state.localUfrag;");
                if (local.equals(selected)) {
                    break;
                }
                Thread.sleep(300);
            }
            assertEquals(local, selected, "the selected pair is in the restarted ICE session");
            awaitReceivedGrowth(b, "after the restart");
            assertTrue(s.core().counters().handlesDetached.sum() == 0, "the subscriber handle was kept");
        }
    }

    private static void awaitReceivedGrowth(Browser b, String when) throws InterruptedException {
        long start = bytesReceived(b);
        long end = System.currentTimeMillis() + 20_000;
        long now = start;
        while (now - start < 20_000 && System.currentTimeMillis() < end) {
            Thread.sleep(500);
            now = bytesReceived(b);
        }
        assertTrue(now - start >= 20_000, "getStats bytesReceived grows " + when + ": " + start + " -> " + now);
    }

    @Test
    void signedTokenConnects(Vertx vertx) throws Exception {
        long expiry = System.currentTimeMillis() / 1000 + 600;
        String data = expiry + ",janus,janus.plugin.sfu";
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("k3y".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String token = data + ":" + Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_GENERAL_TOKEN_AUTH", "true",
                "JANUS_SFU_GENERAL_TOKEN_AUTH_SECRET", "k3y"));
             Browser b = Browser.start(vertx, pages())) {
            publish(b, Map.of("server", "ws://127.0.0.1:" + s.wsPort + "/", "token", token, "room", "r", "user", "u2"));
            assertTrue(s.core().counters().unauthorized.sum() == 0);
        }
    }
}
