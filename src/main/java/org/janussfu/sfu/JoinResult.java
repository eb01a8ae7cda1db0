package org.janussfu.sfu;

import java.util.List;

/**
 * What the plugin must do after a successful {@link Switchboard#join} (sfu-protocol.md §1.3, §2). Immutable;
 * produced and consumed on the plugin's context.
 *
 * @param roomId the joined room: the single key of {@code response.users}
 * @param users {@code response.users[roomId]}: distinct user IDs of the room's publishers before this join. It
 *     excludes the joiner, except while an older publisher handle of the same user is still in the room (the
 *     adapter's zombie detection, §1.3); for a subscriber join it normally contains the joiner's own publisher.
 * @param joinRecipients publisher handles to send {@code {"event":"join","user_id":U,"room_id":R}} to
 *     (notifications on, user ≠ joiner; empty for subscriber joins)
 * @param mediaPublisher the publisher subscribed to via {@code subscribe.media}, or null
 * @param offer that publisher's subscriber offer, to return as {@code jsep:{"type":"offer","sdp":offer}}; null
 *     exactly when {@code mediaPublisher} is null
 */
public record JoinResult(String roomId, List<String> users, List<Participant> joinRecipients,
        Participant mediaPublisher, String offer) {

    public JoinResult {
        users = List.copyOf(users);
        joinRecipients = List.copyOf(joinRecipients);
    }
}
