package org.janussfu.browser;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live dashboard in headless Chromium: two minijanus 0.6.2 peers (alice and bob, each publishing fake audio and
 * video and subscribing to the other, as in {@link BrowserRoomIT}) run in one tab; a second tab opens
 * {@code GET /admin/dashboard} on the admin listener of a server with an admin secret. The page asks for the secret,
 * then shows both users in their room with non-zero bitrates on both subscriptions; a screenshot is kept at
 * {@code target/dashboard/dashboard.png}.
 */
@ExtendWith(VertxExtension.class)
class BrowserDashboardIT {
    static final String SECRET = "dashboard-secret";
    static final Path SCREENSHOT = Path.of("target/dashboard/dashboard.png");

    @Test
    void dashboardShowsTwoPublishingUsersWithBitrates(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of("JANUS_SFU_ADMIN_SECRET", SECRET));
             Browser b = Browser.start(vertx, Map.of(
                     "/room.html", Path.of("src/test/resources/browser/room.html"),
                     "/minijanus.js", Browser.module("minijanus/bundle.js")))) {
            b.open("/room.html");
            b.js("window.startTest(arguments[0]);", Map.of("ws", "ws://127.0.0.1:" + s.wsPort + "/", "room", "demo-room",
                    "ids", List.of("alice", "bob")));
            b.await("window.state.ready", 60_000);

            b.openTab("http://127.0.0.1:" + s.adminHttpPort() + "/admin/dashboard");
            b.windowSize(1400, 900);
            // Without the secret the page gets 403 and asks for it.
            b.await("!document.getElementById('login').hidden", 15_000);
            b.js("document.getElementById('secret').value = arguments[0];"
                    + "document.getElementById('login-button').click();", SECRET);
            String bothFlowing = "['alice','bob'].every(u => { const row = document.querySelector('tr[data-user=\"' + u + '\"]');"
                    + " return row && [...row.querySelectorAll('[data-kbps]')].some(e => parseFloat(e.dataset.kbps) > 0)"
                    + " && [...row.querySelectorAll('[data-forwarded-kbps]')].some(e => parseFloat(e.dataset.forwardedKbps) > 0); })";
            b.await(bothFlowing, 30_000);
            // Some history for the plots, then the picture.
            Thread.sleep(20_000);
            b.await(bothFlowing, 15_000);
            b.screenshot(SCREENSHOT);
            assertTrue(Files.size(SCREENSHOT) > 10_000, "screenshot written");

            assertEquals("demo-room", b.js("return document.querySelector('[data-room]').textContent;"));
            @SuppressWarnings("unchecked")
            List<String> users = (List<String>) b.js("return [...document.querySelectorAll('tr[data-user]')].map(r => r.dataset.user);");
            assertEquals(List.of("alice", "bob"), users);
            String text = (String) b.js("return document.body.innerText;");
            assertTrue(text.contains("← bob") && text.contains("← alice"), text);
            assertTrue(text.contains("kbit/s"), text);
            assertTrue(b.js("return document.getElementById('login').hidden;").equals(Boolean.TRUE), "secret form gone");
            // The page re-renders on every stats refresh, which a loaded box delays: the pills and the total are read
            // once a refresh shows them (each one fails the test if no refresh does within the wait).
            b.await("document.querySelectorAll('tr[data-user] .pill.good').length == 4", 15_000);
            Number up = (Number) b.js("return document.querySelectorAll('tr[data-user] .pill.good').length;");
            assertEquals(4, up.intValue(), "two publishers and two subscriptions up");
            b.await("parseFloat(document.querySelector('[data-total-kbps]').dataset.totalKbps) > 0", 15_000);
            Number total = (Number) b.js("return parseFloat(document.querySelector('[data-total-kbps]').dataset.totalKbps);");
            assertTrue(total.doubleValue() > 0, "server-wide bitrate " + total);
        }
    }
}
