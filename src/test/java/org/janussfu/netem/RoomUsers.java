package org.janussfu.netem;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.janussfu.sdp.MediaDescription;
import org.janussfu.sdp.MediaKind;
import org.janussfu.sdp.SdpParser;
import org.janussfu.testing.ClientPeer;
import org.janussfu.testing.SfuUser;
import org.janussfu.testing.TestServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Room users for the network and fault tests, shaped like naf-janus-adapter clients: in-process ones ({@link Local},
 * client peers on the test's Vert.x context) and remote ones whose peers live in a {@link RemotePeer} child JVM
 * while their signalling runs here; subscriptions answered by either. Static helpers for the JUnit thread.
 */
public final class RoomUsers {
    public static final String TEMPLATE = "src/test/resources/fixtures/sdp/chrome-renegotiation-offer.sdp";

    private RoomUsers() {
    }

    /** Payload types of a description: audio, video, and the video's RTX (-1 when absent). */
    public record Pts(int audio, int video, int rtx) {
        public static Pts of(String sdp) throws Exception {
            int a = -1;
            int v = -1;
            for (MediaDescription m : SdpParser.parse(sdp).media()) {
                if (m.kind() == MediaKind.AUDIO && !m.isRejected() && a < 0) {
                    a = Integer.parseInt(m.formats().get(0));
                } else if (m.kind() == MediaKind.VIDEO && !m.isRejected() && v < 0) {
                    v = Integer.parseInt(m.formats().get(0));
                }
            }
            return new Pts(a, v, v < 0 ? -1 : org.janussfu.testing.RtxResponder.rtxPayloadType(sdp, v));
        }
    }

    /** An in-process user: its WebSocket user and its connected publisher peer. */
    public record Local(SfuUser user, ClientPeer pub, Pts pts) {
    }

    public static String jsep(String type, String sdp) {
        return "{\"type\":\"" + type + "\",\"sdp\":\"" + sdp.replace("\r", "\\r").replace("\n", "\\n") + "\"}";
    }

    public static String template() throws Exception {
        return Files.readString(Path.of(TEMPLATE), StandardCharsets.UTF_8);
    }

    public static Local local(TestServer s, Vertx vertx, Context ctx, String name, String room) throws Exception {
        SfuUser u = new SfuUser(vertx, s.wsPort, name);
        ClientPeer pub = new ClientPeer(s.server.media(), ctx);
        ObjectNode reply = u.messageWithJsep(u.publisher, "{}", jsep("offer", pub.offer(template())));
        String answer = reply.path("jsep").path("sdp").asText();
        pub.acceptAnswer(answer);
        pub.connected.get(30, TimeUnit.SECONDS);
        assertTrue(u.joinAsPublisher(room, null).path("success").asBoolean());
        pub.openChannel("reliable", true, -1);
        return new Local(u, pub, Pts.of(answer));
    }

    /** A subscriber handle of {@code viewer} on {@code target}: returns the server's offer (answered by {@code answerer}). */
    public interface Answerer {
        String answer(String offer) throws Exception;
    }

    public static String subscribe(SfuUser viewer, String room, String target, Answerer answerer) throws Exception {
        long h = viewer.attach();
        ObjectNode offer = viewer.message(h, "{\"kind\":\"join\",\"room_id\":\"" + room + "\",\"user_id\":\""
                + viewer.userId + "\",\"subscribe\":{\"media\":\"" + target + "\"}}");
        String sdp = offer.path("jsep").path("sdp").asText();
        viewer.messageWithJsep(h, "{}", jsep("answer", answerer.answer(sdp)));
        return sdp;
    }

    /** A local subscription: its peer, the payload types the server offered it, and a receiver tapped in. */
    public record LocalSub(ClientPeer peer, Pts pts, MediaProbe.Receiver receiver) {
        /** Starts counting afresh: a new receiver replaces the tapped one. */
        public MediaProbe.Receiver fresh() {
            MediaProbe.Receiver r = new MediaProbe.Receiver(pts.audio(), pts.video());
            peer.rtpTap = r::accept;
            return r;
        }
    }

    public static LocalSub localSubscription(TestServer s, Context ctx, SfuUser viewer, String room, String target)
            throws Exception {
        ClientPeer peer = new ClientPeer(s.server.media(), ctx);
        String offer = subscribe(viewer, room, target, peer::answer);
        peer.connected.get(30, TimeUnit.SECONDS);
        Pts p = Pts.of(offer);
        MediaProbe.Receiver r = new MediaProbe.Receiver(p.audio(), p.video());
        peer.rtpTap = r::accept;
        return new LocalSub(peer, p, r);
    }

    /** The remote user's publisher peer "pub" (with the reliable channel) joined to {@code room}. */
    public static SfuUser remoteUser(TestServer s, Vertx vertx, RemotePeer rp, String name, String room) throws Exception {
        SfuUser u = new SfuUser(vertx, s.wsPort, name);
        ObjectNode reply = u.messageWithJsep(u.publisher, "{}", jsep("offer", rp.offer("pub", template())));
        rp.accept("pub", reply.path("jsep").path("sdp").asText());
        rp.call("connected pub");
        assertTrue(u.joinAsPublisher(room, null).path("success").asBoolean());
        rp.call("open pub reliable");
        return u;
    }

}
