package org.janussfu.webrtc;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.janussfu.webrtc.ice.IceTestHooks;
import org.janussfu.webrtc.ice.UdpEndpoint;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The media loop (decision 0013) takes a shared endpoint over from its reader thread and reads it on its own Vert.x
 * event loop — ICE admission still applies there — and gives the socket up when the endpoint closes.
 */
class MediaLoopTest {

    @Test
    void readsAnAdoptedEndpointOnItsEventLoopAndLetsGoOnClose() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            UdpEndpoint e = IceTestHooks.sharedEndpoint(loopback);
            MediaLoop loop = MediaLoop.create(vertx);
            assertTrue(loop.adopt(e), "Vert.x runs on NIO here: the loop can read our channel");

            CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
            loop.context().runOnContext(v -> onLoop.complete(loop.inLoop()));
            assertTrue(onLoop.get(5, TimeUnit.SECONDS), "inLoop() on the loop's own context");
            assertFalse(loop.inLoop(), "and not on the test thread");

            // SRTP-looking bytes from an address that never passed a check: read on the loop, dropped and counted.
            try (DatagramChannel peer = DatagramChannel.open()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (IceTestHooks.unvalidatedDropped(e) == 0 && System.nanoTime() < deadline) {
                    peer.send(ByteBuffer.wrap(new byte[]{(byte) 0x80, 111, 0, 1}), e.localAddress());
                    Thread.sleep(50);
                }
            }
            assertTrue(IceTestHooks.unvalidatedDropped(e) >= 1, "the datagram was read and refused");
            assertTrue(loop.wakeups.sum() >= 1, "by the media loop, not the reader thread");

            e.close();
            assertFalse(e.channel().isOpen());
        } finally {
            vertx.close().await();
        }
    }
}
