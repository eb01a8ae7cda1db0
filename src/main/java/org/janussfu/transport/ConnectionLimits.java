package org.janussfu.transport;

/**
 * The connection ceilings shared by both transports (immutable, validated by the configuration loader): the
 * most TCP connections the two listeners hold together, the most one remote IP address may hold (0 = no
 * per-address ceiling; Hubs users behind one NAT share an address), and for connections that have not sent a byte
 * yet ({@link SilentConnections}) how many may be held and for how long. Counted by {@link ConnectionBudget}.
 */
public record ConnectionLimits(int maxConnections, int maxPerAddress, int maxSilent, int silentTimeoutSeconds) {
    /** The limits with the silent-connection defaults (4096 held for at most 10 s). */
    public ConnectionLimits(int maxConnections, int maxPerAddress) {
        this(maxConnections, maxPerAddress, 4096, 10);
    }
}
