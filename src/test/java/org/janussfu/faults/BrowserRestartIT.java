package org.janussfu.faults;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.browser.Browser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server restart under real naf-janus-adapter 4.0.1 clients in headless Chromium: two adapters in a room with
 * media and data up, the server process is killed (SIGKILL: the TCP connections die without a close frame, as in
 * a crash or a node loss) and started again on the same ports; each adapter must come back through its own
 * reconnect path (WebSocket close other than 1000 → {@code reconnect()}: dispose, connect, new session, join) —
 * the test only watches, it never calls connect — see the other as an occupant again, receive its media, and
 * exchange reliable data. The same after SIGTERM (a graceful stop, as in a rolling restart): the server's close
 * frames must say 1001 "going away", not 1000 "normal closure" (after which the adapter gives up). The two
 * adapters come back seconds apart (reconnect delays of 50 ms and 8 s), so one is in the new server's room long
 * before the other rejoins — the order in which a CI failure showed that {@code naf.html} requested stale occupants
 * (see its presence comment). Skips without Chromium.
 */
@ExtendWith(VertxExtension.class)
class BrowserRestartIT {
    static final List<String> IDS = List.of("101", "202");

    @Test
    void nafAdaptersReconnectAndRejoinAfterTheServerIsKilled(Vertx vertx) throws Exception {
        restartUnderAdapters(vertx, "SIGKILL");
    }

    @Test
    void nafAdaptersReconnectAndRejoinAfterAGracefulRestart(Vertx vertx) throws Exception {
        restartUnderAdapters(vertx, "SIGTERM");
    }

    static void restartUnderAdapters(Vertx vertx, String how) throws Exception {
        try (ServerProcess sp = new ServerProcess(Map.of("JANUS_SFU_LOG_LEVEL", "FINE"));
             Browser b = Browser.start(vertx, Map.of(
                     "/naf.html", Path.of("src/test/resources/browser/naf.html"),
                     "/naf-janus-adapter.js", Browser.module("naf-janus-adapter/dist/naf-janus-adapter.js")))) {
            sp.start();
            b.open("/naf.html");
            b.js("window.startTest(arguments[0]);", Map.of("ws", "ws://127.0.0.1:" + sp.wsPort + "/", "room", "naf",
                    "ids", IDS));
            for (String id : IDS) {
                b.await("window.state.clients['" + id + "'] && window.state.clients['" + id + "'].connected", 60_000);
            }
            // Count the adapter's own reconnect callbacks; a reconnection error is a failure.
            b.js("for (const [id, a] of Object.entries(window.adapters)) { const st = window.state.clients[id];"
                    + " st.reconnecting = 0; st.reconnected = 0;"
                    + " a.setReconnectionListeners(() => st.reconnecting++, () => st.reconnected++,"
                    + " e => { window.state.error = 'reconnect gave up: ' + e; }); }"
                    // One adapter comes back well before the other (the adapter's own delay is random, < 1 s), so
                    // the first is in the new server's room before the second rejoins.
                    + "window.adapters['101'].reconnectionDelay = 8000; window.adapters['202'].reconnectionDelay = 50;");
            roomWorks(b, "before");
            int status = how.equals("SIGKILL") ? sp.kill() : sp.stop();
            long t0 = System.nanoTime();
            long started = sp.start();
            b.await(IDS.stream().map(id -> "window.state.clients['" + id + "'].reconnected >= 1")
                    .reduce((x, y) -> x + " && " + y).orElseThrow(), 90_000);
            long back = (System.nanoTime() - t0) / 1_000_000;
            try {
                roomWorks(b, how);
            } catch (AssertionError e) {
                // What the server saw after the restart: its ICE, DTLS, session and handle events.
                throw new AssertionError(e.getMessage() + "\nserver after the restart:\n" + sp.logLines(
                        "ICE|ice |dtls|consent|session|handle|joined|left|hangup|own UDP|WARNING|SEVERE", 40), e);
            }
            System.out.printf("FAULT browser %s (exit %d): server up again in %d ms, both adapters reconnected %d ms "
                    + "after the restart began, room working again %d ms after%n", how, status, started, back,
                    (System.nanoTime() - t0) / 1_000_000);
            System.out.println("FAULT browser " + how + " publisher connections: " + b.js("return JSON.stringify("
                    + "Object.fromEntries(Object.entries(window.state.clients).map(([k, v]) => [k, v.pub])));"));
        }
    }

    /** Each adapter sees the other, receives its audio and video, and gets a reliable broadcast from it. */
    static void roomWorks(Browser b, String tag) throws Exception {
        b.await("window.state.clients['101'].occupants.length === 1 && window.state.clients['202'].occupants.length === 1",
                60_000);
        assertEquals(List.of("202"), b.js("return window.state.clients['101'].occupants;"));
        b.js("window._m1 = null; window._m2 = null; window.mediaStats().then(s => { window._m1 = s; });");
        b.await("window._m1 && Object.keys(window._m1).length === 2", 60_000);
        Thread.sleep(2000);
        // each poll asks for fresh stats and judges the previous answer
        b.await("(window.mediaStats().then(s => { window._m2 = s; }), true) && window._m2 && Object.keys(window._m2).length === 2 && Object.keys(window._m2).every(k => window._m1[k]"
                + " && window._m2[k].audioBytes > window._m1[k].audioBytes && window._m2[k].videoBytes > window._m1[k].videoBytes)",
                60_000);
        b.js("window.adapters['101'].broadcastDataGuaranteed(arguments[0], {}); window.adapters['202'].broadcastDataGuaranteed(arguments[0], {});",
                "r-" + tag);
        for (String id : IDS) {
            b.await("window.state.clients['" + id + "'].messages.some(m => m.dataType === 'r-" + tag + "')", 30_000);
        }
    }
}
