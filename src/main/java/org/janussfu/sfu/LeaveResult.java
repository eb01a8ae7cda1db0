package org.janussfu.sfu;

import java.util.List;

/**
 * What the plugin must do after {@link Switchboard#destroy} (sfu-protocol.md §3.4, §2): whether
 * {@code {"event":"leave","user_id":userId,"room_id":roomId}} is due (the destroyed handle had joined and was
 * its user's last handle, any role, any room) and to which publisher handles. Immutable; plugin context.
 *
 * @param recipients publishers of {@code roomId} with notifications on whose user ≠ {@code userId}; empty when
 *     {@code sendLeave} is false
 */
public record LeaveResult(boolean sendLeave, String userId, String roomId, List<Participant> recipients) {

    /** Nothing to send. */
    public static final LeaveResult NONE = new LeaveResult(false, null, null, List.of());

    public LeaveResult {
        recipients = List.copyOf(recipients);
    }
}
