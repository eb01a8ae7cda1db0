package org.janussfu.core;

/**
 * The Janus core's settings (immutable, validated by the configuration loader): the name reported by
 * {@code info}, the idle time after which a session is destroyed with a {@code timeout} event (0 = never),
 * how long a session whose transport closed may still be claimed (0 = destroy it at once, Janus'
 * default), the budgets of {@link CoreLimits}, and Janus API authentication ({@link ApiAuth}: the API secret, whether
 * tokens are required, and the secret of signed tokens; "" = none).
 */
public record CoreConfig(String serverName, int sessionTimeoutSeconds, int reclaimSessionTimeoutSeconds,
                         CoreLimits limits, String apiSecret, boolean tokenAuth, String tokenAuthSecret) {

    public CoreConfig(String serverName, int sessionTimeoutSeconds, int reclaimSessionTimeoutSeconds) {
        this(serverName, sessionTimeoutSeconds, reclaimSessionTimeoutSeconds, CoreLimits.defaults(), "", false, "");
    }

    public static CoreConfig defaults() {
        return new CoreConfig("janus-sfu", 60, 0);
    }
}
