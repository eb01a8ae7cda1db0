package org.janussfu.sfu;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One room (sfu-protocol.md §3.1: rooms exist implicitly while someone is in them): its publisher handles in join
 * order, every joined handle (publishers and subscribers, so data-relay snapshots of the room can be refreshed),
 * and a count of publisher handles per user for the {@code users} list and {@code max_room_size}. Owned by the
 * {@link Switchboard}; plugin context only.
 */
final class Room {

    final String id;
    final Set<Participant> publishers = new LinkedHashSet<>();
    final Set<Participant> members = new LinkedHashSet<>();
    private final Map<String, Integer> publisherHandlesByUser = new LinkedHashMap<>();

    Room(String id) {
        this.id = id;
    }

    void addPublisher(Participant p) {
        publishers.add(p);
        publisherHandlesByUser.merge(p.userId(), 1, Integer::sum);
    }

    void removePublisher(Participant p) {
        if (publishers.remove(p)) {
            publisherHandlesByUser.computeIfPresent(p.userId(), (u, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Distinct user IDs of the room's publishers (§1.3 step 2), in order of first appearance. */
    List<String> publisherUsers() {
        return List.copyOf(publisherHandlesByUser.keySet());
    }

    int distinctPublisherUsers() {
        return publisherHandlesByUser.size();
    }

    boolean hasPublisherUser(String userId) {
        return publisherHandlesByUser.containsKey(userId);
    }

    boolean isEmpty() {
        return members.isEmpty();
    }
}
