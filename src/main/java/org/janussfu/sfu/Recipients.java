package org.janussfu.sfu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The media-plane forwarding rules with block filtering (sfu-protocol.md §3.5, §4.1, §6.3, §6.4), and their
 * publication as immutable snapshots on each {@link Participant}: who receives a publisher's RTP, which publishers
 * get a subscriber's PLI/FIR, who receives a handle's data-channel messages. Owned by the {@link Switchboard} and
 * used only on the plugin's context; the snapshots it publishes are read lock-free by the media threads.
 */
final class Recipients {

    private final BlockList blocks;

    Recipients(BlockList blocks) {
        this.blocks = blocks;
    }

    /** The publisher's media subscribers not blocked with it either way (§6.3). */
    List<Participant> media(Participant publisher) {
        ArrayList<Participant> out = new ArrayList<>(publisher.mediaSubscriberSet().size());
        for (Participant s : publisher.mediaSubscriberSet()) {
            if (!blocks.isBlocked(publisher.userId(), s.userId())) {
                out.add(s);
            }
        }
        return frozen(out);
    }

    /** The publisher the subscriber receives from, unless blocked either way (§6.4). */
    List<Participant> senders(Participant subscriber) {
        Participant publisher = subscriber.mediaPublisher();
        if (publisher == null || blocks.isBlocked(publisher.userId(), subscriber.userId())) {
            return List.of();
        }
        return List.of(publisher);
    }

    /**
     * The room's publisher handles except {@code self}, not blocked with {@code userId} either way (§4.1).
     * {@code room} null (never joined) gives an empty list.
     */
    List<Participant> data(Room room, Participant self, String userId) {
        if (room == null) {
            return List.of();
        }
        ArrayList<Participant> out = new ArrayList<>(room.publishers.size());
        for (Participant q : room.publishers) {
            if (q != self && !blocks.isBlocked(userId, q.userId())) {
                out.add(q);
            }
        }
        return frozen(out);
    }

    void refreshMedia(Participant publisher) {
        publisher.publishMediaRecipients(media(publisher));
    }

    void refreshSenders(Participant subscriber) {
        subscriber.publishMediaSenders(senders(subscriber));
    }

    void refreshData(Room room, Participant p) {
        p.publishDataRecipients(p.joined() && !p.destroyed() ? data(room, p, p.userId()) : List.of());
    }

    /**
     * Refreshes the data snapshots of every handle in the room: O(publishers × (publishers + users) + members).
     * Non-publisher members of one user share one list (their own handle is never a recipient).
     */
    void refreshRoomData(Room room) {
        Map<String, List<Participant>> byUser = new HashMap<>();
        for (Participant m : room.members) {
            if (m.isPublisher()) {
                m.publishDataRecipients(data(room, m, m.userId()));
            } else {
                m.publishDataRecipients(byUser.computeIfAbsent(m.userId(), u -> data(room, null, u)));
            }
        }
    }

    /** Clears every snapshot of a destroyed participant. */
    static void clear(Participant p) {
        p.publishMediaRecipients(List.of());
        p.publishMediaSenders(List.of());
        p.publishDataRecipients(List.of());
    }

    private static List<Participant> frozen(ArrayList<Participant> list) {
        return list.isEmpty() ? List.of() : Collections.unmodifiableList(list);
    }
}
