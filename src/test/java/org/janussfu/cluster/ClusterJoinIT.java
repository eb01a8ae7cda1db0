package org.janussfu.cluster;

import org.janussfu.testing.ChildNode;
import org.janussfu.testing.ProcSockets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 step 1: three nodes in separate JVMs form a cluster over TCP-IP join on 127.0.0.1 with distinct ports, and
 * no socket of any of them — sampled from {@code /proc} every 50 ms from process start until a few seconds after
 * the cluster formed — has a local or remote address other than 127.0.0.1 (no phone-home, no multicast, no DNS
 * resolver socket), nor listens on a port it was not given. The default (cluster off) node starts no cluster
 * manager and listens on exactly the four Janus/admin ports.
 */
class ClusterJoinIT {

    static int freePort() throws Exception {
        return org.janussfu.testing.TestServer.freePort(); // below the ephemeral range: no dialling node takes it
    }

    /** Records every socket a child holds, every 50 ms, until stopped. */
    static final class Sampler extends Thread {
        final ChildNode node;
        final Set<ProcSockets.Sock> seen = ConcurrentHashMap.newKeySet();
        volatile boolean stop;

        Sampler(ChildNode node) {
            this.node = node;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!stop && node.process.isAlive()) {
                try {
                    seen.addAll(ProcSockets.of(node.pid()));
                    Thread.sleep(50);
                } catch (Exception e) {
                    return;
                }
            }
        }
    }

    static void assertLoopbackOnly(String who, Set<ProcSockets.Sock> seen, Set<Integer> allowedListen) {
        List<String> bad = new ArrayList<>();
        for (ProcSockets.Sock s : seen) {
            if (!s.localIp().equals("127.0.0.1")) {
                bad.add("local " + s);
            }
            if (s.hasRemote() && !s.remoteIp().equals("127.0.0.1")) {
                bad.add("remote " + s);
            }
            if (s.listening() && !allowedListen.contains(s.localPort())) {
                bad.add("listening " + s);
            }
        }
        assertEquals(List.of(), bad, who + " sockets beyond its configuration (all seen: " + seen + ")");
    }

    @Test
    void threeJvmsJoinOverTcpIpOnConfiguredAddressesOnly() throws Exception {
        int n = 3;
        int[] port = new int[n];
        int[] bus = new int[n];
        for (int i = 0; i < n; i++) {
            port[i] = freePort();
            bus[i] = freePort();
        }
        String members = "[\"127.0.0.1:" + port[0] + "\",\"127.0.0.1:" + port[1] + "\",\"127.0.0.1:" + port[2] + "\"]";
        List<ChildNode> nodes = new ArrayList<>();
        List<Sampler> samplers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ChildNode c = ChildNode.start("node" + i, Map.of(
                        "JANUS_SFU_CLUSTER_ENABLED", "true",
                        "JANUS_SFU_CLUSTER_NAME", "join-it-" + port[0],
                        "JANUS_SFU_CLUSTER_HOST", "127.0.0.1",
                        "JANUS_SFU_CLUSTER_PORT", Integer.toString(port[i]),
                        "JANUS_SFU_CLUSTER_BUS_PORT", Integer.toString(bus[i]),
                        "JANUS_SFU_CLUSTER_MEMBERS", members));
                Sampler s = new Sampler(c);
                s.start();
                nodes.add(c);
                samplers.add(s);
            }
            for (ChildNode c : nodes) {
                c.awaitLog(l -> l.contains("janus-sfu started"), 120);
            }
            // Every member sees all three (its own join line or a later "member joined" line says members=3).
            for (ChildNode c : nodes) {
                c.awaitLog(l -> l.contains("cluster") && l.contains("members=3"), 90);
            }
            Thread.sleep(3000); // anything a member does shortly after forming (phone-home ran at start) is seen too
            for (int i = 0; i < n; i++) {
                samplers.get(i).stop = true;
                samplers.get(i).join(5000);
                ChildNode c = nodes.get(i);
                Set<Integer> allowed = Set.of(c.wsPort, c.httpPort, c.adminHttpPort, c.adminWsPort, port[i], bus[i]);
                Set<ProcSockets.Sock> seen = samplers.get(i).seen;
                assertLoopbackOnly("node" + i, seen, allowed);
                Set<Integer> listening = new TreeSet<>();
                for (ProcSockets.Sock s : seen) {
                    if (s.listening()) {
                        listening.add(s.localPort());
                    }
                }
                assertTrue(listening.contains(port[i]) && listening.contains(bus[i]),
                        "node" + i + " listens on its Hazelcast and event-bus ports: " + listening);
                String peer1 = "127.0.0.1:" + port[(i + 1) % n];
                String peer2 = "127.0.0.1:" + port[(i + 2) % n];
                assertTrue(seen.stream().anyMatch(s -> s.remote().equals(peer1) || s.remote().equals(peer2)
),
                        "node" + i + " is connected to a peer member: " + seen);
            }
        } finally {
            for (ChildNode c : nodes) {
                c.close();
            }
        }
    }

    @Test
    void defaultNodeStartsNoClusterManagerAndListensOnlyOnItsApiPorts() throws Exception {
        try (ChildNode c = ChildNode.start("single", Map.of())) {
            Sampler s = new Sampler(c);
            s.start();
            c.awaitLog(l -> l.contains("janus-sfu started"), 120);
            Thread.sleep(2000);
            s.stop = true;
            s.join(5000);
            assertLoopbackOnly("single node", s.seen, Set.of(c.wsPort, c.httpPort, c.adminHttpPort, c.adminWsPort));
            assertTrue(c.log.stream().noneMatch(l -> l.toLowerCase(java.util.Locale.ROOT).contains("hazelcast")
                    || l.contains("cluster joined")), "no cluster manager: " + c.tail());
        }
    }
}
