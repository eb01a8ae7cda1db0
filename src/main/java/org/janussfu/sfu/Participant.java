package org.janussfu.sfu;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The plugin's state for one Janus handle (sfu-protocol.md §3.1): the handle ID, an opaque reference to the core's
 * handle, the join state (role, room, user; set once), the subscription (set once), for publishers the current
 * subscriber offer and the handles receiving its media, and for media subscribers the publisher they receive from.
 *
 * <p>Created, mutated and destroyed only by the {@link Switchboard}, on the plugin's single signalling context;
 * the plain getters are for that context only. The three {@code ...Snapshot()} methods are the exception: they
 * return immutable lists published through {@code volatile} fields and may be read from any thread (the media
 * path) without locks. Reading a participant through a snapshot also makes its earlier writes (join state,
 * subscription) visible, because the snapshot was published after them.
 */
public final class Participant {

    private final long handleId;
    private final Object handle;
    /** A stand-in for a handle of another cluster node (issue 16): never a Janus handle of this node. */
    private final boolean mirror;

    private Role role;
    private String roomId;
    private String userId;
    private Subscription subscription;
    private String subscriberOffer;
    private boolean destroyed;

    /** Publisher side: handles registered as media subscribers of this one (§3.2), in subscription order. */
    private final Set<Participant> mediaSubscribers = new LinkedHashSet<>();
    /** Subscriber side: the publisher whose media this handle receives, or null. */
    private Participant mediaPublisher;

    private volatile List<Participant> mediaRecipientsSnapshot = List.of();
    private volatile List<Participant> mediaSendersSnapshot = List.of();
    private volatile List<Participant> dataRecipientsSnapshot = List.of();

    Participant(long handleId, Object handle) {
        this(handleId, handle, false);
    }

    Participant(long handleId, Object handle, boolean mirror) {
        this.handleId = handleId;
        this.handle = handle;
        this.mirror = mirror;
    }

    /**
     * Whether this participant mirrors a handle of another cluster node (a remote publisher, a remote user's
     * presence, or a remote node's media subscription); such participants get no join/leave events from this node.
     */
    public boolean isMirror() {
        return mirror;
    }

    public long handleId() {
        return handleId;
    }

    /** The core's handle object given to {@link Switchboard#create}; opaque here. Safe from any thread. */
    public Object handle() {
        return handle;
    }

    /** Whether the handle has joined a room (set once, §1.3). */
    public boolean joined() {
        return role != null;
    }

    /** The join role, or null before join. */
    public Role role() {
        return role;
    }

    public boolean isPublisher() {
        return role == Role.PUBLISHER;
    }

    /** The joined room, or null before join. */
    public String roomId() {
        return roomId;
    }

    /** The joined user ID, or null before join. */
    public String userId() {
        return userId;
    }

    /** The subscription set by join or {@code subscribe}, or null. */
    public Subscription subscription() {
        return subscription;
    }

    /** Whether this handle wants {@code join}/{@code leave}/{@code blocked}/{@code unblocked} events. */
    public boolean wantsNotifications() {
        return subscription != null && subscription.notifications();
    }

    /** Whether this handle wants {@code data} events (§1.7). */
    public boolean wantsData() {
        return subscription != null && subscription.data();
    }

    /** The last subscriber offer built from this handle's offer (§2.1), or null if it never negotiated. */
    public String subscriberOffer() {
        return subscriberOffer;
    }

    /** The publisher this handle receives media from, or null (also null once that publisher is destroyed). */
    public Participant mediaPublisher() {
        return mediaPublisher;
    }

    /** A copy of the handles receiving this publisher's media (not block-filtered). */
    public List<Participant> mediaSubscribers() {
        return List.copyOf(mediaSubscribers);
    }

    public boolean destroyed() {
        return destroyed;
    }

    /**
     * Handles to forward this handle's RTP/RTCP to: its media subscribers minus block pairs (§6.3, §3.5).
     * Immutable, any thread.
     */
    public List<Participant> mediaRecipientsSnapshot() {
        return mediaRecipientsSnapshot;
    }

    /**
     * Publishers to forward this handle's PLI/FIR to (and to send a FIR at {@code webrtcup}): the publisher it
     * receives from unless blocked (§6.4). Immutable, any thread.
     */
    public List<Participant> mediaSendersSnapshot() {
        return mediaSendersSnapshot;
    }

    /**
     * Handles to relay this handle's data-channel messages to: the other publisher handles of its room minus block
     * pairs (§4.1). Immutable, any thread.
     */
    public List<Participant> dataRecipientsSnapshot() {
        return dataRecipientsSnapshot;
    }

    @Override
    public String toString() {
        return "Participant[" + handleId + (role == null ? "" : " " + role + " " + userId + "@" + roomId) + "]";
    }

    // ---- mutation, Switchboard only (plugin context) ----

    void join(Role role, String roomId, String userId) {
        this.role = role;
        this.roomId = roomId;
        this.userId = userId;
    }

    void subscription(Subscription subscription) {
        this.subscription = subscription;
    }

    void subscriberOffer(String sdp) {
        this.subscriberOffer = sdp;
    }

    void markDestroyed() {
        destroyed = true;
    }

    Set<Participant> mediaSubscriberSet() {
        return mediaSubscribers;
    }

    void mediaPublisher(Participant publisher) {
        this.mediaPublisher = publisher;
    }

    void publishMediaRecipients(List<Participant> recipients) {
        mediaRecipientsSnapshot = recipients;
    }

    void publishMediaSenders(List<Participant> senders) {
        mediaSendersSnapshot = senders;
    }

    void publishDataRecipients(List<Participant> recipients) {
        dataRecipientsSnapshot = recipients;
    }
}
