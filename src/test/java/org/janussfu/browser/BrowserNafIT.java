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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real naf-janus-adapter 4.0.1 (with minijanus 0.6.2 inside) in headless Chromium against janus-sfu: three
 * adapters join one room, each connects (data channels up, which the adapter waits for), sees the two others as
 * occupants and receives their audio and video; sendData, sendDataGuaranteed, broadcastData and
 * broadcastDataGuaranteed arrive at the others over the relayed "unreliable"/"reliable" channels; a blocked pair
 * exchanges nothing; a client that disconnects is seen to leave.
 */
@ExtendWith(VertxExtension.class)
class BrowserNafIT {

    static long count(Browser b, String id, String dataType) {
        return ((Number) b.js("return window.state.clients[arguments[0]].messages.filter(m => m.dataType === arguments[1]).length;",
                id, dataType)).longValue();
    }

    @Test
    void threeAdaptersShareMediaAndDataAndBlocksHold(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of());
             Browser b = Browser.start(vertx, Map.of(
                     "/naf.html", Path.of("src/test/resources/browser/naf.html"),
                     "/naf-janus-adapter.js", Browser.module("naf-janus-adapter/dist/naf-janus-adapter.js")))) {
            b.open("/naf.html");
            b.js("window.startTest(arguments[0]);", Map.of("ws", "ws://127.0.0.1:" + s.wsPort + "/", "room", "naf",
                    "ids", List.of("101", "202", "303")));
            for (String id : List.of("101", "202", "303")) {
                b.await("window.state.clients['" + id + "'] && window.state.clients['" + id + "'].connected", 60_000);
            }
            b.await("['101','202','303'].every(id => window.state.clients[id].occupants.length === 2)", 60_000);
            assertEquals(List.of("202", "303"), b.js("return window.state.clients['101'].occupants;"));
            // Poll (bounded) instead of fixed sleeps: each poll takes fresh stats and compares them with the first
            // complete snapshot, so a slow box only takes longer.
            b.js("window._ms1 = null; window._ms2 = null; window.mediaStats().then(s => { window._ms1 = s; });");
            b.await("window._ms1 && Object.keys(window._ms1).length === 6", 20_000);
            String grown = "Object.keys(window._ms2).filter(k => window._ms2[k].tracks === 2 && window._ms1[k]"
                    + " && window._ms2[k].audioBytes > window._ms1[k].audioBytes && window._ms2[k].videoBytes > window._ms1[k].videoBytes)";
            try {
                b.await("(window.mediaStats().then(s => { window._ms2 = s; }), true) && window._ms2 && " + grown + ".length === 6",
                        30_000);
            } catch (AssertionError e) {
                // fall through to the assertion below, which names the streams that did not grow
            }
            Object growing = b.js("return window._ms2 ? " + grown + " : [];");
            assertEquals(6, ((List<?>) growing).size(), "every occupant's audio and video flow: " + growing);

            b.js("const a = window.adapters['101'];"
                    + "a.sendData('202', 'u', {n: 1}); a.sendDataGuaranteed('202', 'r', {n: 2});"
                    + "a.broadcastData('bu', {n: 3}); a.broadcastDataGuaranteed('br', {n: 4});");
            for (String id : List.of("202", "303")) {
                b.await("['bu','br'].every(t => window.state.clients['" + id + "'].messages.some(m => m.dataType === t))", 10_000);
            }
            b.await("window.state.clients['202'].messages.some(m => m.dataType === 'u' && m.source === 'janus-unreliable')"
                    + " && window.state.clients['202'].messages.some(m => m.dataType === 'r' && m.source === 'janus-reliable')", 10_000);
            assertEquals(0, count(b, "101", "bu"), "the sender does not receive its own broadcast");

            // 303 blocks 101: nothing crosses that pair either way, 202 still gets both
            b.js("window.adapters['303'].block('101');");
            Thread.sleep(500);
            b.js("window.adapters['101'].broadcastDataGuaranteed('after', {}); window.adapters['303'].broadcastDataGuaranteed('fromblocked', {});");
            b.await("window.state.clients['202'].messages.some(m => m.dataType === 'after')"
                    + " && window.state.clients['202'].messages.some(m => m.dataType === 'fromblocked')", 10_000);
            Thread.sleep(500);
            assertEquals(0, count(b, "303", "after"), "303 got nothing from 101");
            assertEquals(0, count(b, "101", "fromblocked"), "101 got nothing from 303");

            // 202 disconnects: the others see it leave
            b.js("window.adapters['202'].disconnect();");
            b.await("window.state.clients['101'].occupants.length === 1 && window.state.clients['303'].occupants.length === 1", 15_000);
            assertEquals(List.of("303"), b.js("return window.state.clients['101'].occupants;"));
            assertTrue(s.core().counters().dataReceived.sum() > 0);
        }
    }
}
