package org.janussfu.sfu;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server-wide block relation (sfu-protocol.md §1.5, §1.6, §3.5): blocker user ID → blocked user IDs, keyed by
 * user so it survives reconnects. A pair counts in both directions ({@link #isBlocked}); unblock removes only the
 * caller's own direction.
 *
 * <p>Unlike the original (never cleaned up, duplicates kept), memory is bounded: duplicates collapse, a user keeps
 * at most {@link #MAX_TARGETS_PER_USER} targets (the least recently (re)blocked one is dropped first) and at most
 * {@link #MAX_BLOCKERS} users have blocks (the user whose list changed least recently loses all its blocks first).
 * Both limits are far beyond what a client does (one block per click on another avatar). Owned by the
 * {@link Switchboard}; plugin context only.
 */
final class BlockList {

    static final int MAX_TARGETS_PER_USER = 1024;
    static final int MAX_BLOCKERS = 100_000;

    private final int maxTargetsPerUser;
    private final int maxBlockers;
    /** Insertion order = order of the last change, for eviction. */
    private final LinkedHashMap<String, LinkedHashSet<String>> targetsByBlocker = new LinkedHashMap<>();

    BlockList() {
        this(MAX_TARGETS_PER_USER, MAX_BLOCKERS);
    }

    BlockList(int maxTargetsPerUser, int maxBlockers) {
        this.maxTargetsPerUser = maxTargetsPerUser;
        this.maxBlockers = maxBlockers;
    }

    /**
     * Records {@code blocker → target}.
     *
     * @return user IDs whose relations changed because an older entry was evicted to stay within the bounds
     *     (empty in the normal case)
     */
    List<String> add(String blocker, String target) {
        LinkedHashSet<String> targets = targetsByBlocker.remove(blocker);
        if (targets == null) {
            targets = new LinkedHashSet<>();
        }
        targetsByBlocker.put(blocker, targets); // most recently changed goes last
        targets.remove(target);
        targets.add(target); // most recently blocked goes last
        List<String> evicted = new ArrayList<>(0);
        if (targets.size() > maxTargetsPerUser) {
            Iterator<String> oldest = targets.iterator();
            evicted.add(oldest.next());
            oldest.remove();
        }
        if (targetsByBlocker.size() > maxBlockers) {
            Iterator<Map.Entry<String, LinkedHashSet<String>>> oldest = targetsByBlocker.entrySet().iterator();
            Map.Entry<String, LinkedHashSet<String>> entry = oldest.next();
            evicted.add(entry.getKey());
            evicted.addAll(entry.getValue());
            oldest.remove();
        }
        return evicted;
    }

    /** Removes {@code blocker → target} (not the reverse direction). Returns whether it existed. */
    boolean remove(String blocker, String target) {
        Set<String> targets = targetsByBlocker.get(blocker);
        if (targets == null || !targets.remove(target)) {
            return false;
        }
        if (targets.isEmpty()) {
            targetsByBlocker.remove(blocker);
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

    int blockers() {
        return targetsByBlocker.size();
    }
}
