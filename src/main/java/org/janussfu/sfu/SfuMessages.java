package org.janussfu.sfu;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.core.Jsep;
import org.janussfu.core.PluginReply;
import org.janussfu.core.Replies;

import java.util.List;
import java.util.logging.Logger;

/**
 * Turns one {@code message} request of janus.plugin.sfu (body and optional JSEP) into switchboard operations,
 * asynchronous events and the reply's {@code data}: {@code {"success":true[,"response":R]}} or
 * {@code {"success":false,"error":{"msg":...}}} with the exact texts of sfu-protocol.md §1.10. The message is
 * processed first, then the JSEP, as in the original (§1.1). Runs only on the plugin's context.
 */
final class SfuMessages {
    private static final Logger LOG = Logger.getLogger(SfuMessages.class.getName());
    /** Kick attempts are client-triggered: a bounded number of lines per interval. */
    private static final org.janussfu.core.LogThrottle KICK_LOG = org.janussfu.core.LogThrottle.of(LOG, java.util.logging.Level.INFO);
    private final SfuPlugin plugin;
    private final PublisherNegotiator negotiator;

    SfuMessages(SfuPlugin plugin, PublisherNegotiator negotiator) {
        this.plugin = plugin;
        this.negotiator = negotiator;
    }

    PluginReply process(Participant p, ObjectNode body, Jsep jsep) {
        String error = null;
        ObjectNode response = null;
        Jsep out = null;
        SfuMessage msg = null;
        try {
            SfuMessage parsed = SfuMessage.parse(body);
            if (parsed != null) {
                plugin.config().limits().check(parsed); // a refused message never reaches the switchboard
            }
            msg = parsed;
        } catch (SfuError e) {
            error = e.text();
        }
        if (p == null || p.destroyed()) {
            error = SfuError.PARSE;
        } else {
            if (msg != null) {
                try {
                    Outcome o = handle(p, msg);
                    response = o.response;
                    out = o.jsep;
                } catch (SfuError e) {
                    error = e.text();
                }
            }
            if (jsep != null) {
                try {
                    Jsep answer = negotiate(p, jsep);
                    if (answer != null) {
                        out = answer;
                    }
                } catch (SfuError e) {
                    if (error == null) {
                        error = e.text();
                    }
                }
            }
        }
        if (error != null) {
            return refused(error);
        }
        ObjectNode data = Replies.JSON.objectNode();
        data.put("success", true);
        if (msg != null) {
            data.set("response", response == null ? Replies.JSON.objectNode() : response);
        }
        return new PluginReply(data, out);
    }

    /** The reply of a refused message: {@code {"success":false,"error":{"msg":text}}} (§1.1). */
    static PluginReply refused(String text) {
        ObjectNode data = Replies.JSON.objectNode();
        data.put("success", false);
        data.putObject("error").put("msg", text);
        return PluginReply.of(data);
    }

    /**
     * The room of a publisher join (one that counts towards {@code max_room_size} / {@code max_ccu}: §1.3, a join
     * with {@code subscribe.data}), or null for any other message, one that does not parse included.
     */
    static String publisherJoinRoom(ObjectNode body) {
        if (!"join".equals(body.path("kind").asText(null))) {
            return null; // every other message (data above all) is not parsed twice
        }
        try {
            return SfuMessage.parse(body) instanceof SfuMessage.Join j && j.subscribe() != null && j.subscribe().data()
                    ? j.roomId() : null;
        } catch (SfuError e) {
            return null;
        }
    }

    private record Outcome(ObjectNode response, Jsep jsep) {
    }

    private Outcome handle(Participant p, SfuMessage msg) throws SfuError {
        Switchboard board = plugin.board();
        if (msg instanceof SfuMessage.Join j) {
            authorizeJoin(j.token(), j.roomId());
            refuseNewUserWhenOverloaded(j);
            JoinResult r = board.join(p, j.roomId(), j.userId(), j.subscribe());
            plugin.roomEvent(SfuPlugin.handleOf(p), "join", r.roomId(), j.userId());
            plugin.cluster().joined(p);
            if (!r.joinRecipients().isEmpty()) {
                ObjectNode ev = SfuPlugin.event("join");
                ev.put("room_id", r.roomId());
                ev.put("user_id", j.userId());
                plugin.pushLocal(r.joinRecipients(), ev);
            }
            LOG.fine(() -> "joined room=\"" + r.roomId() + "\" user=\"" + j.userId() + "\" role=" + p.role());
            ObjectNode response = Replies.JSON.objectNode();
            ArrayNode users = response.putObject("users").putArray(r.roomId());
            r.users().forEach(users::add);
            return new Outcome(response, r.offer() == null ? null : Jsep.offer(r.offer()));
        }
        if (msg instanceof SfuMessage.Subscribe s) {
            if (plugin.config().auth() != null) {
                // The original accepted `subscribe` without any token (mozilla#83); with auth on it needs one.
                authorizeJoin(s.token(), p.joined() ? p.roomId() : null);
            }
            Participant target = board.subscribe(p, s.what());
            return new Outcome(Replies.JSON.objectNode(), target == null ? null : Jsep.offer(target.subscriberOffer()));
        }
        if (msg instanceof SfuMessage.Block b) {
            BlockResult r = board.block(p, b.whom());
            plugin.cluster().blockChanged(p.userId(), b.whom(), true);
            if (r.eventRecipient() != null) {
                plugin.gateway().pushEvent(SfuPlugin.handleOf(r.eventRecipient()), SfuPlugin.event("blocked").put("by", r.by()), null);
            }
            return new Outcome(Replies.JSON.objectNode(), null);
        }
        if (msg instanceof SfuMessage.Unblock u) {
            BlockResult r = board.unblock(p, u.whom());
            plugin.cluster().blockChanged(p.userId(), u.whom(), false);
            if (r.firTarget() != null) {
                plugin.gateway().sendFir(SfuPlugin.handleOf(r.firTarget()));
            }
            if (r.eventRecipient() != null) {
                plugin.gateway().pushEvent(SfuPlugin.handleOf(r.eventRecipient()), SfuPlugin.event("unblocked").put("by", r.by()), null);
            }
            return new Outcome(Replies.JSON.objectNode(), null);
        }
        if (msg instanceof SfuMessage.Data d) {
            List<Participant> to = board.data(p, d.whom());
            plugin.pushAll(to, SfuPlugin.event("data").put("body", d.body()));
            return new Outcome(Replies.JSON.objectNode(), null);
        }
        if (msg instanceof SfuMessage.Restart) {
            Participant publisher = p.mediaPublisher();
            String offer = publisher == null ? null : publisher.subscriberOffer();
            if (offer == null) {
                throw SfuError.restartNoSubscription();
            }
            plugin.counters.iceRestarts.increment();
            return new Outcome(Replies.JSON.objectNode(), Jsep.restartOffer(offer));
        }
        if (msg instanceof SfuMessage.Kick k) {
            kick(k);
            return new Outcome(Replies.JSON.objectNode(), null);
        }
        throw new IllegalStateException("unhandled message " + msg);
    }

    /**
     * While the core says the server is near a budget (memory, file descriptors, PeerConnections), a publisher join
     * of a user who has no publisher yet — someone new entering a room — is refused with the capacity text Hubs
     * already shows; users already in rooms keep subscribing to newcomers.
     */
    private void refuseNewUserWhenOverloaded(SfuMessage.Join j) throws SfuError {
        if (j.subscribe() != null && j.subscribe().data() && plugin.board().publisherOf(j.userId()) == null
                && plugin.gateway().overloadReason() != null) {
            plugin.counters.joinsRefusedOverloaded.increment();
            throw SfuError.serverFull();
        }
    }

    /** §5.2: with auth on, a join (and here a subscribe) needs a valid RS512 token that allows the room. */
    private void authorizeJoin(String token, String roomId) throws SfuError {
        JwtVerifier auth = plugin.config().auth();
        if (auth == null) {
            return;
        }
        if (token == null) {
            throw SfuError.anonymousJoin();
        }
        JwtClaims claims = auth.verify(token, System.currentTimeMillis() / 1000);
        if (roomId == null ? !claims.joinHub() : !claims.mayJoin(roomId)) {
            throw SfuError.noPermission();
        }
    }

    /**
     * §1.8, with the original's gaps closed (§11): acts only with auth on, a valid token with {@code kick_users},
     * and (when the token lists {@code room_ids}) a room it names; ends the target's handles in that room only.
     * Always answered with success, as the original does.
     */
    private void kick(SfuMessage.Kick k) {
        JwtVerifier auth = plugin.config().auth();
        if (auth == null) {
            KICK_LOG.log(() -> "kick ignored (auth disabled) room=\"" + k.roomId() + "\" user=\"" + k.userId() + "\"");
            return;
        }
        JwtClaims claims;
        try {
            claims = auth.verify(k.token(), System.currentTimeMillis() / 1000);
        } catch (SfuError e) {
            KICK_LOG.log(() -> "kick ignored (invalid token) user=\"" + k.userId() + "\"");
            return;
        }
        if (!claims.kickUsers() || (claims.roomIds() != null && !claims.roomIds().contains(k.roomId()))) {
            KICK_LOG.log(() -> "kick ignored (no permission) room=\"" + k.roomId() + "\" user=\"" + k.userId() + "\"");
            return;
        }
        int n = 0;
        for (Participant target : plugin.board().kickTargets(k.userId())) {
            if (k.roomId().equals(target.roomId())) {
                plugin.gateway().endSession(SfuPlugin.handleOf(target));
                n++;
            }
        }
        plugin.counters.kicks.increment();
        int ended = n;
        KICK_LOG.log(() -> "kicked room=\"" + k.roomId() + "\" user=\"" + k.userId() + "\" handles=" + ended);
    }

    /**
     * §1.9: an offer makes the handle a media publisher: answer it, store the subscriber offer and push it to the
     * handle's current subscribers (§2.1). An answer (a subscriber's reply to our offer) is accepted as is.
     */
    private Jsep negotiate(Participant p, Jsep jsep) throws SfuError {
        if (jsep.type() != Jsep.Type.OFFER) {
            return null;
        }
        PublisherNegotiator.Result r = negotiator.negotiate(jsep.sdp());
        List<Participant> subscribers = plugin.board().setSubscriberOffer(p, r.subscriberOffer());
        if (p.joined()) {
            plugin.cluster().offer(p);
        }
        for (Participant s : subscribers) {
            plugin.gateway().pushEvent(SfuPlugin.handleOf(s), Replies.JSON.objectNode(), Jsep.offer(r.subscriberOffer()));
        }
        return Jsep.answer(r.answer());
    }
}
