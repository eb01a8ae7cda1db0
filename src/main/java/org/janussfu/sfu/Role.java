package org.janussfu.sfu;

/**
 * The role a handle takes when it joins (sfu-protocol.md §1.3 step 3): {@link #PUBLISHER} iff its join-time
 * subscription has {@code data: true} ("this is the user's main connection"), otherwise {@link #SUBSCRIBER}.
 * Set once per {@link Participant} by the {@link Switchboard} on the plugin's context.
 */
public enum Role {
    /** The user's main connection: listed in its room, receives events, data and other users' data channels. */
    PUBLISHER,
    /** A media-receiving connection (typically one per remote user it watches). */
    SUBSCRIBER
}
