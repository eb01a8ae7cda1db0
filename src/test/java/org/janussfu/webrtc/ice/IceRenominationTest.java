package org.janussfu.webrtc.ice;

import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A controlling peer that nominates a second pair after the first, as Chromium does when a better pair becomes
 * writable (decision 0016): the server's controlled agent must follow — answer the peer's checks on the new pair
 * after its ICE processing has terminated, and send media there. The peer is raw: two UDP sockets on 127.0.0.1
 * speaking STUN byte by byte ({@link StunTestMessages}), each on its own thread, all bounded in time.
 */
class IceRenominationTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String UFRAG = "rawpeer1";
    private static final String PASSWORD = "rawpeerpassword-0123456789";

    /** One socket of the raw peer: answers the server's checks, counts answers to its own, counts media. */
    private static final class Leg implements AutoCloseable {
        final DatagramSocket socket;
        final AtomicInteger checksAnswered = new AtomicInteger();
        final AtomicInteger serverChecks = new AtomicInteger();
        final AtomicInteger media = new AtomicInteger();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread reader;

        Leg() throws Exception {
            socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            socket.setSoTimeout(100);
            reader = new Thread(this::read, "raw-peer-" + socket.getLocalPort());
            reader.setDaemon(true);
            reader.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void read() {
            byte[] buf = new byte[1500];
            long end = System.nanoTime() + 60_000_000_000L;
            while (running.get() && System.nanoTime() < end) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                    if (StunTestMessages.isStun(buf, p.getLength(), 0x0001)) {
                        serverChecks.incrementAndGet();
                        byte[] reply = StunTestMessages.successResponse(buf,
                                (InetSocketAddress) p.getSocketAddress(), PASSWORD);
                        socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                    } else if (StunTestMessages.isStun(buf, p.getLength(), 0x0101)) {
                        checksAnswered.incrementAndGet();
                    } else if (p.getLength() >= 4 && (buf[0] & 0xFF) == 0x80) {
                        media.incrementAndGet();
                    }
                } catch (SocketTimeoutException idle) {
                    // poll running again
                } catch (Exception e) {
                    return;
                }
            }
        }

        void check(InetSocketAddress server, String username, boolean nominate) throws Exception {
            byte[] req = StunTestMessages.bindingRequest(username, serverPassword, nominate);
            socket.send(new DatagramPacket(req, req.length, server));
        }

        volatile String serverPassword;

        @Override
        public void close() throws Exception {
            running.set(false);
            reader.join(2000);
            socket.close();
        }
    }

    @Test
    void theControlledAgentFollowsALaterNominationAndMediaMovesWithIt() throws Exception {
        IceHarvesters harvesters = new IceHarvesters(IceConfig.loopback(0));
        IceTestPeer sp = new IceTestPeer();
        try (harvesters; IceTransport server = new IceTransport(harvesters, false, sp);
             Leg a = new Leg(); Leg b = new Leg()) {
            server.setRemoteCredentials(UFRAG, PASSWORD);
            server.addRemoteCandidate("candidate:1 1 udp 2122260223 127.0.0.1 " + a.port() + " typ host");
            server.addRemoteCandidate("candidate:2 1 udp 2122260222 127.0.0.1 " + b.port() + " typ host");
            server.start();
            InetSocketAddress target = new InetSocketAddress(LOOPBACK,
                    Integer.parseInt(server.localCandidates().get(0).split(" ")[5]));
            String username = server.localUfrag() + ":" + UFRAG;
            a.serverPassword = server.localPassword();
            b.serverPassword = server.localPassword();

            // Both pairs checked both ways, as Chromium pings every pair from the start.
            long end = System.nanoTime() + 20_000_000_000L;
            while ((a.serverChecks.get() == 0 || b.serverChecks.get() == 0 || a.checksAnswered.get() == 0
                    || b.checksAnswered.get() == 0) && System.nanoTime() < end) {
                a.check(target, username, false);
                b.check(target, username, false);
                Thread.sleep(50);
            }
            assertTrue(a.serverChecks.get() > 0 && b.serverChecks.get() > 0, "the server checked both pairs");

            // The first nomination: a.
            long renominated = IceTransport.renominations();
            String pair = null;
            while (pair == null && System.nanoTime() < end) {
                a.check(target, username, true);
                pair = sp.connects.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            assertTrue(pair != null && pair.contains(":" + a.port()), "selected " + pair);
            assertTrue(server.ownMediaRoute(), "media on our own send path");
            awaitMedia(server, a, end);

            // Let ice4j's processing terminate (it then answers checks on the selected pair only), then nominate b.
            Thread.sleep(3500);
            int answeredBefore = b.checksAnswered.get();
            int bMedia = b.media.get();
            for (int i = 0; b.media.get() == bMedia && System.nanoTime() < end; i++) {
                b.check(target, username, true);
                server.sendMedia(IceTestPeer.datagram(40, i), 0, 40);
                Thread.sleep(50);
            }
            assertTrue(b.media.get() > bMedia, "media follows the peer to the pair it nominated last");
            assertTrue(IceTransport.renominations() > renominated, "counted");
            int before = b.checksAnswered.get();
            for (int i = 0; i < 10 && b.checksAnswered.get() == before; i++) {
                b.check(target, username, true);
                Thread.sleep(100);
            }
            assertTrue(b.checksAnswered.get() > before && b.checksAnswered.get() > answeredBefore,
                    "the server answers checks on the newly nominated pair");
            int aMedia = a.media.get();
            for (int i = 0; i < 20; i++) {
                server.sendMedia(IceTestPeer.datagram(40, i), 0, 40);
            }
            Thread.sleep(200);
            assertEquals(aMedia, a.media.get(), "no media to the pair the peer left");
            assertTrue(sp.failure.getNow(null) == null, "no failure: " + sp.failure.getNow(null));
        }
    }

    /** Sends media until {@code leg} receives some (bounded by {@code end}). */
    private static void awaitMedia(IceTransport server, Leg leg, long end) throws Exception {
        int before = leg.media.get();
        for (int i = 0; leg.media.get() == before && System.nanoTime() < end; i++) {
            server.sendMedia(IceTestPeer.datagram(40, i), 0, 40);
            Thread.sleep(20);
        }
        assertTrue(leg.media.get() > before, "media reached port " + leg.port());
    }
}
