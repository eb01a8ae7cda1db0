package org.janussfu.webrtc.ice;

import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.Component;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.ice.harvest.HarvestConfig;
import org.ice4j.ice.harvest.MappingCandidateHarvesters;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Project decision 2: ice4j reaches no address beyond the configured ones. */
class IceSafetyTest {

    @Test
    void setsEveryPropertyAndIce4jSeesThem() {
        IceSafety.apply(IceConfig.loopback(0));
        assertTrue(IceSafety.isApplied());
        IceSafety.FIXED.forEach((k, v) -> assertEquals(v, System.getProperty(k), k));
        IceSafety.CLEARED.forEach(k -> assertNull(System.getProperty(k), k));
        assertNull(System.getProperty(IceSafety.STUN_KEY));
        assertEquals("false", System.getProperty("ice4j.harvest.mapping.aws.enabled"));

        HarvestConfig hc = HarvestConfig.config;
        assertFalse(hc.enableAwsHarvester());
        assertFalse(hc.useDynamicPorts());
        assertTrue(hc.stunMappingCandidateHarvesterAddresses().isEmpty());
        assertTrue(hc.getStaticMappings().isEmpty());
        assertEquals(0, MappingCandidateHarvesters.getHarvesters().length, "no AWS/STUN/static mapping harvester");

        assertTrue(AbstractUdpListener.USE_PUSH_API);
        assertEquals(IceSafety.TAILROOM, AbstractUdpListener.BYTES_TO_LEAVE_AT_END_OF_PACKET);
        assertTrue(IceSafety.TAILROOM >= 16, "GCM tag room");
        // Decision 0008: ice4j's shared-port sockets bind with SO_REUSEADDR only in a pool of two or more.
        assertTrue(IceSafety.effectiveSocketPool() >= IceSafety.MIN_SOCKET_POOL);
        assertTrue(IceBuffers.isInstalled());
    }

    @Test
    void idempotentButRefusesToSwitchStunLater() {
        IceConfig loop = IceConfig.loopback(0);
        assertDoesNotThrow(() -> IceSafety.apply(loop));
        assertDoesNotThrow(() -> IceSafety.apply(loop.withPort(12345)));
        IceConfig withStun = new IceConfig(loop.bindAddresses(), 0, null, false, "127.0.0.1:3478", true,
                IceConfig.DEFAULT_CONNECT_TIMEOUT, IceConfig.DEFAULT_CONSENT_TIMEOUT);
        assertThrows(IllegalStateException.class, () -> IceSafety.apply(withStun));
        assertNull(System.getProperty(IceSafety.STUN_KEY), "refused call changed nothing");
    }

    @Test
    void newAgentGathersOnlyTheConfiguredAddress() throws Exception {
        InetAddress loopback = IceCandidates.loopbackV4();
        try (IceHarvesters h = new IceHarvesters(IceConfig.loopback(0))) {
            Agent agent = new Agent();
            IceEndpointHarvester eh = new IceEndpointHarvester(null, h.endpoints(), 16);
            try {
                agent.setUseDynamicPorts(false);
                agent.addCandidateHarvester(eh);
                Component c = agent.createComponent(agent.createMediaStream("s"), KeepAliveStrategy.SELECTED_ONLY,
                        false);
                assertEquals(1, c.getLocalCandidateCount(), c.getLocalCandidates().toString());
                for (LocalCandidate lc : c.getLocalCandidates()) {
                    TransportAddress ta = lc.getTransportAddress();
                    assertEquals(loopback, ta.getAddress(), lc.toString());
                    assertEquals(h.localAddresses().get(0).getPort(), ta.getPort());
                }
            } finally {
                agent.free();
                eh.close();
            }
            // The same through the transport API.
            try (IceTransport t = new IceTransport(h, false, new IceTestPeer())) {
                assertEquals(1, t.localCandidates().size());
                assertTrue(t.localCandidates().get(0).contains(" 127.0.0.1 "), t.localCandidates().toString());
            }
        }
    }

    @Test
    void configRejectsUnsafeOrInvalidValues() {
        IceConfig d = IceConfig.defaults();
        assertEquals(java.util.List.of(IceCandidates.loopbackV4()), d.bindAddresses(), "safe default: loopback");
        assertEquals(10000, d.port());
        assertNull(d.stunServer());
        InetAddress any = IceCandidates.parseLiteral("0.0.0.0");
        assertThrows(IllegalArgumentException.class, () -> new IceConfig(java.util.List.of(any), 0, null, false,
                null, true, d.connectTimeout(), d.consentTimeout()));
        assertDoesNotThrow(() -> new IceConfig(java.util.List.of(any), 0, IceCandidates.parseLiteral("198.51.100.1"),
                false, null, true, d.connectTimeout(), d.consentTimeout()));
        assertThrows(IllegalArgumentException.class, () -> new IceConfig(java.util.List.of(), 0, null, false,
                null, true, d.connectTimeout(), d.consentTimeout()));
        assertThrows(IllegalArgumentException.class, () -> d.withPort(70000));
        assertThrows(IllegalArgumentException.class, () -> new IceConfig(d.bindAddresses(), 0, null, false,
                "stun.example.org", true, d.connectTimeout(), d.consentTimeout()));
        assertThrows(IllegalArgumentException.class, () -> d.withConnectTimeout(java.time.Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> IceTransport.client(new IceConfig(java.util.List.of(any), 0,
                        IceCandidates.parseLiteral("198.51.100.1"), false, null, true, d.connectTimeout(),
                        d.consentTimeout()), true, new IceTestPeer()));
    }
}
