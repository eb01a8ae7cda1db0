package org.janussfu.sfu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plugin's room state (sfu-protocol.md §3.2 "global state"): every {@link Participant}, rooms, the user →
 * handles index, the user → publisher map, media subscriptions and the block relation; and the rules of §1.3–§1.7,
 * §3.3–§3.5 and §4.1 that read and change them.
 *
 * <p>Threading: single-threaded by design. One instance is owned by the plugin and used only on the plugin's one
 * Vert.x context; there are no locks, and no method may be called from elsewhere. What the media path (other
 * threads) needs is published per participant as immutable, {@code volatile} snapshots
 * ({@link Participant#mediaRecipientsSnapshot()}, {@link Participant#mediaSendersSnapshot()},
 * {@link Participant#dataRecipientsSnapshot()}), recomputed here after every change that can affect them. A
 * change touches only the affected room(s) and users, never the whole server.
 *
 * <p>Deliberate fixes of the original (§11): a join is atomic (a failing subscribe step leaves the handle
 * un-joined and nothing registered); the newest publisher handle of a user is the one subscribers get (§3.3) and
 * destroying an older one does not unregister it (if the newest goes away, the newest remaining one takes over);
 * subscribing to a publisher that never negotiated fails with {@link SfuError#NOT_NEGOTIATED} instead of
 * crashing; a user already counted by {@code max_room_size}/{@code max_ccu} (a reconnect while the stale
 * publisher handle still exists) is not refused by his own stale entry, since re-joining does not raise the
 * number of distinct users; blocks are bounded ({@link BlockList}).
 *
 * <p>Nothing here sends anything: operations return what the plugin must send and to whom.
 */
public final class Switchboard {

    private final int maxRoomSize;
    private final int maxCcu;
    private final int maxRooms;
    private final int maxRoomsPerUser;

    private final Map<Long, Participant> handles = new HashMap<>();
    private final Map<String, Room> rooms = new HashMap<>();
    /** Joined handles of each user (any role, any room), in join order. */
    private final Map<String, List<Participant>> handlesByUser = new HashMap<>();
    /** The user's newest live publisher handle; an entry exists iff the user has a publisher anywhere. */
    private final Map<String, Participant> publisherByUser = new HashMap<>();
    private final BlockList blocks;
    private final Recipients recipients;
    /** Told when a mirrored publisher gains its first or loses its last media subscriber (cluster, issue 16). */
    private java.util.function.Consumer<Participant> mirrorSubscribersChanged = p -> { };

    /** @param config the room limits ({@code maxRoomSize}, {@code maxCcu}; 0 = unlimited) and the budgets */
    public Switchboard(SfuConfig config) {
        SfuLimits l = config.limits();
        if (config.maxRoomSize() < 0 || config.maxCcu() < 0) {
            throw new IllegalArgumentException("limits must be >= 0 (0 = unlimited)");
        }
        this.maxRoomSize = config.maxRoomSize();
        this.maxCcu = config.maxCcu();
        this.maxRooms = l.maxRooms();
        this.maxRoomsPerUser = l.maxRoomsPerUser();
        this.blocks = new BlockList(l.maxBlocksPerUser(), BlockList.MAX_BLOCKERS, l.maxBlockBytes(),
                handlesByUser::containsKey);
        this.recipients = new Recipients(blocks);
    }

    /** Limits in distinct users; 0 = unlimited (§5.1). */
    public Switchboard(int maxRoomSize, int maxCcu) {
        this(new SfuConfig(null, maxRoomSize, maxCcu));
    }

    Switchboard(int maxRoomSize, int maxCcu, BlockList blocks) {
        if (maxRoomSize < 0 || maxCcu < 0) {
            throw new IllegalArgumentException("limits must be >= 0 (0 = unlimited)");
        }
        this.maxRoomSize = maxRoomSize;
        this.maxCcu = maxCcu;
        this.maxRooms = SfuLimits.defaults().maxRooms();
        this.maxRoomsPerUser = SfuLimits.defaults().maxRoomsPerUser();
        this.blocks = blocks;
        this.recipients = new Recipients(blocks);
    }

    // ---------------------------------------------------------------- handles

    /** A handle was attached. {@code handle} is the core's handle object, kept opaque. */
    public Participant create(long handleId, Object handle) {
        if (handles.containsKey(handleId)) {
            throw new IllegalStateException("handle " + handleId + " already exists");
        }
        Participant p = new Participant(handleId, handle);
        handles.put(handleId, p);
        return p;
    }

    /** The live participant of a handle ID, or null. */
    public Participant find(long handleId) {
        return handles.get(handleId);
    }

    /** Number of live participants. */
    public int size() {
        return handles.size();
    }

    /** The rooms, read-only, for the Admin API ({@link SfuAdmin}); plugin context only. */
    java.util.Collection<Room> rooms() {
        return java.util.Collections.unmodifiableCollection(rooms.values());
    }

    /** One room, or null; plugin context only. */
    Room room(String roomId) {
        return rooms.get(roomId);
    }

    /** Distinct user ids with a publisher anywhere (the {@code max_ccu} count); plugin context only. */
    int publisherUsers() {
        return publisherByUser.size();
    }

    /**
     * The handle is gone (§3.4): unregisters it everywhere, drops its media links both ways, refreshes the affected
     * snapshots and tells whether a {@code leave} is due (its user has no handle left, any role, any room).
     * Idempotent: a second call returns {@link LeaveResult#NONE}.
     */
    public LeaveResult destroy(Participant p) {
        if (p.destroyed()) {
            return LeaveResult.NONE;
        }
        p.markDestroyed();
        handles.remove(p.handleId(), p);
        Participant publisher = p.mediaPublisher();
        if (publisher != null) {
            publisher.mediaSubscriberSet().remove(p);
            p.mediaPublisher(null);
            recipients.refreshMedia(publisher);
            if (publisher.isMirror()) {
                mirrorSubscribersChanged.accept(publisher);
            }
        }
        for (Participant subscriber : p.mediaSubscriberSet()) {
            subscriber.mediaPublisher(null);
            subscriber.publishMediaSenders(List.of());
        }
        p.mediaSubscriberSet().clear();
        Recipients.clear(p);
        if (!p.joined()) {
            return LeaveResult.NONE;
        }

        String userId = p.userId();
        Room room = rooms.get(p.roomId());
        room.members.remove(p);
        List<Participant> userHandles = handlesByUser.get(userId);
        userHandles.remove(p);
        if (p.isPublisher()) {
            room.removePublisher(p);
            if (publisherByUser.get(userId) == p) {
                Participant successor = newestPublisher(userHandles);
                if (successor == null) {
                    publisherByUser.remove(userId);
                } else {
                    publisherByUser.put(userId, successor);
                }
            }
            recipients.refreshRoomData(room);
        }
        if (room.isEmpty()) {
            rooms.remove(room.id);
        }
        if (!userHandles.isEmpty()) {
            return LeaveResult.NONE;
        }
        handlesByUser.remove(userId);
        return new LeaveResult(true, userId, room.id, notifiable(room, userId));
    }

    // ---------------------------------------------------------------- cluster mirrors (issue 16)

    /** A participant standing for a handle of another node; {@code id} must not collide with a core handle ID. */
    public Participant createMirror(long id, Object handle) {
        if (handles.containsKey(id)) {
            throw new IllegalStateException("handle " + id + " already exists");
        }
        Participant p = new Participant(id, handle, true);
        handles.put(id, p);
        return p;
    }

    /**
     * Registers a join that another node already accepted (its limits were checked there against the same
     * cluster-wide view): no capacity, budget or once-only checks, never throws.
     *
     * @return the local handles to tell {@code join} (publishers with notifications, other user)
     */
    public List<Participant> mirrorJoin(Participant p, String roomId, String userId, Subscription subscribe) {
        requireLive(p);
        Role role = subscribe != null && subscribe.data() ? Role.PUBLISHER : Role.SUBSCRIBER;
        p.join(role, roomId, userId);
        Room room = rooms.computeIfAbsent(roomId, Room::new);
        room.members.add(p);
        handlesByUser.computeIfAbsent(userId, u -> new ArrayList<>(2)).add(p);
        if (subscribe != null) {
            p.subscription(subscribe);
        }
        if (role == Role.PUBLISHER) {
            room.addPublisher(p);
            publisherByUser.put(userId, p);
            recipients.refreshRoomData(room);
            return notifiable(room, userId);
        }
        recipients.refreshData(room, p);
        return List.of();
    }

    /** Applies a block or unblock made on another node (the events went out there). */
    public void mirrorBlock(String by, String whom, boolean block) {
        if (block) {
            List<String> evicted;
            try {
                evicted = blocks.add(by, whom);
            } catch (SfuError e) {
                return; // over this node's block budget (the same as the origin's): the origin holds the block
            }
            for (String user : evicted) {
                refreshUser(user);
            }
        } else if (!blocks.remove(by, whom)) {
            return;
        }
        refreshUser(by);
        refreshUser(whom);
    }

    /** Makes {@code relay} (another node's subscription, never joined) a media subscriber of {@code publisher}. */
    public void linkRelay(Participant relay, Participant publisher) {
        requireLive(relay);
        requireLive(publisher);
        if (relay.mediaPublisher() == null) {
            link(relay, publisher);
        }
    }

    /** Installs the callback told when a mirrored publisher's set of media subscribers changes. */
    public void onMirrorSubscribersChanged(java.util.function.Consumer<Participant> listener) {
        this.mirrorSubscribersChanged = listener;
    }

    /** Joined handles of a user on this node's board (mirrors included). */
    public boolean hasUser(String userId) {
        return handlesByUser.containsKey(userId);
    }

    // ---------------------------------------------------------------- join / subscribe

    /**
     * {@code join} (§1.3 steps 2–7; the caller has done step 1, auth). Order: users list (before registration),
     * role, capacity (publisher joins only), once-only join, subscribe validation; then everything is registered
     * at once, or nothing when any step throws.
     *
     * @param subscribe the join-time subscription, or null
     * @throws SfuError {@link SfuError#ROOM_FULL}, {@link SfuError#SERVER_FULL}, {@link SfuError#JOIN_ONCE},
     *     {@link SfuError#SUBSCRIBE_ONCE_HANDLE}, {@link SfuError#NO_PUBLISHER}, {@link SfuError#NOT_NEGOTIATED}
     */
    public JoinResult join(Participant p, String roomId, String userId, Subscription subscribe) throws SfuError {
        requireLive(p);
        Room room = rooms.get(roomId);
        List<String> users = room == null ? List.of() : room.publisherUsers();
        Role role = subscribe != null && subscribe.data() ? Role.PUBLISHER : Role.SUBSCRIBER;
        if (role == Role.PUBLISHER) {
            checkCapacity(room, userId);
        }
        if (p.joined()) {
            throw SfuError.joinOnce();
        }
        checkRoomBudget(room, roomId, userId);
        Participant target = null;
        if (subscribe != null) {
            if (p.subscription() != null) {
                throw SfuError.subscribeOnceHandle();
            }
            if (subscribe.media() != null) {
                target = mediaTarget(subscribe.media(), role == Role.PUBLISHER ? p : null, userId);
            }
        }

        // Register: nothing below throws.
        p.join(role, roomId, userId);
        if (room == null) {
            room = new Room(roomId);
            rooms.put(roomId, room);
        }
        room.members.add(p);
        handlesByUser.computeIfAbsent(userId, u -> new ArrayList<>(2)).add(p);
        if (role == Role.PUBLISHER) {
            room.addPublisher(p);
            publisherByUser.put(userId, p); // newest wins (§3.3)
        }
        if (subscribe != null) {
            p.subscription(subscribe);
        }
        if (target != null) {
            link(p, target);
        } else if (p.mediaPublisher() != null) {
            // Subscribed before joining (§1.4): its user is known now, so block filtering may change.
            recipients.refreshMedia(p.mediaPublisher());
            recipients.refreshSenders(p);
        }
        if (role == Role.PUBLISHER) {
            recipients.refreshRoomData(room);
        } else {
            recipients.refreshData(room, p);
        }
        List<Participant> joinRecipients = role == Role.PUBLISHER ? notifiable(room, userId) : List.of();
        return new JoinResult(roomId, users, joinRecipients, target, target == null ? null : target.subscriberOffer());
    }

    /**
     * {@code subscribe} (§1.4, mozilla only): sets the subscription (no join needed) and, with {@code media},
     * subscribes to that user's publisher.
     *
     * @return the publisher whose {@link Participant#subscriberOffer()} is to be returned as the offer, or null
     * @throws SfuError {@link SfuError#SUBSCRIBE_ONCE_USER}, {@link SfuError#NO_PUBLISHER},
     *     {@link SfuError#NOT_NEGOTIATED}
     */
    public Participant subscribe(Participant p, Subscription what) throws SfuError {
        requireLive(p);
        if (p.subscription() != null) {
            throw SfuError.subscribeOnceUser();
        }
        Participant target = what.media() == null ? null
                : mediaTarget(what.media(), p.isPublisher() ? p : null, p.userId());
        p.subscription(what);
        if (target != null) {
            link(p, target);
        }
        return target;
    }

    /**
     * The publisher negotiated (§1.9, §2.1): stores its new subscriber offer.
     *
     * @return the handles currently subscribed to its media, to push the renegotiation offer to (not
     *     block-filtered, §2)
     */
    public List<Participant> setSubscriberOffer(Participant publisher, String sdp) {
        requireLive(publisher);
        publisher.subscriberOffer(sdp);
        return List.copyOf(publisher.mediaSubscriberSet());
    }

    // ---------------------------------------------------------------- block / data / kick

    /**
     * {@code block} (§1.5): records caller → {@code whom} and refreshes both users' snapshots.
     *
     * @throws SfuError {@link SfuError#BLOCK_NOT_IN_ROOM}
     */
    public BlockResult block(Participant p, String whom) throws SfuError {
        requireLive(p);
        if (!p.joined()) {
            throw SfuError.blockNotInRoom();
        }
        List<String> evicted = blocks.add(p.userId(), whom);
        refreshUser(p.userId());
        refreshUser(whom);
        for (String user : evicted) {
            refreshUser(user);
        }
        Participant target = publisherByUser.get(whom);
        return new BlockResult(p.userId(), target != null && target.wantsNotifications() ? target : null, null);
    }

    /**
     * {@code unblock} (§1.6): removes caller → {@code whom} only (a block the other way stays).
     *
     * @throws SfuError {@link SfuError#UNBLOCK_NOT_IN_ROOM}
     */
    public BlockResult unblock(Participant p, String whom) throws SfuError {
        requireLive(p);
        if (!p.joined()) {
            throw SfuError.unblockNotInRoom();
        }
        if (blocks.remove(p.userId(), whom)) {
            refreshUser(p.userId());
            refreshUser(whom);
        }
        Participant target = publisherByUser.get(whom);
        return new BlockResult(p.userId(), target != null && target.wantsNotifications() ? target : null, target);
    }

    /** Whether either user blocked the other (§3.5). */
    /** Every block this node knows (its own users' and other nodes'), for a node that joins the cluster later. */
    public void forEachBlock(java.util.function.BiConsumer<String, String> pair) {
        blocks.forEach(pair);
    }

    public boolean isBlocked(String userA, String userB) {
        return blocks.isBlocked(userA, userB);
    }

    /**
     * {@code data} (§1.7): the publisher handles of the caller's room to send {@code {"event":"data",...}} to —
     * with {@code whom}, those of user {@code whom} (possibly the caller) with {@code data: true}; without, those
     * with {@code data: true} whose user is not the caller. Not block-filtered.
     *
     * @throws SfuError {@link SfuError#DATA_NOT_IN_ROOM}
     */
    public List<Participant> data(Participant p, String whom) throws SfuError {
        requireLive(p);
        if (!p.joined()) {
            throw SfuError.dataNotInRoom();
        }
        List<Participant> out = new ArrayList<>();
        for (Participant q : rooms.get(p.roomId()).publishers) {
            boolean addressed = whom != null ? whom.equals(q.userId()) : !p.userId().equals(q.userId());
            if (addressed && q.wantsData()) {
                out.add(q);
            }
        }
        return List.copyOf(out);
    }

    /** {@code kick} (§1.8): every joined handle of the user (publishers, including stale ones, and subscribers). */
    public List<Participant> kickTargets(String userId) {
        return List.copyOf(handlesByUser.getOrDefault(userId, List.of()));
    }

    /** The user's current (newest) publisher handle, or null. */
    public Participant publisherOf(String userId) {
        return publisherByUser.get(userId);
    }

    // ---------------------------------------------------------------- media-plane queries

    /** Handles receiving {@code publisher}'s RTP: its media subscribers not blocked with it (§6.3, §3.5). */
    public List<Participant> mediaRecipients(Participant publisher) {
        return recipients.media(publisher);
    }

    /** Publishers {@code subscriber} receives from, not blocked with it: PLI/FIR targets (§6.4). */
    public List<Participant> mediaSenders(Participant subscriber) {
        return recipients.senders(subscriber);
    }

    /**
     * Data-channel relay targets of {@code sender} (§4.1): the other publisher handles of its room, not blocked
     * with it either way; empty if it never joined.
     */
    public List<Participant> dataRecipients(Participant sender) {
        if (!sender.joined() || sender.destroyed()) {
            return List.of();
        }
        return recipients.data(rooms.get(sender.roomId()), sender, sender.userId());
    }

    // ---------------------------------------------------------------- internals

    /** Rooms on the server ({@code max_rooms}: "Server is full.") and rooms one user is in at once. */
    private void checkRoomBudget(Room room, String roomId, String userId) throws SfuError {
        if (room == null && rooms.size() >= maxRooms) {
            throw SfuError.serverFull();
        }
        List<Participant> mine = handlesByUser.get(userId);
        if (mine == null || mine.size() < maxRoomsPerUser) {
            return; // fewer handles than the cap: fewer rooms too
        }
        java.util.Set<String> in = new java.util.HashSet<>();
        for (Participant h : mine) {
            in.add(h.roomId());
        }
        if (!in.contains(roomId) && in.size() >= maxRoomsPerUser) {
            throw SfuError.tooManyRooms(maxRoomsPerUser);
        }
    }

    private void checkCapacity(Room room, String userId) throws SfuError {
        // A user who already has a publisher (here / anywhere) does not add a distinct user, so a reconnect while
        // the stale handle still exists is not refused by that stale handle.
        if (maxRoomSize > 0 && room != null && !room.hasPublisherUser(userId)
                && room.distinctPublisherUsers() >= maxRoomSize) {
            throw SfuError.roomFull();
        }
        if (maxCcu > 0 && !publisherByUser.containsKey(userId) && publisherByUser.size() >= maxCcu) {
            throw SfuError.serverFull();
        }
    }

    /** The publisher {@code media} names, as it will be after registering {@code self} (if a publisher). */
    private Participant mediaTarget(String media, Participant self, String selfUser) throws SfuError {
        Participant target = self != null && media.equals(selfUser) ? self : publisherByUser.get(media);
        if (target == null) {
            throw SfuError.noPublisher();
        }
        if (target.subscriberOffer() == null) {
            throw SfuError.notNegotiated();
        }
        return target;
    }

    private void link(Participant subscriber, Participant publisher) {
        subscriber.mediaPublisher(publisher);
        publisher.mediaSubscriberSet().add(subscriber);
        recipients.refreshMedia(publisher);
        recipients.refreshSenders(subscriber);
        if (publisher.isMirror()) {
            mirrorSubscribersChanged.accept(publisher);
        }
    }

    private static Participant newestPublisher(List<Participant> userHandles) {
        for (int i = userHandles.size() - 1; i >= 0; i--) {
            if (userHandles.get(i).isPublisher()) {
                return userHandles.get(i);
            }
        }
        return null;
    }

    /** Publishers of the room with notifications on whose user is not {@code userId} (§2 join/leave). */
    private static List<Participant> notifiable(Room room, String userId) {
        List<Participant> out = new ArrayList<>();
        for (Participant q : room.publishers) {
            if (q.wantsNotifications() && !userId.equals(q.userId())) {
                out.add(q);
            }
        }
        return out;
    }

    /** After a block change involving {@code userId}: every snapshot that filters on that user's pairs. */
    private void refreshUser(String userId) {
        for (Participant h : handlesByUser.getOrDefault(userId, List.of())) {
            recipients.refreshData(rooms.get(h.roomId()), h);
            recipients.refreshSenders(h);
            if (!h.mediaSubscriberSet().isEmpty()) {
                recipients.refreshMedia(h);
            }
        }
    }

    private static void requireLive(Participant p) {
        if (p.destroyed()) {
            throw new IllegalStateException(p + " was destroyed");
        }
    }
}
