package org.janussfu.sfu;

import org.janussfu.core.Utf8;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The server-wide block relation (sfu-protocol.md §1.5, §1.6, §3.5): blocker user ID → blocked user IDs, keyed by
 * user so it survives reconnects. A pair counts in both directions ({@link #isBlocked}); unblock removes only the
 * caller's own direction.
 *
 * <p>Unlike the original (never cleaned up, duplicates kept), memory is budgeted (docs/security.md): duplicates
 * collapse; a user keeps at most {@code maxTargetsPerUser} targets (its least recently (re)blocked one is dropped
 * first); at most {@code maxBlockers} users have blocks, and all entries together cost at most {@code maxBytes}
 * (UTF-8 bytes of the ids plus {@link #ENTRY_OVERHEAD} per entry). Over either server-wide budget the blocks of
 * the least recently changed user who is <em>offline</em> (no joined handle) go first, so an attacker minting user
 * IDs cannot erase the blocks of people in a room; when only online users hold blocks, the new block is refused.
 * Owned by the {@link Switchboard}; plugin context only.
 */
final class BlockList {

    static final int MAX_TARGETS_PER_USER = 256;
    static final int MAX_BLOCKERS = 100_000;
    static final long MAX_BYTES = 16L << 20;
    /** What one entry costs beyond its id's bytes (hash entry, node, string header), as counted by the budget. */
    static final int ENTRY_OVERHEAD = 64;

    private final int maxTargetsPerUser;
    private final int maxBlockers;
    private final long maxBytes;
    private final Predicate<String> online;
    /** Insertion order = order of the last change, for eviction. */
    private final LinkedHashMap<String, LinkedHashSet<String>> targetsByBlocker = new LinkedHashMap<>();
    private long bytes;

    BlockList() {
        this(MAX_TARGETS_PER_USER, MAX_BLOCKERS);
    }

    BlockList(int maxTargetsPerUser, int maxBlockers) {
        this(maxTargetsPerUser, maxBlockers, MAX_BYTES, user -> false);
    }

    /** @param online whether a user has a joined handle now (its blocks are evicted last) */
    BlockList(int maxTargetsPerUser, int maxBlockers, long maxBytes, Predicate<String> online) {
        this.maxTargetsPerUser = maxTargetsPerUser;
        this.maxBlockers = maxBlockers;
        this.maxBytes = maxBytes;
        this.online = online;
    }

    /**
     * Records {@code blocker → target}.
     *
     * @return user IDs whose relations changed because an older entry was evicted to stay within the budgets
     *     (empty in the normal case)
     * @throws SfuError {@link SfuError#BLOCK_LIST_FULL} when the budget is spent by online users' blocks only
     */
    List<String> add(String blocker, String target) throws SfuError {
        LinkedHashSet<String> targets = targetsByBlocker.get(blocker);
        boolean known = targets != null && targets.contains(target);
        long cost = (known ? 0 : cost(target)) + (targets == null ? cost(blocker) : 0);
        List<String> evicted = new ArrayList<>(0);
        if (!known && targets != null && targets.size() >= maxTargetsPerUser) {
            String oldest = targets.iterator().next();
            targets.remove(oldest);
            bytes -= cost(oldest);
            evicted.add(oldest);
        }
        while (bytes + cost > maxBytes || targets == null && targetsByBlocker.size() >= maxBlockers) {
            if (!evictOfflineBlocker(blocker, evicted)) {
                throw SfuError.blockListFull();
            }
        }
        if (targets == null) {
            targets = new LinkedHashSet<>();
        }
        targetsByBlocker.remove(blocker);
        targetsByBlocker.put(blocker, targets); // most recently changed goes last
        targets.remove(target);
        targets.add(target); // most recently blocked goes last
        bytes += cost;
        return evicted;
    }

    /** Drops every block of the least recently changed offline blocker other than {@code keep}. */
    private boolean evictOfflineBlocker(String keep, List<String> evicted) {
        Iterator<Map.Entry<String, LinkedHashSet<String>>> it = targetsByBlocker.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, LinkedHashSet<String>> e = it.next();
            if (e.getKey().equals(keep) || online.test(e.getKey())) {
                continue;
            }
            it.remove();
            bytes -= cost(e.getKey());
            for (String t : e.getValue()) {
                bytes -= cost(t);
            }
            evicted.add(e.getKey());
            evicted.addAll(e.getValue());
            return true;
        }
        return false;
    }

    /** Removes {@code blocker → target} (not the reverse direction). Returns whether it existed. */
    boolean remove(String blocker, String target) {
        Set<String> targets = targetsByBlocker.get(blocker);
        if (targets == null || !targets.remove(target)) {
            return false;
        }
        bytes -= cost(target);
        if (targets.isEmpty()) {
            targetsByBlocker.remove(blocker);
            bytes -= cost(blocker);
        }
        return true;
    }

    /** Whether either user blocked the other (§3.5). Null user IDs (un-joined handles) are never blocked. */
    boolean isBlocked(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return blocks(a, b) || blocks(b, a);
    }

    private boolean blocks(String blocker, String target) {
        Set<String> targets = targetsByBlocker.get(blocker);
        return targets != null && targets.contains(target);
    }

    /** Every (blocker, target) pair, oldest change first. */
    void forEach(java.util.function.BiConsumer<String, String> pair) {
        for (Map.Entry<String, LinkedHashSet<String>> e : targetsByBlocker.entrySet()) {
            for (String target : e.getValue()) {
                pair.accept(e.getKey(), target);
            }
        }
    }

    int blockers() {
        return targetsByBlocker.size();
    }

    /** Bytes charged to the budget now. */
    long bytes() {
        return bytes;
    }

    private static long cost(String id) {
        return Utf8.encodedLength(id) + ENTRY_OVERHEAD;
    }
}
