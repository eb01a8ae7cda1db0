package org.janussfu.webrtc;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.janussfu.testing.ClientPeer;
import org.janussfu.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.janussfu.webrtc.PeerConnectionIT.SessionAwait.until;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the whole run-to-completion path allocates on the media loop (decision 0013): read, ICE admission, SRTP
 * unprotect, the plugin's fan-out, one copy, rewrite, protect and send per subscriber — measured with the thread's
 * allocation counter over a stream of audio and video from one publisher to two subscribers. jitsi-srtp's unprotect
 * (~88 B with GCM, decision 0008) is the only known allocation per datagram; the bound leaves room for it, for the
 * loop's timers and for code the JIT has not reached yet, and catches a packet-sized allocation per datagram.
 */
@ExtendWith(VertxExtension.class)
class MediaLoopAllocationIT {

    @Test
    void aForwardedDatagramAllocatesOnlyWhatSrtpUnprotectDoes(Vertx vertx) throws Exception {
        try (TestServer s = TestServer.startProduction(Map.of())) {
            Context ctx = vertx.getOrCreateContext();
            ForwardingIT.Publisher alice = ForwardingIT.publisher(s, vertx, ctx, "alice", "r");
            ForwardingIT.Publisher bob = ForwardingIT.publisher(s, vertx, ctx, "bob", "r");
            ForwardingIT.Publisher carol = ForwardingIT.publisher(s, vertx, ctx, "carol", "r");
            ClientPeer bobSees = ForwardingIT.subscribe(s, ctx, bob.user(), "r", "alice");
            ClientPeer carolSees = ForwardingIT.subscribe(s, ctx, carol.user(), "r", "alice");

            MediaLoop loop = s.server.media().mediaLoop();
            CompletableFuture<Long> tid = new CompletableFuture<>();
            loop.context().runOnContext(v -> tid.complete(Thread.currentThread().getId()));
            long thread = tid.get(5, TimeUnit.SECONDS);
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

            // warm-up: JIT, pools, NACK rings filling (paced by the subscribers, see ForwardingIT.sendMedia)
            ForwardingIT.sendMedia(alice, 500, 0, () -> Math.min(bobSees.rtp.size(), carolSees.rtp.size()));
            until(() -> bobSees.rtp.size() >= 900 && carolSees.rtp.size() >= 900, 30_000);
            long inBefore = s.server.media().srtpInline();
            long allocatedBefore = mx.getThreadAllocatedBytes(thread);
            ForwardingIT.sendMedia(alice, 1000, 500, () -> Math.min(bobSees.rtp.size(), carolSees.rtp.size()));
            until(() -> s.server.media().srtpInline() - inBefore >= 1900, 30_000);
            long datagrams = s.server.media().srtpInline() - inBefore;
            long perDatagram = (mx.getThreadAllocatedBytes(thread) - allocatedBefore) / datagrams;
            System.out.println("media loop allocated " + perDatagram + " B per received datagram (" + datagrams
                    + " datagrams, 2 subscribers each)");
            // Measured 88–136 B here (jitsi-srtp's unprotect among it). The bound tolerates code not yet compiled by C2 on a
            // loaded box and still fails on any packet-sized array per datagram (a holder is 1,532 B).
            assertTrue(perDatagram < 512, "media loop allocates " + perDatagram + " B per datagram");
            for (ForwardingIT.Publisher p : List.of(alice, bob, carol)) {
                p.peer().close();
                p.user().close();
            }
            bobSees.close();
            carolSees.close();
        }
    }
}
