package org.janussfu.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import org.janussfu.ConfigException;
import org.janussfu.ConfigLoader;
import org.janussfu.ServerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code cluster { }} keys (defaults, validation: literal addresses only, distinct ports, members when on) and the
 * exact Hazelcast member configuration they produce (TCP-IP join on the listed members only; multicast,
 * auto-detection, cloud discovery, the discovery SPI and phone-home off; bound to {@code cluster.host} only).
 */
class ClusterConfigTest {

    static ServerConfig load(Map<String, String> env) throws ConfigException {
        return ServerConfig.from(ConfigLoader.merge(null, env));
    }

    @Test
    void offByDefault() throws Exception {
        ClusterConfig c = load(Map.of()).cluster();
        assertFalse(c.enabled());
        assertEquals("janus-sfu", c.name());
        assertEquals("127.0.0.1", c.host());
        assertEquals(5701, c.port());
        assertEquals(0, c.busPort());
        assertEquals(List.of(), c.members());
        assertEquals(0, c.drainTimeoutSeconds());
        assertTrue(c.udpRelay(), "media crosses on the UDP relay by default");
        assertEquals(0, c.mediaPort());
        assertFalse(load(Map.of("JANUS_SFU_CLUSTER_MEDIA_RELAY", "bus")).cluster().udpRelay());
        assertEquals(7000, load(Map.of("JANUS_SFU_CLUSTER_MEDIA_PORT", "7000")).cluster().mediaPort());
    }

    @Test
    void badValuesStopTheStart() {
        Map<String, String> on = Map.of("JANUS_SFU_CLUSTER_ENABLED", "true",
                "JANUS_SFU_CLUSTER_MEMBERS", "[\"127.0.0.1:5701\"]");
        assertThrows(ConfigException.class, () -> load(Map.of("JANUS_SFU_CLUSTER_ENABLED", "true")), "members needed");
        assertThrows(ConfigException.class, () -> load(with(on, "JANUS_SFU_CLUSTER_HOST", "node1.example")), "no names");
        assertThrows(ConfigException.class, () -> load(with(on, "JANUS_SFU_CLUSTER_HOST", "0.0.0.0")), "no wildcard");
        assertThrows(ConfigException.class, () -> load(with(on, "JANUS_SFU_CLUSTER_MEMBERS", "[\"node2.example:5701\"]")));
        assertThrows(ConfigException.class, () -> load(with(on, "JANUS_SFU_CLUSTER_MEMBERS", "[\"127.0.0.1\"]")), "port needed");
        assertThrows(ConfigException.class, () -> load(with(on, "JANUS_SFU_CLUSTER_MEMBERS", "[\"127.0.0.1:70000\"]")));
        assertThrows(ConfigException.class, () -> load(with(on, "JANUS_SFU_CLUSTER_BUS_PORT", "5701")), "distinct ports");
        assertThrows(ConfigException.class, () -> load(with(on, "JANUS_SFU_CLUSTER_NAME", "")));
        assertThrows(ConfigException.class, () -> load(with(on, "JANUS_SFU_CLUSTER_MEDIA_RELAY", "tcp")));
        assertThrows(ConfigException.class, () -> load(with(on, "JANUS_SFU_CLUSTER_MEDIA_PORT", "5701")), "not the member port");
        assertThrows(ConfigException.class, () -> load(with(on, "JANUS_SFU_CLUSTER_MEDIA_PORT", "70000")));
        assertThrows(ConfigException.class, () -> load(with(on, "JANUS_SFU_CLUSTER_DRAIN_TIMEOUT", "-1")));
    }

    static Map<String, String> with(Map<String, String> base, String k, String v) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(k, v);
        return m;
    }

    @Test
    void hazelcastJoinsOnlyTheConfiguredMembers() throws Exception {
        ClusterConfig c = load(Map.of("JANUS_SFU_CLUSTER_ENABLED", "true", "JANUS_SFU_CLUSTER_HOST", "10.1.2.3",
                "JANUS_SFU_CLUSTER_PORT", "6000", "JANUS_SFU_CLUSTER_BUS_PORT", "6001",
                "JANUS_SFU_CLUSTER_MEMBERS", "[\"10.1.2.3:6000\",\"10.1.2.4:6000\"]")).cluster();
        Config h = HazelcastSettings.of(c);
        JoinConfig join = h.getNetworkConfig().getJoin();
        assertFalse(join.getMulticastConfig().isEnabled(), "multicast");
        assertFalse(join.getAutoDetectionConfig().isEnabled(), "auto-detection");
        assertFalse(join.getAwsConfig().isEnabled() || join.getGcpConfig().isEnabled() || join.getAzureConfig().isEnabled()
                || join.getKubernetesConfig().isEnabled() || join.getEurekaConfig().isEnabled(), "cloud discovery");
        assertTrue(join.getDiscoveryConfig().getDiscoveryStrategyConfigs().isEmpty());
        assertTrue(join.getTcpIpConfig().isEnabled());
        assertEquals(List.of("10.1.2.3:6000", "10.1.2.4:6000"), join.getTcpIpConfig().getMembers());
        assertEquals("false", h.getProperty("hazelcast.phone.home.enabled"));
        assertEquals("false", h.getProperty("hazelcast.discovery.enabled"));
        assertEquals("false", h.getProperty("hazelcast.socket.bind.any"));
        assertEquals(6000, h.getNetworkConfig().getPort());
        assertFalse(h.getNetworkConfig().isPortAutoIncrement());
        assertEquals("10.1.2.3:6000", h.getNetworkConfig().getPublicAddress());
        assertTrue(h.getNetworkConfig().getInterfaces().isEnabled());
        assertEquals(List.of("10.1.2.3"), List.copyOf(h.getNetworkConfig().getInterfaces().getInterfaces()));
        assertFalse(h.getJetConfig().isEnabled());
    }
}
