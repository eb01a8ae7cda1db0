package org.janussfu.webrtc.ice;

import org.janussfu.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server-mode and client-mode transports connecting over 127.0.0.1 only. */
class IceTransportTest {
    private static IceHarvesters harvesters;

    @BeforeAll
    static void bind() throws IOException {
        harvesters = new IceHarvesters(IceConfig.loopback(0));
    }

    @AfterAll
    static void unbind() {
        harvesters.close();
    }

    @Test
    void connectsAndExchangesThousandDatagramsEachWay() throws Exception {
        IceTestPeer sp = new IceTestPeer();
        IceTestPeer cp = new IceTestPeer();
        try (IceTransport server = new IceTransport(harvesters, false, sp);
             IceTransport client = IceTransport.client(IceConfig.loopback(0), true, cp)) {
            assertFalse(server.send(IceTestPeer.datagram(4, 0), 0, 4), "no pair yet: send must refuse quietly");
            long t0 = System.nanoTime();
            IceTestPeer.wire(server, client);
            String clientPair = cp.awaitConnected(20);
            String serverPair = sp.awaitConnected(20);
            System.out.printf("ICE loopback connect: %.1f ms (client %s; server %s)%n",
                    (System.nanoTime() - t0) / 1e6, clientPair, serverPair);
            exchange(server, sp, client, cp, 1000);
            assertEquals(1000, server.packetsSent());
            assertEquals(1000, server.packetsReceived());
            assertEquals(1000, client.packetsReceived());
            assertEquals(1000, sp.handedOver.get(), "server mode hands each buffer over");
            assertEquals(0, cp.handedOver.get(), "client mode reuses its buffer");
            assertTrue(sp.tailroom >= IceSafety.TAILROOM, "tailroom " + sp.tailroom);
            assertFalse(sp.failure.isDone() || cp.failure.isDone());
        }
    }

    @Test
    void candidatesTrickleOneByOneBeforeAndAfterStart() throws Exception {
        IceTestPeer sp = new IceTestPeer();
        IceTestPeer cp = new IceTestPeer();
        try (IceTransport server = new IceTransport(harvesters, false, sp);
             IceTransport client = IceTransport.client(IceConfig.loopback(0), true, cp)) {
            // Server: remote candidate before start. Client: started with none, the server's arrives later.
            server.setRemoteCredentials(client.localUfrag(), client.localPassword());
            client.setRemoteCredentials(server.localUfrag(), server.localPassword());
            for (String c : client.localCandidates()) {
                assertEquals(IceCandidates.Verdict.ACCEPTED, server.addRemoteCandidate(c));
            }
            server.start();
            client.start();
            // The server (a full agent since the own UDP endpoints) may already reach the client with its own checks,
            // and the client learn it peer-reflexively; the trickled candidates below must be accepted either way.
            Thread.sleep(200);
            assertEquals(IceCandidates.Verdict.MDNS, client.addRemoteCandidate(
                    "candidate:9 1 udp 2122260223 0f1e2d3c-aaaa-bbbb-cccc-0123456789ab.local 50000 typ host"));
            for (String c : server.localCandidates()) {
                // Firefox trickles without the "candidate:" prefix.
                String line = c.substring("candidate:".length());
                assertEquals(IceCandidates.Verdict.ACCEPTED, client.addRemoteCandidate(line));
                assertEquals(IceCandidates.Verdict.DUPLICATE, client.addRemoteCandidate(c));
            }
            client.addRemoteCandidate("");
            client.endOfRemoteCandidates();
            cp.awaitConnected(20);
            sp.awaitConnected(20);
            assertTrue(client.remoteCandidatesComplete());
            exchange(server, sp, client, cp, 50);
        }
    }

    @Test
    void serverConnectsWithoutAnyRemoteCandidate() throws Exception {
        // The browser's candidates may never arrive (mDNS only): the server learns a peer-reflexive one from checks.
        IceTestPeer sp = new IceTestPeer();
        IceTestPeer cp = new IceTestPeer();
        try (IceTransport server = new IceTransport(harvesters, false, sp);
             IceTransport client = IceTransport.client(IceConfig.loopback(0), true, cp)) {
            server.setRemoteCredentials(client.localUfrag(), client.localPassword());
            client.setRemoteCredentials(server.localUfrag(), server.localPassword());
            server.addRemoteCandidate("candidate:1 1 udp 2122260223 abcdef.local 50000 typ host");
            server.start();
            server.localCandidates().forEach(client::addRemoteCandidate);
            client.start();
            cp.awaitConnected(20);
            assertTrue(sp.awaitConnected(20).contains("prflx"));
            exchange(server, sp, client, cp, 20);
        }
    }

    @Test
    void advertisedAddressReplacesTheBoundOne() throws Exception {
        InetAddress publicIp = IceCandidates.parseLiteral("203.0.113.7");
        IceConfig nat = IceConfig.loopback(0).withAdvertisedAddress(publicIp, false);
        IceConfig natKeep = IceConfig.loopback(0).withAdvertisedAddress(publicIp, true);
        try (IceHarvesters h1 = new IceHarvesters(nat); IceHarvesters h2 = new IceHarvesters(natKeep);
             IceTransport t1 = new IceTransport(h1, false, new IceTestPeer());
             IceTransport t2 = new IceTransport(h2, false, new IceTestPeer())) {
            int port1 = h1.localAddresses().get(0).getPort();
            List<String> only = t1.localCandidates();
            assertEquals(1, only.size(), only.toString());
            assertTrue(only.get(0).matches("candidate:\\S+ 1 udp \\d+ 203\\.0\\.113\\.7 " + port1 + " typ host"),
                    only.get(0));
            int port2 = h2.localAddresses().get(0).getPort();
            List<String> both = t2.localCandidates();
            assertEquals(2, both.size(), both.toString());
            assertTrue(both.get(0).contains(" 203.0.113.7 " + port2 + " typ host"), both.get(0));
            assertTrue(both.get(1).contains(" 127.0.0.1 " + port2 + " typ host"), both.get(1));
            assertTrue(priority(both.get(0)) > priority(both.get(1)), "public candidate preferred");
            assertNotEquals(both.get(0).split(" ")[0], both.get(1).split(" ")[0], "distinct foundations");
        }
        List<String> plain = new IceTransport(harvesters, false, new IceTestPeer()).localCandidates();
        assertEquals(1, plain.size());
        assertTrue(plain.get(0).matches("candidate:\\S+ 1 udp \\d+ 127\\.0\\.0\\.1 \\d+ typ host"), plain.get(0));
    }

    @Test
    void garbageCandidatesAreCountedAndIgnored() {
        try (IceTransport t = new IceTransport(harvesters, false, new IceTestPeer())) {
            t.setRemoteCredentials("remoteufrag", "remotepasswordremotepassword");
            String[] lines = {
                null, "", "   ", "end-of-candidates", "a=end-of-candidates", "garbage", "candidate:",
                "candidate:1 1 udp", "candidate:1 1 udp notanumber 127.0.0.1 5000 typ host",
                "candidate:1 1 udp 2130706431 127.0.0.1 99999 typ host",
                "candidate:1 1 udp 2130706431 127.0.0.1 5000 typ bogus",
                "candidate:1 1 sctp 2130706431 127.0.0.1 5000 typ host",
                "candidate:1 1 udp 2130706431 224.0.0.1 5000 typ host",
                "candidate:1 1 udp 2130706431 0.0.0.0 5000 typ host",
                "candidate:1 1 udp 2130706431 1.2.3.999 5000 typ host",
                "candidate:2 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active",
                "candidate:3 1 udp 2122260223 3c1f4e6b-1234-4a5b-9c3d-1234567890ab.local 54321 typ host",
                "candidate:4 1 udp 2122262783 ::1 50000 typ host",
                "candidate:5 1 udp 2122252543 stun.example.org 3478 typ host",
                "candidate:6 2 udp 2130706430 127.0.0.1 5001 typ host",
                "candidate:7 1 udp 2130706431 127.0.0.1 5002 typ host ufrag otherufrag",
                "candidate:8 1 udp 2130706431 127.0.0.1 5003 typ host ufrag remoteufrag",
                "\u0000\uFFFF candidate:\u00e9 \u2603",
            };
            for (String line : lines) {
                t.addRemoteCandidate(line);
            }
            assertEquals(1, t.candidateCount(IceCandidates.Verdict.ACCEPTED));
            assertEquals(1, t.candidateCount(IceCandidates.Verdict.TCP));
            assertEquals(1, t.candidateCount(IceCandidates.Verdict.MDNS));
            // "1.2.3.999" is not an IP literal, so it counts as a name, and names are never resolved.
            assertEquals(2, t.candidateCount(IceCandidates.Verdict.HOSTNAME));
            assertEquals(1, t.candidateCount(IceCandidates.Verdict.IPV6_NOT_BOUND));
            assertEquals(1, t.candidateCount(IceCandidates.Verdict.OTHER_COMPONENT));
            assertEquals(1, t.candidateCount(IceCandidates.Verdict.STALE_UFRAG));
            assertEquals(2, t.candidateCount(IceCandidates.Verdict.END_OF_CANDIDATES));
            assertEquals(3, t.candidateCount(IceCandidates.Verdict.EMPTY));
            assertEquals(10, t.candidateCount(IceCandidates.Verdict.MALFORMED));
            assertTrue(t.remoteCandidatesComplete());
        }
    }

    @Test
    void clientThatNeverConnectsFailsWithinTheTimeout() throws Exception {
        Duration timeout = Duration.ofMillis(1500);
        IceTestPeer cp = new IceTestPeer();
        IceTestPeer sp = new IceTestPeer();
        // A silent loopback socket: checks go there and are never answered.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(IceCandidates.loopbackV4(), 0));
             IceHarvesters slow = new IceHarvesters(IceConfig.loopback(0).withConnectTimeout(timeout));
             IceTransport server = new IceTransport(slow, false, sp);
             IceTransport client = IceTransport.client(IceConfig.loopback(0).withConnectTimeout(timeout), true, cp)) {
            client.setRemoteCredentials("silentufrag", "silentpasswordsilentpassword");
            client.addRemoteCandidate("candidate:1 1 udp 2130706431 127.0.0.1 " + silent.getLocalPort() + " typ host");
            server.setRemoteCredentials("nobodyufrag", "nobodypasswordnobodypassword");
            long t0 = System.nanoTime();
            client.start();
            server.start();
            // Slack of 6 s for a loaded box: still well below the 15 s default, so the configured timeout is what fired.
            long bound = timeout.toMillis() + 6000;
            assertTrue(bound < IceConfig.DEFAULT_CONNECT_TIMEOUT.toMillis());
            String clientReason = cp.failure.get(bound, TimeUnit.MILLISECONDS);
            String serverReason = sp.failure.get(bound, TimeUnit.MILLISECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("ICE failure after " + ms + " ms: client '" + clientReason + "', server '"
                    + serverReason + "'");
            assertTrue(ms <= bound, "failed after " + ms + " ms");
            assertFalse(client.isConnected());
            assertFalse(client.send(IceTestPeer.datagram(4, 0), 0, 4));
            assertTrue(cp.connects.isEmpty() && sp.connects.isEmpty());
        }
    }

    @Test
    void iceRestartWithNewCredentialsReconnects() throws Exception {
        IceTestPeer sp = new IceTestPeer();
        IceTestPeer cp = new IceTestPeer();
        try (IceTransport server = new IceTransport(harvesters, false, sp);
             IceTransport client = IceTransport.client(IceConfig.loopback(0), true, cp)) {
            IceTestPeer.wire(server, client);
            cp.awaitConnected(20);
            sp.awaitConnected(20);
            exchange(server, sp, client, cp, 10);
            String oldClientUfrag = client.localUfrag();
            String oldServerUfrag = server.localUfrag();

            // Offerer (client) restarts first: new local credentials, remote ones come with the answer.
            client.restart(null, null);
            assertNotEquals(oldClientUfrag, client.localUfrag());
            assertTrue(client.isConnected(), "old pair keeps carrying media until the new agent starts");
            // Answerer (server) restarts with the offer's new credentials.
            server.restart(client.localUfrag(), client.localPassword());
            assertNotEquals(oldServerUfrag, server.localUfrag());
            client.localCandidates().forEach(server::addRemoteCandidate);
            client.setRemoteCredentials(server.localUfrag(), server.localPassword());
            server.localCandidates().forEach(client::addRemoteCandidate);

            cp.awaitConnected(20);
            sp.awaitConnected(20);
            assertEquals(2, client.generation());
            assertEquals(2, server.generation());
            sp.packets.set(0);
            cp.packets.set(0);
            exchange(server, sp, client, cp, 100);
            // The new generation has its own media route (decision 0008).
            assertTrue(server.ownMediaRoute() && client.ownMediaRoute());
            exchangeMedia(server, sp, client, cp, 100);
            assertFalse(sp.failure.isDone() || cp.failure.isDone());
        }
    }

    @Test
    void signalledCandidatesBeyondTheCapAreRefusedAndNotStored() throws IOException {
        try (IceHarvesters h = new IceHarvesters(IceConfig.loopback(0).withMaxRemoteAddresses(2));
             IceTransport t = new IceTransport(h, false, new IceTestPeer())) {
            assertEquals(IceCandidates.Verdict.ACCEPTED,
                    t.addRemoteCandidate("candidate:1 1 udp 2122260223 127.0.0.1 50001 typ host"));
            assertEquals(IceCandidates.Verdict.ACCEPTED,
                    t.addRemoteCandidate("candidate:2 1 udp 2122260223 127.0.0.1 50002 typ host"));
            assertEquals(IceCandidates.Verdict.TOO_MANY,
                    t.addRemoteCandidate("candidate:3 1 udp 2122260223 127.0.0.1 50003 typ host"));
            assertEquals(1, t.candidateCount(IceCandidates.Verdict.TOO_MANY));
        }
    }

    /** Sends {@code n} datagrams each way through ice4j ({@link IceTransport#send}) and waits until all arrived. */
    static void exchange(IceTransport server, IceTestPeer sp, IceTransport client, IceTestPeer cp, int n)
            throws InterruptedException {
        exchange(server, sp, client, cp, n, false);
    }

    /** As {@link #exchange} through the media path ({@link IceTransport#sendMedia}). */
    static void exchangeMedia(IceTransport server, IceTestPeer sp, IceTransport client, IceTestPeer cp, int n)
            throws InterruptedException {
        exchange(server, sp, client, cp, n, true);
    }

    private static void exchange(IceTransport server, IceTestPeer sp, IceTransport client, IceTestPeer cp, int n,
                                 boolean media) throws InterruptedException {
        int s0 = sp.packets.get();
        int c0 = cp.packets.get();
        for (int i = 0; i < n; i++) {
            if (i % 25 == 0) {
                // Flow control: at most 50 datagrams in flight each way, below the receive queues' burst limits
                // however long a loaded box keeps the reader threads off the CPU (the own send path is non-blocking
                // and bursts faster than ice4j's). Nothing is lost on loopback at that pace, so all n must arrive.
                int sent = i;
                Poll.window(() -> Math.min(sp.packets.get() - s0, cp.packets.get() - c0), sent, 50, 10_000);
            }
            byte[] d = IceTestPeer.datagram(100, i);
            assertTrue(media ? client.sendMedia(d, 0, d.length) : client.send(d, 0, d.length));
            assertTrue(media ? server.sendMedia(d, 0, d.length) : server.send(d, 0, d.length));
        }
        long deadline = System.currentTimeMillis() + 15_000;
        while ((sp.packets.get() - s0 < n || cp.packets.get() - c0 < n) && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(n, sp.packets.get() - s0, "server received");
        assertEquals(n, cp.packets.get() - c0, "client received");
        assertEquals(0, sp.badPayload.get() + cp.badPayload.get(), "STUN or foreign bytes reached the listener");
    }

    private static long priority(String candidate) {
        return Long.parseLong(candidate.split(" ")[3]);
    }
}
