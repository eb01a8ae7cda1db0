package org.janussfu.admin;

/**
 * Settings of the Admin API listeners (immutable, validated by the configuration loader): whether they run, the
 * address both bind to, the HTTP port ({@code POST /admin...}, {@code GET /metrics}, {@code GET /health}) and the
 * WebSocket port (subprotocol {@code janus-admin-protocol}), the {@code admin_secret} ("" = none, only allowed on a
 * loopback address), the byte cap of one request, the WebSocket connection ceiling, the stored-token budgets
 * (count and bytes), whether {@code /metrics} also needs the secret (as a bearer token), how many handles one
 * {@code dashboard} request describes at most, and the packet captures' directory ("" = captures off), file size
 * cap and ring size.
 */
public record AdminConfig(boolean enabled, String host, int httpPort, int wsPort, String secret, int maxMessageBytes,
                          int maxConnections, int maxTokens, int maxTokenBytes, boolean metricsNeedSecret,
                          int dashboardMaxHandles, String pcapDir, long pcapMaxBytes, int pcapBufferBytes) {

    /** Whether {@code host} is a loopback address (a literal 127.x.x.x or ::1, or {@code localhost}). */
    public static boolean isLoopback(String host) {
        String h = host.trim();
        if (h.equalsIgnoreCase("localhost") || h.equals("::1") || h.equals("[::1]")) {
            return true;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
