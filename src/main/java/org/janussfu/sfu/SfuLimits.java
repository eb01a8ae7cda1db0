package org.janussfu.sfu;

import org.janussfu.core.Utf8;

/**
 * The room plugin's budgets for what clients can make it hold or repeat (docs/security.md, keys
 * {@code plugin.sfu.max_*}): byte caps on every string of a message that the plugin keeps or sends on (room and
 * user ids, {@code whom}, {@code media}, {@code data} bodies, tokens), rooms on the server and per user, and the
 * block relation's per-user count and server-wide bytes. Immutable; {@link #check} is pure and runs on the
 * plugin's context before a message touches any state, so a refused string is never stored.
 */
public record SfuLimits(int maxIdBytes, int maxDataBytes, int maxTokenBytes, int maxRooms, int maxRoomsPerUser,
                        int maxBlocksPerUser, long maxBlockBytes) {

    public SfuLimits {
        if (maxIdBytes < 1 || maxDataBytes < 1 || maxTokenBytes < 1 || maxRooms < 1 || maxRoomsPerUser < 1
                || maxBlocksPerUser < 1 || maxBlockBytes < 1) {
            throw new IllegalArgumentException("plugin limits must be >= 1");
        }
    }

    /** The shipped defaults (they equal {@code conf/janus-sfu.conf}). */
    public static SfuLimits defaults() {
        return new SfuLimits(256, 65536, 8192, 10_000, 8, BlockList.MAX_TARGETS_PER_USER, BlockList.MAX_BYTES);
    }

    /** Refuses a message whose strings exceed their caps, naming the field and the limit. */
    void check(SfuMessage msg) throws SfuError {
        if (msg instanceof SfuMessage.Join j) {
            id("room_id", j.roomId());
            id("user_id", j.userId());
            token(j.token());
            if (j.subscribe() != null) {
                id("media", j.subscribe().media());
            }
        } else if (msg instanceof SfuMessage.Subscribe s) {
            id("media", s.what().media());
            token(s.token());
        } else if (msg instanceof SfuMessage.Block b) {
            id("whom", b.whom());
        } else if (msg instanceof SfuMessage.Unblock u) {
            id("whom", u.whom());
        } else if (msg instanceof SfuMessage.Data d) {
            id("whom", d.whom());
            field("body", d.body(), maxDataBytes);
        } else if (msg instanceof SfuMessage.Kick k) {
            id("room_id", k.roomId());
            id("user_id", k.userId());
            token(k.token());
        }
    }

    private void id(String name, String value) throws SfuError {
        field(name, value, maxIdBytes);
    }

    private void token(String value) throws SfuError {
        field("token", value, maxTokenBytes);
    }

    private static void field(String name, String value, int max) throws SfuError {
        if (value != null && !Utf8.fits(value, max)) {
            throw SfuError.tooLong(name, max);
        }
    }
}
