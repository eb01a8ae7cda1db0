package org.janussfu.transport;

/**
 * Settings of the HTTP REST transport (immutable, validated by the configuration loader): where to listen,
 * the base path, the long-poll timeout, the bounds (count and bytes) of a session's undelivered event queue and
 * the byte bound of all sessions' queues together,
 * the request body limit, the request header and body deadlines, the idle timeout, the shared connection
 * ceilings, the CORS origin to allow, and the number of verticle instances (0 = one per event loop).
 */
public record HttpConfig(boolean enabled, String host, int port, String basePath, int longPollTimeoutSeconds,
                         int maxQueuedEvents, int maxBodyBytes, String allowOrigin, int instances,
                         int maxQueuedBytes, long maxQueuedBytesTotal, int headerTimeoutSeconds, int bodyTimeoutSeconds,
                         int idleTimeoutSeconds, ConnectionLimits limits) {
}
