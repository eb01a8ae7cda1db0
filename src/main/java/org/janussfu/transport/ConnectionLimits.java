package org.janussfu.transport;

/**
 * The connection ceilings shared by both transports (immutable, validated by the configuration loader): the
 * most TCP connections the two listeners hold together, and the most one remote IP address may hold (0 = no
 * per-address ceiling; Hubs users behind one NAT share an address). Counted by {@link ConnectionBudget}.
 */
public record ConnectionLimits(int maxConnections, int maxPerAddress) {
}
