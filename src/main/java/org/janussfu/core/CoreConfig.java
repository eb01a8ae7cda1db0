package org.janussfu.core;

/**
 * The Janus core's settings (immutable, validated by the configuration loader): the name reported by
 * {@code info}, the idle time after which a session is destroyed with a {@code timeout} event (0 = never),
 * how long a session whose transport closed may still be claimed (0 = destroy it at once, Janus'
 * default), and the budgets of {@link CoreLimits}.
 */
public record CoreConfig(String serverName, int sessionTimeoutSeconds, int reclaimSessionTimeoutSeconds,
                         CoreLimits limits) {

    public CoreConfig(String serverName, int sessionTimeoutSeconds, int reclaimSessionTimeoutSeconds) {
        this(serverName, sessionTimeoutSeconds, reclaimSessionTimeoutSeconds, CoreLimits.defaults());
    }

    public static CoreConfig defaults() {
        return new CoreConfig("janus-sfu", 60, 0);
    }
}
