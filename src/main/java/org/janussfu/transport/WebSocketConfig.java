package org.janussfu.transport;

/**
 * Settings of the WebSocket transport (immutable, validated by the configuration loader): where to listen,
 * the frame/message size limit, optional ping/pong keepalive, the per-connection request rate limit and how
 * many verticle instances share the port (0 = one per event loop).
 */
public record WebSocketConfig(boolean enabled, String host, int port, int maxMessageBytes, int pingIntervalSeconds,
                              int pingTimeoutSeconds, int maxRequestsPerSecond, int requestBurst, int instances) {
}
