package org.janussfu.sfu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.janussfu.core.PluginHandle;
import org.janussfu.core.Replies;
import org.janussfu.core.Utf8;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The room plugin's side of the Admin API: {@code message_plugin} requests ({@code list_rooms}, {@code list_users}
 * of a room, {@code kick} of a user from a room), the {@code plugin_specific} part of {@code handle_info}, and the
 * room/user gauges of the metrics. Every read of the {@link Switchboard} hops to the plugin's own context (the only
 * thread that may touch it); the answers come back as futures. Answers use the plugin's own shape:
 * {@code {"success":true,...}} or {@code {"success":false,"error":{"msg":"..."}}}. The gauge values are copied into
 * volatile fields by {@link #refreshGauges} so that a metrics scrape reads them from any thread.
 */
public final class SfuAdmin {
    private static final Logger LOG = Logger.getLogger(SfuAdmin.class.getName());
    private static final org.janussfu.core.LogThrottle KICK_LOG = new org.janussfu.core.LogThrottle(LOG, Level.INFO, 20, 10_000);

    private final SfuPlugin plugin;
    private volatile long rooms;
    private volatile long users;
    private volatile long publisherUsers;
    private volatile long participants;

    SfuAdmin(SfuPlugin plugin) {
        this.plugin = plugin;
    }

    /** {@code message_plugin} with {@code request} (may be null); answered on the plugin context. */
    public Future<ObjectNode> handle(ObjectNode request) {
        return onPlugin(() -> {
            if (request == null) {
                return error("Missing request");
            }
            JsonNode name = request.get("request");
            if (name == null || !name.isTextual()) {
                return error("Missing request (list_rooms, list_users or kick)");
            }
            return switch (name.textValue()) {
                case "list_rooms" -> listRooms();
                case "list_users" -> listUsers(request);
                case "kick" -> kick(request);
                default -> error("Unknown request (list_rooms, list_users or kick)");
            };
        });
    }

    /** {@code plugin_specific} of one handle: room, user, role, subscription, media links (plugin context). */
    public Future<ObjectNode> describe(PluginHandle handle) {
        return onPlugin(() -> {
            Participant p = plugin.board().find(handle.id());
            if (p == null) {
                return null;
            }
            ObjectNode o = Replies.JSON.objectNode();
            o.put("joined", p.joined());
            if (p.joined()) {
                o.put("room_id", p.roomId());
                o.put("user_id", p.userId());
                o.put("role", p.role().name().toLowerCase(java.util.Locale.ROOT));
            }
            Subscription s = p.subscription();
            if (s != null) {
                ObjectNode so = o.putObject("subscription");
                so.put("notifications", s.notifications());
                so.put("data", s.data());
                if (s.media() != null) {
                    so.put("media", s.media());
                }
            }
            if (p.mediaPublisher() != null) {
                o.put("receives_media_from", p.mediaPublisher().userId());
            }
            o.put("media_subscribers", p.mediaSubscribers().size());
            o.put("negotiated", p.subscriberOffer() != null);
            return o;
        });
    }

    /** Copies room and user counts into the gauge fields (plugin context); the future completes when done. */
    public Future<Void> refreshGauges() {
        return onPlugin(() -> {
            Switchboard b = plugin.board();
            long u = 0;
            for (Room r : b.rooms()) {
                u += distinctUsers(r).size();
            }
            rooms = b.rooms().size();
            users = u;
            publisherUsers = b.publisherUsers();
            participants = b.size();
            return null;
        }).mapEmpty();
    }

    /** Rooms with someone in them, at the last {@link #refreshGauges}. */
    public long rooms() {
        return rooms;
    }

    /** Users summed over rooms (a user in two rooms counts twice), at the last refresh. */
    public long users() {
        return users;
    }

    /** Distinct users with a publisher anywhere ({@code max_ccu}'s count), at the last refresh. */
    public long publisherUsers() {
        return publisherUsers;
    }

    /** Handles known to the plugin (joined or not), at the last refresh. */
    public long participants() {
        return participants;
    }

    // ---- requests (plugin context) ----------------------------------------------------------------------------

    private ObjectNode listRooms() {
        ObjectNode o = ok();
        ArrayNode list = o.putArray("rooms");
        List<Room> rooms = new ArrayList<>(plugin.board().rooms());
        rooms.sort((a, b) -> a.id.compareTo(b.id));
        for (Room r : rooms) {
            ObjectNode e = list.addObject();
            e.put("room_id", r.id);
            e.put("users", distinctUsers(r).size());
            e.put("publisher_users", r.distinctPublisherUsers());
            e.put("handles", r.members.size());
        }
        return o;
    }

    private ObjectNode listUsers(ObjectNode request) {
        String roomId = id(request, "room_id");
        if (roomId == null) {
            return error("Missing or invalid room_id");
        }
        Room r = plugin.board().room(roomId);
        ObjectNode o = ok();
        o.put("room_id", roomId);
        ArrayNode list = o.putArray("users");
        if (r == null) {
            return o;
        }
        for (Map.Entry<String, List<Participant>> e : distinctUsers(r).entrySet()) {
            ObjectNode u = list.addObject();
            u.put("user_id", e.getKey());
            ArrayNode hs = u.putArray("handles");
            for (Participant p : e.getValue()) {
                ObjectNode h = hs.addObject();
                h.put("handle_id", p.handleId());
                h.put("role", p.role().name().toLowerCase(java.util.Locale.ROOT));
                if (p.mediaPublisher() != null) {
                    h.put("receives_media_from", p.mediaPublisher().userId());
                }
            }
        }
        return o;
    }

    /** Ends every handle of the user in the room, as the protocol's {@code kick} does for a permitted token. */
    private ObjectNode kick(ObjectNode request) {
        String roomId = id(request, "room_id");
        String userId = id(request, "user_id");
        if (roomId == null || userId == null) {
            return error("Missing or invalid room_id or user_id");
        }
        int n = 0;
        for (Participant target : plugin.board().kickTargets(userId)) {
            if (roomId.equals(target.roomId())) {
                plugin.gateway().endSession(SfuPlugin.handleOf(target));
                n++;
            }
        }
        plugin.counters.kicks.increment();
        int ended = n;
        KICK_LOG.log(() -> "admin kick room=\"" + roomId + "\" user=\"" + userId + "\" handles=" + ended);
        return ok().put("handles", n);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static Map<String, List<Participant>> distinctUsers(Room r) {
        Map<String, List<Participant>> byUser = new LinkedHashMap<>();
        for (Participant p : r.members) {
            byUser.computeIfAbsent(p.userId(), k -> new ArrayList<>()).add(p);
        }
        return byUser;
    }

    /** A string field within the plugin's id byte cap, or null. */
    private String id(ObjectNode request, String field) {
        JsonNode n = request.get(field);
        if (n == null || !n.isTextual() || !Utf8.fits(n.textValue(), plugin.config().limits().maxIdBytes())) {
            return null;
        }
        return n.textValue();
    }

    private static ObjectNode ok() {
        return Replies.JSON.objectNode().put("success", true);
    }

    private static ObjectNode error(String msg) {
        ObjectNode o = Replies.JSON.objectNode().put("success", false);
        o.putObject("error").put("msg", msg);
        return o;
    }

    private <T> Future<T> onPlugin(java.util.function.Supplier<T> work) {
        Context ctx = plugin.context();
        if (ctx == null) {
            return Future.failedFuture("plugin not started");
        }
        Promise<T> p = Promise.promise();
        ctx.runOnContext(v -> {
            try {
                p.complete(work.get());
            } catch (RuntimeException e) {
                p.fail(e);
            }
        });
        return p.future();
    }
}
