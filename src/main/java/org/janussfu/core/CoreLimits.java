package org.janussfu.core;

/**
 * The Janus core's budgets for what clients can make it hold (docs/security.md, keys {@code limits.*}): byte caps on
 * the strings it keeps or repeats, counts per owner (connection, session, handle) and server-wide ceilings, and the
 * overload thresholds above which new sessions and joins are refused. Immutable, validated by the configuration
 * loader; read on any thread.
 *
 * @param maxSessions              sessions on the whole server
 * @param maxSessionsPerConnection sessions one WebSocket may hold (created or claimed)
 * @param maxHandles               handles on the whole server
 * @param maxHandlesPerSession     handles one session may hold
 * @param maxTransactionBytes      UTF-8 bytes of a {@code transaction}
 * @param maxOpaqueIdBytes         UTF-8 bytes of an {@code opaque_id}
 * @param maxPluginNameBytes       UTF-8 bytes of a {@code plugin} name in {@code attach}
 * @param maxCandidateBytes        UTF-8 bytes of one trickled {@code candidate} line
 * @param maxCandidatesPerHandle   trickled candidates one handle may send over its life
 * @param maxPeerConnections       PeerConnections on the whole server
 * @param overloadHeapPercent      heap used after the last GC, in % of the maximum heap, from which new sessions,
 *                                 handles and joins are refused (100 = never)
 * @param overloadFdPercent        open file descriptors, in % of the process limit, from which the same holds
 *                                 (100 = never)
 */
public record CoreLimits(int maxSessions, int maxSessionsPerConnection, int maxHandles, int maxHandlesPerSession,
                         int maxTransactionBytes, int maxOpaqueIdBytes, int maxPluginNameBytes, int maxCandidateBytes,
                         int maxCandidatesPerHandle, int maxPeerConnections, int overloadHeapPercent,
                         int overloadFdPercent) {

    /** The shipped defaults (they equal {@code conf/janus-sfu.conf}). */
    public static CoreLimits defaults() {
        return new CoreLimits(10_000, 16, 40_000, 1024, 256, 256, 64, 1024, 256, 1_000, 85, 90);
    }
}
