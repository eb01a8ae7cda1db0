package org.janussfu.transport;

import org.janussfu.ConfigException;
import org.janussfu.ConfigLoader;
import org.janussfu.ServerConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transport budgets in the configuration: their defaults (what docs/security.md promises), and the values the
 * loader refuses (the server then exits 78): an HTTP idle timeout that would cut parked long polls, budgets
 * below their floors.
 */
class TransportConfigTest {

    static ServerConfig load(Map<String, String> env) throws ConfigException {
        return ServerConfig.from(ConfigLoader.merge(null, env));
    }

    @Test
    void defaults() throws Exception {
        ServerConfig c = load(Map.of());
        assertEquals(4 * 1024 * 1024, c.ws().maxQueuedBytes());
        assertEquals(1024 * 1024, c.ws().highWaterBytes());
        assertEquals(128L * 1024 * 1024, c.ws().maxQueuedBytesTotal());
        assertEquals(10, c.ws().drainTimeoutSeconds());
        assertEquals(10, c.ws().upgradeTimeoutSeconds());
        assertEquals(30, c.ws().frameTimeoutSeconds());
        assertEquals(120, c.ws().idleTimeoutSeconds());
        assertEquals(262144, c.ws().socketSendBuffer());
        assertEquals(4 * 1024 * 1024, c.http().maxQueuedBytes());
        assertEquals(64L * 1024 * 1024, c.http().maxQueuedBytesTotal());
        assertEquals(10, c.http().headerTimeoutSeconds());
        assertEquals(30, c.http().bodyTimeoutSeconds());
        assertEquals(120, c.http().idleTimeoutSeconds());
        assertEquals(new ConnectionLimits(10000, 0), c.ws().limits());
        assertEquals(c.ws().limits(), c.http().limits());
        // Idle timeouts leave browsers' keepalive cadence (25-30 s) and parked long polls alone.
        assertTrue(c.ws().idleTimeoutSeconds() > 2 * 30);
        assertTrue(c.http().idleTimeoutSeconds() > c.http().longPollTimeoutSeconds());
    }

    @Test
    void refusedValues() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(
                "JANUS_SFU_TRANSPORT_HTTP_IDLE_TIMEOUT", "30")));
        assertTrue(e.getMessage().contains("transport.http.idle-timeout"), e.getMessage());
        assertThrows(ConfigException.class, () -> load(Map.of("JANUS_SFU_TRANSPORT_WS_MAX_QUEUED_BYTES", "1000")));
        assertThrows(ConfigException.class, () -> load(Map.of("JANUS_SFU_TRANSPORT_MAX_CONNECTIONS", "0")));
        assertThrows(ConfigException.class, () -> load(Map.of("JANUS_SFU_TRANSPORT_WS_DRAIN_TIMEOUT", "0")));
    }
}
