package org.janussfu.cluster;

import java.util.List;

/**
 * The {@code cluster { }} section of the configuration (issue 16, decision 0014): whether this node joins a
 * Hazelcast cluster through the Vert.x cluster manager, the cluster's name, the literal address it binds and
 * announces, the Hazelcast member port, the event-bus port and the TCP-IP member list ({@code host:port}, literal
 * addresses only, never resolved), how RTP crosses between nodes ({@code media-relay}: {@code udp}, the
 node-to-node relay on {@code host:media-port}, or {@code bus}, the clustered event bus) and how long SIGTERM drains
 the node before it stops. Immutable; built and validated by {@code ServerConfig} on the main thread.
 */
public record ClusterConfig(boolean enabled, String name, String host, int port, int busPort, List<String> members,
                            int drainTimeoutSeconds, boolean udpRelay, int mediaPort) {

    public ClusterConfig {
        members = List.copyOf(members);
    }

    /** The single-node default: no cluster manager. */
    public static ClusterConfig off() {
        return new ClusterConfig(false, "janus-sfu", "127.0.0.1", 5701, 0, List.of(), 0, true, 0);
    }
}
