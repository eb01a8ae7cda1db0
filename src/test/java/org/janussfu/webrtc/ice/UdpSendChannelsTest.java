package org.janussfu.webrtc.ice;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared-port send channels (decision 0008) against a socket bound after them the way ice4j's {@code SocketPool}
 * binds ({@code SO_REUSEADDR}, the JVM's default family): they send from the shared port, never receive, pass their
 * self-check, fail it when bound in the wrong order, and send without allocating.
 */
class UdpSendChannelsTest {
    private static final InetAddress LOOPBACK = IceCandidates.loopbackV4();

    /** A socket like one of ice4j's on the shared port, bound after the channels. */
    private static DatagramSocket iceLikeSocket(int port) throws Exception {
        DatagramSocket s = new DatagramSocket(null);
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(LOOPBACK, port));
        return s;
    }

    @Test
    void channelsSendFromTheSharedPortAndTheLaterSocketReceivesEverything() throws Exception {
        try (UdpSendChannels ch = UdpSendChannels.openShared(LOOPBACK, 0, 3);
             DatagramSocket ice = iceLikeSocket(ch.localAddress().getPort());
             DatagramChannel peer = DatagramChannel.open()) {
            int port = ch.localAddress().getPort();
            assertTrue(port > 0);
            assertEquals(3, ch.count());
            assertNull(ch.selfCheck(50), "self-check");
            peer.bind(new InetSocketAddress(LOOPBACK, 0));
            peer.configureBlocking(false);
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalAddress();

            // Three sending threads (three slots, so all three channels): every datagram leaves from the shared port.
            int perThread = 50;
            Thread[] senders = new Thread[3];
            for (int t = 0; t < senders.length; t++) {
                senders[t] = new Thread(() -> {
                    byte[] d = IceTestPeer.datagram(120, 1);
                    for (int i = 0; i < perThread; i++) {
                        assertTrue(ch.send(d, 0, d.length, peerAddress));
                    }
                });
                senders[t].start();
            }
            // Drained while the senders run (the 150 datagrams fit the receive buffer anyway), each with a deadline
            // instead of a blocking receive that would hang the build on a lost one.
            ByteBuffer rx = ByteBuffer.allocate(2048);
            long end = System.nanoTime() + 20_000_000_000L;
            int received = 0;
            while (received < senders.length * perThread && System.nanoTime() - end < 0) {
                rx.clear();
                InetSocketAddress from = (InetSocketAddress) peer.receive(rx);
                if (from == null) {
                    Thread.sleep(1);
                    continue;
                }
                received++;
                assertEquals(new InetSocketAddress(LOOPBACK, port), from);
                assertEquals(120, rx.position());
            }
            for (Thread t : senders) {
                t.join();
            }
            assertEquals(senders.length * perThread, received, "datagrams received from the shared port");
            assertEquals(senders.length * perThread, ch.sent());

            // Datagrams to the shared port all reach the later-bound socket; none reaches a channel.
            for (int i = 0; i < 20; i++) {
                peer.send(ByteBuffer.wrap(IceTestPeer.datagram(40, i)), new InetSocketAddress(LOOPBACK, port));
            }
            ice.setSoTimeout(10_000);
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            for (int i = 0; i < 20; i++) {
                ice.receive(p);
            }
            Thread.sleep(50);
            assertFalse(ch.receivedAny(ByteBuffer.allocate(100)), "a send channel received");
        }
    }

    @Test
    void selfCheckFailsWhenTheChannelsAreBoundLast() throws Exception {
        try (DatagramSocket ice = iceLikeSocket(0);
             UdpSendChannels ch = UdpSendChannels.openShared(LOOPBACK, ice.getLocalPort(), 2)) {
            String problem = ch.selfCheck(5000); // returns as soon as a channel took the probe
            assertNotNull(problem, "channels bound after the receiving socket take its datagrams");
            assertTrue(problem.contains("received"), problem);
        }
    }

    @Test
    void selfCheckPassesWhenPeersOfAPreviousProcessFilledTheChannelsBeforeTheLaterBind() throws Exception {
        // A restart under live traffic: until ice4j binds, the channels are the only sockets on the port and take
        // what peers of the previous process still send there. That is not evidence against the order.
        try (UdpSendChannels ch = UdpSendChannels.openShared(LOOPBACK, 0, 2);
             DatagramChannel peer = DatagramChannel.open()) {
            int port = ch.localAddress().getPort();
            for (int i = 0; i < 8; i++) {
                peer.send(ByteBuffer.wrap(IceTestPeer.datagram(40, i)), new InetSocketAddress(LOOPBACK, port));
            }
            Thread.sleep(50);
            try (DatagramSocket ice = iceLikeSocket(port)) {
                assertNull(ch.selfCheck(100));
            }
        }
    }

    @Test
    void sendingAfterCloseIsRefusedAndCountedWithoutThrowing() throws Exception {
        UdpSendChannels ch = UdpSendChannels.openShared(LOOPBACK, 0, 2);
        ch.close();
        byte[] d = IceTestPeer.datagram(100, 0);
        assertFalse(ch.send(d, 0, d.length, new InetSocketAddress(LOOPBACK, 9)));
        assertEquals(1, ch.failed());
        assertTrue(ch.isClosed());
    }

    @Test
    void aDatagramLargerThanTheSlotIsStillSent() throws Exception {
        try (UdpSendChannels ch = UdpSendChannels.openShared(LOOPBACK, 0, 1);
             DatagramSocket sink = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            byte[] big = IceTestPeer.datagram(UdpSendChannels.SLOT_BYTES + 100, 0);
            assertTrue(ch.send(big, 0, big.length, (InetSocketAddress) sink.getLocalSocketAddress()));
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            sink.setSoTimeout(10_000);
            sink.receive(p);
            assertEquals(big.length, p.getLength());
            assertEquals(1, ch.oversized());
        }
    }

    @Test
    void sendingAllocatesNothingPerDatagram() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (UdpSendChannels ch = UdpSendChannels.openShared(LOOPBACK, 0, 2);
             DatagramChannel sink = DatagramChannel.open()) {
            sink.bind(new InetSocketAddress(LOOPBACK, 0));
            InetSocketAddress to = (InetSocketAddress) sink.getLocalAddress();
            byte[] d = IceTestPeer.datagram(1200, 0);
            long tid = Thread.currentThread().getId();
            for (int i = 0; i < 30_000; i++) {
                ch.send(d, 0, d.length, to); // warm-up: JIT, the JDK's native address cache
            }
            int n = 20_000;
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < n; i++) {
                ch.send(d, 0, d.length, to);
            }
            long bytes = mx.getThreadAllocatedBytes(tid) - before;
            System.out.printf("UdpSendChannels.send: %.2f B/datagram%n", bytes / (double) n);
            assertTrue(bytes < n / 4, bytes + " bytes for " + n + " sends");
        }
    }

    @Test
    void probesOfAWildcardBindGoToLoopbackAndLookLikeNothingKnown() throws Exception {
        assertEquals(LOOPBACK, UdpSendChannels.probeAddress(InetAddress.getByName("0.0.0.0")));
        assertEquals(LOOPBACK, UdpSendChannels.probeAddress(LOOPBACK));
        // RFC 7983 §7: 255 is neither STUN, DTLS, TURN channel nor RTP/RTCP.
        assertEquals((byte) 0xFF, UdpSendChannels.token()[0]);
    }
}
