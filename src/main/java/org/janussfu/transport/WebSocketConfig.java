package org.janussfu.transport;

/**
 * Settings of the WebSocket transport (immutable, validated by the configuration loader): where to listen,
 * the message size limit in bytes, optional ping/pong keepalive, the per-connection request rate limit, the
 * outbound byte budget and drain deadline of a socket, the outbound budget of all sockets together, the kernel send buffer of a socket (0 = the kernel's
 * autotuning), the upgrade and frame deadlines and the idle timeout, the shared
 * connection ceilings, and how many verticle instances share the port (0 = one per event loop).
 */
public record WebSocketConfig(boolean enabled, String host, int port, int maxMessageBytes, int pingIntervalSeconds,
                              int pingTimeoutSeconds, int maxRequestsPerSecond, int requestBurst, int instances,
                              int maxQueuedBytes, long maxQueuedBytesTotal, int drainTimeoutSeconds, int upgradeTimeoutSeconds,
                              int frameTimeoutSeconds, int idleTimeoutSeconds, int socketSendBuffer, ConnectionLimits limits) {

    /** Above this many queued bytes a socket stops being read, and its drain deadline runs. */
    public int highWaterBytes() {
        return Math.max(1, maxQueuedBytes / 4);
    }
}
