package org.janussfu.sfu;

import java.util.List;

/**
 * The claims the plugin reads from a verified JWT (sfu-protocol.md §5.2): {@code join_hub}, {@code kick_users} and
 * the optional {@code room_ids} restriction. Immutable; produced by {@link JwtVerifier#verify} and consumed on the
 * plugin's signalling context.
 *
 * @param roomIds the rooms the token is restricted to, or null when the claim is absent (no restriction)
 */
public record JwtClaims(boolean joinHub, boolean kickUsers, List<String> roomIds) {

    public JwtClaims {
        roomIds = roomIds == null ? null : List.copyOf(roomIds);
    }

    /** §5.2: join permission = {@code join_hub && (room_ids absent || room_id ∈ room_ids)}. */
    public boolean mayJoin(String roomId) {
        return joinHub && (roomIds == null || roomIds.contains(roomId));
    }
}
