package org.janussfu.webrtc.ice;

import org.junit.jupiter.api.Test;

import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection's own port with ice4j's socket and our media channel on it (client and port-range mode, decision
 * 0008): the socket receives everything, the channel sends from the port, and the port stays exclusive — which is
 * what the port-range search relies on.
 */
class UdpPortPairTest {
    private static final InetAddress LOOPBACK = IceCandidates.loopbackV4();

    @Test
    void theCheckPassesOnThisKernel() {
        assertNull(UdpPortPair.check(LOOPBACK));
        assertTrue(UdpPortPair.available(LOOPBACK));
        assertEquals("", UdpPortPair.verdict());
    }

    @Test
    void socketReceivesChannelSendsAndNobodyElseCanJoinThePort() throws Exception {
        UdpPortPair pair = UdpPortPair.bind(LOOPBACK, 0);
        try (DatagramChannel peer = DatagramChannel.open()) {
            int port = pair.iceSocket.getLocalPort();
            assertEquals(port, pair.media.localAddress().getPort());
            peer.bind(new InetSocketAddress(LOOPBACK, 0));

            byte[] d = IceTestPeer.datagram(200, 7);
            assertTrue(pair.media.send(d, 0, d.length, (InetSocketAddress) peer.getLocalAddress()));
            ByteBuffer rx = ByteBuffer.allocate(500);
            assertEquals(new InetSocketAddress(LOOPBACK, port), peer.receive(rx));

            for (int i = 0; i < 10; i++) {
                peer.send(ByteBuffer.wrap(IceTestPeer.datagram(30, i)), new InetSocketAddress(LOOPBACK, port));
            }
            pair.iceSocket.setSoTimeout(1000);
            for (int i = 0; i < 10; i++) {
                pair.iceSocket.receive(new DatagramPacket(new byte[64], 64));
            }
            assertFalse(pair.media.receivedAny(ByteBuffer.allocate(64)));

            // Exclusive again: a port-range search moving on to this port must fail to bind it, with or without
            // SO_REUSEADDR, and so must a second pair.
            assertThrows(BindException.class, () -> new DatagramSocket(new InetSocketAddress(LOOPBACK, port)));
            try (DatagramSocket reuse = new DatagramSocket(null)) {
                reuse.setReuseAddress(true);
                assertThrows(BindException.class, () -> reuse.bind(new InetSocketAddress(LOOPBACK, port)));
            }
            assertThrows(BindException.class, () -> UdpPortPair.bind(LOOPBACK, port));
        } finally {
            pair.close();
        }
        assertTrue(pair.iceSocket.isClosed());
        assertTrue(pair.media.isClosed());
    }

    @Test
    void aPortHeldByAnotherSocketIsRefused() throws Exception {
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            assertThrows(BindException.class, () -> UdpPortPair.bind(LOOPBACK, other.getLocalPort()));
        }
        try (DatagramSocket reuse = new DatagramSocket(null)) {
            reuse.setReuseAddress(true);
            reuse.bind(new InetSocketAddress(LOOPBACK, 0));
            // Even a socket that allows sharing: the channel binds first without SO_REUSEADDR.
            assertThrows(BindException.class, () -> UdpPortPair.bind(LOOPBACK, reuse.getLocalPort()));
        }
    }
}
