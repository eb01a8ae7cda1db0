package org.janussfu.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;

/**
 * Builds the exact Hazelcast member configuration of a janus-sfu node from its {@link ClusterConfig}: nothing is
 * read from a {@code hazelcast.xml}, nothing is discovered. TCP-IP join on the configured members only; multicast,
 * cloud auto-detection, the discovery SPI, phone-home, the REST/health endpoints and port auto-increment are off;
 * the member binds {@code cluster.host} only (not the wildcard) and announces it. Stateless; used once on the main
 * thread before the cluster manager starts.
 */
public final class HazelcastSettings {
    private HazelcastSettings() {
    }

    /** JVM-wide switches that must be set before Vert.x and Hazelcast classes initialise (see docs/operations.md). */
    public static void applySystemProperties() {
        // Vert.x's own DNS resolver opens a UDP socket on 0.0.0.0; with it off, names go through the JDK resolver
        // (and the cluster configuration never contains a name).
        System.setProperty("vertx.disableDnsResolver", "true");
        System.setProperty("hazelcast.phone.home.enabled", "false");
        System.setProperty("hazelcast.logging.type", "jdk");
    }

    public static Config of(ClusterConfig c) {
        Config config = new Config();
        config.setClusterName(c.name());
        config.setInstanceName("janus-sfu-" + c.host() + "-" + c.port());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.discovery.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.socket.client.bind.any", "false");
        config.setProperty("hazelcast.socket.client.bind", "true");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.health.monitoring.level", "OFF");
        config.setProperty("hazelcast.integrity-checker.enabled", "false");
        // A dead member is declared after this many seconds without heartbeat (default 60): see operations.md.
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        // A member that finds no other waits this long before it forms a cluster alone (defaults 5 / 20 s).
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "3");
        config.getJetConfig().setEnabled(false);

        NetworkConfig net = config.getNetworkConfig();
        net.setPort(c.port()).setPortAutoIncrement(false).setPortCount(1);
        net.setPublicAddress(c.host() + ":" + c.port());
        net.getInterfaces().setEnabled(true).addInterface(c.host());
        net.getRestApiConfig().setEnabled(false);
        net.getMemcacheProtocolConfig().setEnabled(false);

        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getAwsConfig().setEnabled(false);
        join.getGcpConfig().setEnabled(false);
        join.getAzureConfig().setEnabled(false);
        join.getKubernetesConfig().setEnabled(false);
        join.getEurekaConfig().setEnabled(false);
        join.getDiscoveryConfig().getDiscoveryStrategyConfigs().clear();
        join.getTcpIpConfig().setEnabled(true).setMembers(c.members()).setConnectionTimeoutSeconds(5);
        return config;
    }
}
