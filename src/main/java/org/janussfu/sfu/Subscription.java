package org.janussfu.sfu;

/**
 * What traffic a handle receives (sfu-protocol.md §1.3 {@code SUBSCRIPTION}): {@code notifications} = join/leave/
 * blocked/unblocked events, {@code data} = data events and data-channel relay (and, as in the original, "this
 * handle is the user's publisher", §1.3 step 3), {@code media} = the user ID whose audio/video to receive, or
 * null. Immutable; built by {@link SfuMessage#parse} on the plugin's signalling context and stored once per
 * {@link Participant}.
 */
public record Subscription(boolean notifications, boolean data, String media) {
}
