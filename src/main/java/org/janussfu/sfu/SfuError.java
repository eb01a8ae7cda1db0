package org.janussfu.sfu;

/**
 * A plugin-level failure whose message is one of the exact user-facing texts of sfu-protocol.md §1.10; the
 * plugin turns it into {@code {"success":false,"error":{"msg":"<text>"}}} (§1.1). Clients match on these texts
 * (Hubs looks for {@code /\bfull\b/i}), so they must never be reworded. Created and thrown on the plugin's
 * signalling context (message parsing, JWT checks, {@link Switchboard} operations); carries no stack trace
 * because every instance is an expected outcome, not a bug.
 */
public final class SfuError extends Exception {
    private static final long serialVersionUID = 1L;

    /** §1.2: body not decodable (unknown kind, missing field, wrong type, or a non-empty body without kind). */
    public static final String PARSE = "data did not match any variant of untagged enum OptionalField";
    /** §1.3 step 1: auth enabled and the join carries no token. */
    public static final String ANONYMOUS_JOIN = "Rejecting anonymous join!";
    /** §1.3 step 1, §5.2: the token fails verification. */
    public static final String INVALID_TOKEN = "Rejecting join with invalid token!";
    /** §1.3 step 1, §5.2: token valid but {@code join_hub} false or the room not in {@code room_ids}. */
    public static final String NO_PERMISSION = "Rejecting join without permission!";
    /** §1.3 step 4: publisher join into a room at {@code max_room_size} distinct users. */
    public static final String ROOM_FULL = "Room is full.";
    /** §1.3 step 4: publisher join while the server has {@code max_ccu} distinct publishing users. */
    public static final String SERVER_FULL = "Server is full.";
    /** §1.3 step 5: second join on one handle. */
    public static final String JOIN_ONCE = "Handles may only join once!";
    /** §1.3 step 7: join-time subscription on a handle that already has one. */
    public static final String SUBSCRIBE_ONCE_HANDLE = "Handles may only subscribe once!";
    /** §1.4: {@code subscribe} message on a handle that already has a subscription. */
    public static final String SUBSCRIBE_ONCE_USER = "Users may only subscribe once!";
    /** §1.3 step 7, §1.4: {@code media} names a user without a registered publisher. */
    public static final String NO_PUBLISHER = "Can't subscribe to a nonexistent publisher.";
    /**
     * New text (not in the original plugin): {@code media} names a publisher that has not sent its first offer
     * yet, so there is no subscriber offer to return. The original panicked here (§1.3 "latent bug", §11).
     */
    public static final String NOT_NEGOTIATED = "Can't subscribe to a publisher that has not negotiated media yet.";
    /** §1.5: block before join. */
    /** Our addition ({@code restart}): only a handle receiving media has an offer of ours to restart. */
    public static final String RESTART_NO_SUBSCRIPTION = "Can't restart ICE without a media subscription.";

    public static final String BLOCK_NOT_IN_ROOM = "Cannot block when not in a room.";
    /** §1.6: unblock before join. */
    public static final String UNBLOCK_NOT_IN_ROOM = "Cannot unblock when not in a room.";
    /** §1.7: data before join. */
    public static final String DATA_NOT_IN_ROOM = "Cannot send data when not in a room.";

    /**
     * New text (not in the original plugin): a block while the server-wide block budget is spent by users who are
     * online (docs/security.md). Deliberately without the word "full" in Hubs' sense of a room being full.
     */
    public static final String BLOCK_LIST_FULL = "Cannot block: the server's block list is at its limit.";

    private SfuError(String text) {
        super(text, null, false, false);
    }

    /** The exact text for {@code error.msg}. */
    public String text() {
        return getMessage();
    }

    public static SfuError parse() {
        return new SfuError(PARSE);
    }

    public static SfuError anonymousJoin() {
        return new SfuError(ANONYMOUS_JOIN);
    }

    public static SfuError invalidToken() {
        return new SfuError(INVALID_TOKEN);
    }

    public static SfuError noPermission() {
        return new SfuError(NO_PERMISSION);
    }

    public static SfuError roomFull() {
        return new SfuError(ROOM_FULL);
    }

    public static SfuError serverFull() {
        return new SfuError(SERVER_FULL);
    }

    public static SfuError joinOnce() {
        return new SfuError(JOIN_ONCE);
    }

    public static SfuError subscribeOnceHandle() {
        return new SfuError(SUBSCRIBE_ONCE_HANDLE);
    }

    public static SfuError subscribeOnceUser() {
        return new SfuError(SUBSCRIBE_ONCE_USER);
    }

    public static SfuError noPublisher() {
        return new SfuError(NO_PUBLISHER);
    }

    public static SfuError notNegotiated() {
        return new SfuError(NOT_NEGOTIATED);
    }

    public static SfuError restartNoSubscription() {
        return new SfuError(RESTART_NO_SUBSCRIPTION);
    }

    public static SfuError blockNotInRoom() {
        return new SfuError(BLOCK_NOT_IN_ROOM);
    }

    public static SfuError unblockNotInRoom() {
        return new SfuError(UNBLOCK_NOT_IN_ROOM);
    }

    public static SfuError dataNotInRoom() {
        return new SfuError(DATA_NOT_IN_ROOM);
    }

    public static SfuError blockListFull() {
        return new SfuError(BLOCK_LIST_FULL);
    }

    /** New text: a string over its byte cap, e.g. {@code user_id is too long (limit 256 bytes).} */
    public static SfuError tooLong(String field, int maxBytes) {
        return new SfuError(field + " is too long (limit " + maxBytes + " bytes).");
    }

    /** New text: a join that would put a user in more rooms at once than {@code max_rooms_per_user} allows. */
    public static SfuError tooManyRooms(int max) {
        return new SfuError("Users may only be in " + max + " rooms at once.");
    }
}
