package org.janussfu.sfu;

/**
 * The plugin's runtime settings (sfu-protocol.md §5.1): the JWT verifier built from {@code auth_key} (null = auth
 * disabled: tokens ignored, {@code kick} ignored), {@code max_room_size} and {@code max_ccu} (distinct users;
 * 0 = unlimited), and the budgets of {@link SfuLimits}. Immutable; built once at start and read by the plugin and
 * its {@link Switchboard} on the plugin's context.
 */
public record SfuConfig(JwtVerifier auth, int maxRoomSize, int maxCcu, SfuLimits limits) {

    public SfuConfig {
        if (maxRoomSize < 0 || maxCcu < 0) {
            throw new IllegalArgumentException("max_room_size and max_ccu must be >= 0 (0 = unlimited)");
        }
    }

    public SfuConfig(JwtVerifier auth, int maxRoomSize, int maxCcu) {
        this(auth, maxRoomSize, maxCcu, SfuLimits.defaults());
    }

    /** No auth, no room limits, default budgets. */
    public static SfuConfig unlimited() {
        return new SfuConfig(null, 0, 0);
    }
}
