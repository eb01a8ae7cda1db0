package org.janussfu.webrtc.ice;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IceTransport#close()} releases what one transport owns: the bound UDP sockets (exact, without GC), the
 * per-transport threads (the client role's reader; ice4j's {@code IceConnector} only on {@link StunStackPush}'s
 * fallback), and — after a GC, because
 * ice4j leaves the private file descriptors of its wrapper {@code DatagramSocket}s to the JDK's Cleaner — the file
 * descriptors. ice4j's shared pools ({@code ice4j.Agent-executor-*}, {@code ice4j.NetAccessManager-*}, timers) may
 * keep a few idle threads; their number depends on concurrency, not on how many transports existed.
 */
class IceResourceTest {
    private static final int PAIRS = 10; // 20 transports per round

    @Test
    void closingTwentyConnectedTransportsLeavesNoSocketsOrThreadsBehind() throws Exception {
        try (IceHarvesters h = new IceHarvesters(IceConfig.loopback(0))) {
            round(h, PAIRS); // warm up classes and ice4j's shared pools at this concurrency
            settle(() -> perTransportThreads(), 0);
            Set<String> udpBefore = boundUdpSockets();
            fdsAfterGc();
            Thread.sleep(300);
            int fdsBefore = fdsAfterGc();
            int threadsBefore = otherThreads();
            int poolBefore = settle(IceResourceTest::ice4jPoolThreads, 0); // idle pool threads end after 1 s

            int peakThreads = round(h, PAIRS);
            assertEquals(0, settle(IceResourceTest::perTransportThreads, 0), "per-transport threads left");
            assertEquals(udpBefore, settledUdp(udpBefore), "bound UDP sockets left (no GC involved)");
            int fdsAfter = settle(IceResourceTest::fdsAfterGc, fdsBefore);
            int threadsAfter = settle(IceResourceTest::otherThreads, threadsBefore);
            int poolAfter = settlePools(poolBefore);

            int peakThreads2 = round(h, PAIRS);
            assertEquals(0, settle(IceResourceTest::perTransportThreads, 0));
            assertEquals(udpBefore, settledUdp(udpBefore));
            int fdsAfter2 = settle(IceResourceTest::fdsAfterGc, fdsBefore);
            int threadsAfter2 = settle(IceResourceTest::otherThreads, threadsBefore);
            int poolAfter2 = settlePools(poolBefore);

            System.out.printf("ICE resources: fds %d -> %d -> %d; threads outside ice4j's shared pools %d -> %d -> %d;"
                    + " ice4j pool threads %d -> %d -> %d; peak threads %d / %d%n", fdsBefore, fdsAfter, fdsAfter2,
                    threadsBefore, threadsAfter, threadsAfter2, poolBefore, poolAfter, poolAfter2, peakThreads,
                    peakThreads2);
            // 20 transports hold > 60 descriptors and > 40 threads while connected; what stays must be far less than
            // one per transport, and must not accumulate from one round to the next.
            assertTrue(fdsAfter - fdsBefore < 5, "fds grew by " + (fdsAfter - fdsBefore));
            assertTrue(fdsAfter2 - fdsBefore < 5, "fds grew by " + (fdsAfter2 - fdsBefore));
            assertTrue(threadsAfter <= threadsBefore, "threads outside ice4j's shared pools " + threadsAfter);
            assertTrue(threadsAfter2 <= threadsBefore, "threads outside ice4j's shared pools " + threadsAfter2);
            // ice4j's cached pools (Agent-executor, NetAccessManager, StunClientTransaction-executor) grow with the
            // number of *concurrent* tasks — including STUN transactions of freed agents that run out their
            // retransmissions — and shrink after 60 s idle. Bound them well below one per transport per round.
            // ice4j's pools give idle threads back after a second (IcePools); its three single-thread timers live on
            // while freed agents' STUN transactions still have retransmissions scheduled. Nothing accumulates.
            assertTrue(poolAfter <= poolBefore + 3, "ice4j pools grew: " + poolBefore + " -> " + poolAfter);
            assertTrue(poolAfter2 <= poolBefore + 3, "ice4j pools grew: " + poolBefore + " -> " + poolAfter2);
        }
    }

    /**
     * Issue 12: the server's threads do not follow its PeerConnections. ice4j is fed STUN on {@link StunStackPush}'s
     * fixed pool instead of a connector thread per agent, so 40 connected server transports run on as many threads
     * as 10 do (give or take ice4j's shared pools at that moment; the client side's reader threads are not counted).
     */
    @Test
    void serverThreadsDoNotFollowConnectedTransports() throws Exception {
        assertTrue(StunStackPush.pushing(), "ice4j is fed without connector threads");
        try (IceHarvesters h = new IceHarvesters(IceConfig.loopback(0))) {
            steadyThreads(h, 4); // warm up
            int ten = steadyThreads(h, 10);
            int forty = steadyThreads(h, 40);
            System.out.printf("server-side threads with 10 / 40 connected transports: %d / %d%n", ten, forty);
            assertTrue(forty - ten <= 6, "threads follow transports: " + ten + " -> " + forty);
        }
    }

    /** Connects {@code pairs} pairs and returns the fewest threads seen over 3 s, the clients' readers not counted. */
    private static int steadyThreads(IceHarvesters h, int pairs) throws Exception {
        List<IceTransport> transports = new ArrayList<>();
        List<IceTestPeer> peers = new ArrayList<>();
        try {
            wirePairs(h, pairs, transports, peers);
            for (IceTestPeer p : peers) {
                p.awaitConnected(20);
            }
            Thread.sleep(1500); // ice4j's pools give their idle threads back after a second (IcePools)
            int fewest = Integer.MAX_VALUE;
            for (int i = 0; i < 15; i++) {
                int n = 0;
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (t.isAlive() && !t.getName().startsWith("ice-client-reader")) {
                        n++;
                    }
                }
                fewest = Math.min(fewest, n);
                Thread.sleep(200);
            }
            return fewest;
        } finally {
            transports.forEach(IceTransport::close);
        }
    }

    /** Creates {@code pairs} server (on {@code h}) / client transport pairs and wires them; they connect by themselves. */
    private static void wirePairs(IceHarvesters h, int pairs, List<IceTransport> transports, List<IceTestPeer> peers) {
        for (int i = 0; i < pairs; i++) {
            IceTestPeer sp = new IceTestPeer();
            IceTestPeer cp = new IceTestPeer();
            IceTransport s = new IceTransport(h, false, sp);
            transports.add(s);
            IceTransport c = IceTransport.client(IceConfig.loopback(0), true, cp);
            transports.add(c);
            peers.add(sp);
            peers.add(cp);
            IceTestPeer.wire(s, c);
        }
    }

    /** Connects {@code pairs} server/client pairs, checks one datagram each way, closes all; returns peak threads. */
    private static int round(IceHarvesters h, int pairs) throws Exception {
        List<IceTransport> transports = new ArrayList<>();
        List<IceTestPeer> peers = new ArrayList<>();
        try {
            wirePairs(h, pairs, transports, peers);
            for (IceTestPeer p : peers) {
                p.awaitConnected(10);
            }
            for (int i = 0; i < transports.size(); i += 2) {
                IceTransportTest.exchange(transports.get(i), peers.get(i), transports.get(i + 1), peers.get(i + 1), 1);
            }
            return Thread.getAllStackTraces().size();
        } finally {
            transports.forEach(IceTransport::close);
        }
    }

    /**
     * 1,000 distinct source ports each send a correctly authenticated check to one server transport (as an attacker
     * holding its own handle's credentials could): the agent keeps at most its cap of remote addresses, the rest is
     * dropped and counted, and the process gains no socket, descriptor or thread per source (no GC involved).
     */
    @Test
    void thousandSourcePortsCostNoSocketOrThreadEach() throws Exception {
        IceConfig config = IceConfig.loopback(0);
        try (IceHarvesters h = new IceHarvesters(config);
             IceTransport server = new IceTransport(h, false, new IceTestPeer())) {
            server.setRemoteCredentials("attk", "attackerpassword0123456");
            server.start();
            java.net.InetSocketAddress to = new java.net.InetSocketAddress(IceCandidates.loopbackV4(),
                    h.localAddresses().get(0).getPort());
            byte[] check = StunTestMessages.bindingRequest(server.localUfrag() + ":attk", server.localPassword());
            try (IceTransport warm = new IceTransport(h, false, new IceTestPeer())) { // classes, ice4j's pools
                warm.setRemoteCredentials("attk", "attackerpassword0123456");
                warm.start();
                sendFromFreshPorts(StunTestMessages.bindingRequest(warm.localUfrag() + ":attk",
                        warm.localPassword()), to, 20);
                Thread.sleep(500);
            }
            Thread.sleep(1500);
            int fds0 = fds();
            int threads0 = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
            long full0 = h.remotesFull();
            sendFromFreshPorts(check, to, 1000);
            long end = System.currentTimeMillis() + 10_000;
            while (h.remotesFull() - full0 < 500 && System.currentTimeMillis() < end) { // UDP: not all need arrive
                Thread.sleep(50);
            }
            int fds = fds();
            int threads = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
            int peakThreads = threads;
            // The admitted sources (the cap) get triggered checks on ice4j's shared pools for a while: a constant.
            for (int i = 0; i < 50 && (threads > threads0 + 6 || fds > fds0 + 2); i++) {
                Thread.sleep(100);
                fds = fds();
                threads = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
            }
            System.out.printf("1000 source ports: fds %d -> %d, threads %d -> %d (peak %d), routes %d, dropped at cap %d%n",
                    fds0, fds, threads0, threads, peakThreads, h.routes(), h.remotesFull() - full0);
            assertTrue(h.remotesFull() - full0 >= 500, "checks beyond the cap are dropped and counted");
            assertTrue(h.routes() <= config.maxRemoteAddresses(), "routes " + h.routes());
            assertTrue(fds <= fds0 + 2, "fds " + fds0 + " -> " + fds);
            assertTrue(threads <= threads0 + 6, "threads " + threads0 + " -> " + threads);
        }
    }

    /** Sends {@code check} once from each of {@code n} fresh sockets (each closed right after), paced. */
    private static void sendFromFreshPorts(byte[] check, java.net.InetSocketAddress to, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            try (java.net.DatagramSocket s = new java.net.DatagramSocket(
                    new java.net.InetSocketAddress(IceCandidates.loopbackV4(), 0))) {
                s.send(new java.net.DatagramPacket(check, check.length, to));
            }
            if (i % 50 == 49) {
                Thread.sleep(5);
            }
        }
    }

    private static int fds() {
        String[] l = new File("/proc/self/fd").list();
        return l == null ? -1 : l.length;
    }

    /** Polls {@code value} for up to 5 s until it is at most {@code target}; returns the last value. */
    /**
     * ice4j's single-thread timers live on while freed agents' STUN transactions run out their retransmissions (about
     * 10 s), and a loaded box stretches that: wait up to 30 s for the pools to come back within the bound.
     */
    private static int settlePools(int before) throws InterruptedException {
        int v = ice4jPoolThreads();
        for (int i = 0; i < 300 && v > before + 3; i++) {
            Thread.sleep(100);
            v = ice4jPoolThreads();
        }
        return v;
    }

    /** The bound UDP sockets once they equal {@code expected}, or after 5 s (a close may finish on ice4j's threads). */
    private static Set<String> settledUdp(Set<String> expected) throws IOException, InterruptedException {
        Set<String> v = boundUdpSockets();
        for (int i = 0; i < 50 && !v.equals(expected); i++) {
            Thread.sleep(100);
            v = boundUdpSockets();
        }
        return v;
    }

    private static int settle(IntSupplier value, int target) throws InterruptedException {
        int v = value.getAsInt();
        for (int i = 0; i < 50 && v > target; i++) {
            Thread.sleep(100);
            v = value.getAsInt();
        }
        return v;
    }

    private static int perTransportThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t.isAlive() && (name.startsWith("IceConnector") || name.startsWith("ice-client-reader")
                    || name.startsWith("MergingDatagramSocket"))) {
                n++;
            }
        }
        return n;
    }

    private static int ice4jPoolThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("ice4j.")) {
                n++;
            }
        }
        return n;
    }

    private static int otherThreads() {
        return Thread.getAllStackTraces().size() - ice4jPoolThreads();
    }

    private static int fdsAfterGc() {
        System.gc();
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** Inodes of this process's sockets that are bound UDP sockets (listed in /proc/net/udp{,6}). */
    private static Set<String> boundUdpSockets() throws IOException {
        Set<String> udp = new HashSet<>();
        for (String table : new String[] {"/proc/self/net/udp", "/proc/self/net/udp6"}) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] t = line.trim().split("\\s+");
                udp.add(t[9] + " " + t[1]);
            }
        }
        Set<String> mine = new HashSet<>();
        File[] fds = new File("/proc/self/fd").listFiles();
        for (File f : fds == null ? new File[0] : fds) {
            String link;
            try {
                link = Files.readSymbolicLink(f.toPath()).toString();
            } catch (IOException e) {
                continue; // closed meanwhile
            }
            if (link.startsWith("socket:[")) {
                String inode = link.substring(8, link.length() - 1);
                for (String u : udp) {
                    if (u.startsWith(inode + " ")) {
                        mine.add(u);
                    }
                }
            }
        }
        return mine;
    }
}
