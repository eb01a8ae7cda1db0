package org.janussfu.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.netem.RoomUsers;
import org.janussfu.sdp.SdpParser;
import org.janussfu.testing.ClientPeer;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.WsClient;
import org.janussfu.webrtc.MediaEngine;
import org.janussfu.webrtc.WebRtcConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server process killed with SIGKILL while users are in a room with live PeerConnections, then started again on
 * the same WebSocket, HTTP, ICE (UDP) and admin ports, twice: it must bind them at once (no lingering socket, no
 * lock or state file), the old clients see their WebSockets close, their sessions are unknown to the new process
 * (458) and a new client connects media through the same ICE port and joins the same room. A final SIGTERM must
 * stop it gracefully, closing its WebSockets with 1001 Going Away. Restart times go to stdout ({@code FAULT ...}).
 */
@ExtendWith(VertxExtension.class)
class SigkillRestartIT {

    /** One user of the room: WebSocket, session, publisher PC connected through the server's ICE port, joined. */
    record User(SfuUser user, ClientPeer pub) {
        static User join(Vertx vertx, MediaEngine engine, Context ctx, ServerProcess sp, String name) throws Exception {
            SfuUser u = new SfuUser(vertx, sp.wsPort, name);
            ClientPeer pub = new ClientPeer(engine, ctx);
            ObjectNode reply = u.messageWithJsep(u.publisher, "{}", RoomUsers.jsep("offer", pub.offer(RoomUsers.template())));
            String answer = reply.path("jsep").path("sdp").asText();
            assertTrue(SdpParser.parse(answer).media().get(0).attributeValues("candidate").stream()
                    .anyMatch(c -> c.contains(" " + sp.icePort + " typ host")), "the server's ICE port: " + answer);
            pub.acceptAnswer(answer);
            pub.connected.get(30, TimeUnit.SECONDS);
            assertTrue(u.joinAsPublisher("r", null).path("success").asBoolean());
            return new User(u, pub);
        }
    }

    @Test
    void killedWithSigkillAndStartedAgainOnTheSamePorts(Vertx vertx) throws Exception {
        MediaEngine engine = new MediaEngine(WebRtcConfig.loopback(0));
        engine.bind(vertx);
        Context ctx = vertx.getOrCreateContext();
        try (ServerProcess sp = new ServerProcess(Map.of())) {
            long first = sp.start();
            System.out.printf("FAULT server started in %d ms (ws %d, ice %d)%n", first, sp.wsPort, sp.icePort);
            for (int round = 1; round <= 2; round++) {
                User a = User.join(vertx, engine, ctx, sp, "a" + round);
                User b = User.join(vertx, engine, ctx, sp, "b" + round);
                a.user().awaitEvent(SfuUser.event("join", "b" + round));
                long oldSession = a.user().session;

                int status = sp.kill();
                assertEquals(137, status, "SIGKILL");
                assertTrue(a.user().ws.awaitClose(10_000) && b.user().ws.awaitClose(10_000), "clients see the socket go");

                long restart = sp.start();
                System.out.printf("FAULT round %d: SIGKILL, started again on the same ports in %d ms%n", round, restart);
                try (WsClient probe = new WsClient(vertx, sp.wsPort)) {
                    String tx = probe.send(WsClient.json("{\"janus\":\"keepalive\",\"session_id\":" + oldSession + "}"));
                    ObjectNode r = probe.await(m -> tx.equals(m.path("transaction").asText()));
                    assertEquals(458, r.path("error").path("code").asInt(), "a session of the killed process: " + r);
                }
                long t0 = System.nanoTime();
                User c = User.join(vertx, engine, ctx, sp, "c" + round);
                System.out.printf("FAULT round %d: a new user joined with media in %d ms after the restart%n", round,
                        (System.nanoTime() - t0) / 1_000_000);
                for (User u : new User[]{a, b, c}) {
                    u.pub().close();
                    u.user().close();
                }
            }
            WsClient last = new WsClient(vertx, sp.wsPort);
            last.createSession();
            int status = sp.stop();
            assertTrue(last.awaitClose(10_000));
            Short code = last.socket().closeStatusCode();
            System.out.printf("FAULT SIGTERM: exit status %d, WebSocket close status %s%n", status, code);
            assertTrue(status == 0 || status == 143, "graceful stop: " + status);
            assertEquals((short) 1001, code, "a server going down closes with 1001 Going Away (RFC 6455 §7.4.1)");
        } finally {
            engine.close();
        }
    }
}
