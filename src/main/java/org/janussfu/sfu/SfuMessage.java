package org.janussfu.sfu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A decoded client → plugin message, the {@code body} of a Janus {@code message} request (sfu-protocol.md §1.2–
 * §1.8). Immutable values; {@link #parse} runs on whichever thread handles the request (it is pure) and is
 * normally called on the plugin's signalling context.
 *
 * <p>Decoding mirrors the original's serde model ({@code OptionalField<MessageKind>}, untagged with
 * {@code deny_unknown_fields}; {@code MessageKind} internally tagged by a lowercase {@code kind}):
 * <ul>
 *   <li>a body that is exactly {@code {}} means "no message" ({@link #parse} returns null);</li>
 *   <li>any other body must be a valid message, else {@link SfuError#PARSE};</li>
 *   <li>IDs, {@code whom}, {@code media}, {@code token} and {@code body} are JSON strings only (numbers are
 *       rejected, §1.2);</li>
 *   <li>{@code Option} fields ({@code subscribe}, {@code token} in join, {@code whom} in data, {@code media})
 *       may be absent or null; required fields may not be null;</li>
 *   <li>subscription booleans default to false when absent, but a present value must be a JSON boolean (serde's
 *       {@code #[serde(default)] bool} rejects null);</li>
 *   <li>unknown keys in a message or a subscription are ignored.</li>
 * </ul>
 */
public sealed interface SfuMessage {

    /** §1.3. {@code subscribe} and {@code token} may be null. */
    record Join(String roomId, String userId, Subscription subscribe, String token) implements SfuMessage {
    }

    /**
     * §1.4 (mozilla master only): the subscription nested under {@code what}. The optional {@code token} is our
     * addition (mozilla#83, the unmerged PR #86 documents it): with auth on, a subscribe needs it.
     */
    record Subscribe(Subscription what, String token) implements SfuMessage {
    }

    /** §1.5. */
    record Block(String whom) implements SfuMessage {
    }

    /** §1.6. */
    record Unblock(String whom) implements SfuMessage {
    }

    /** §1.7. {@code whom} may be null (= everybody else in the room). */
    record Data(String whom, String body) implements SfuMessage {
    }

    /** §1.8. All three fields required; the token must be a string. */
    record Kick(String roomId, String userId, String token) implements SfuMessage {
    }

    /**
     * Our addition: a media subscriber asks for an ICE restart; the reply carries the subscription's offer with new
     * ICE credentials (what Janus' VideoRoom does for {@code configure} with {@code restart: true}). Publishers
     * restart ICE with an offer of their own (janus.js {@code iceRestart: true}) and need no message.
     */
    record Restart() implements SfuMessage {
    }

    /**
     * Decodes a message body (§1.2).
     *
     * @return the message, or null when the body is exactly {@code {}}
     * @throws SfuError with {@link SfuError#PARSE} when the body is neither {@code {}} nor a valid message
     */
    static SfuMessage parse(ObjectNode body) throws SfuError {
        if (body == null) {
            throw SfuError.parse();
        }
        if (body.isEmpty()) {
            return null;
        }
        JsonNode kind = body.get("kind");
        if (kind == null || !kind.isTextual()) {
            throw SfuError.parse();
        }
        switch (kind.textValue()) {
            case "join":
                return new Join(required(body, "room_id"), required(body, "user_id"),
                        optionalSubscription(body, "subscribe"), optional(body, "token"));
            case "subscribe":
                Subscription what = optionalSubscription(body, "what");
                if (what == null) {
                    throw SfuError.parse();
                }
                return new Subscribe(what, optional(body, "token"));
            case "block":
                return new Block(required(body, "whom"));
            case "unblock":
                return new Unblock(required(body, "whom"));
            case "data":
                return new Data(optional(body, "whom"), required(body, "body"));
            case "restart":
                return new Restart();
            case "kick":
                return new Kick(required(body, "room_id"), required(body, "user_id"), required(body, "token"));
            default:
                throw SfuError.parse();
        }
    }

    private static String required(JsonNode object, String field) throws SfuError {
        JsonNode value = object.get(field);
        if (value == null || !value.isTextual()) {
            throw SfuError.parse();
        }
        return value.textValue();
    }

    private static String optional(JsonNode object, String field) throws SfuError {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw SfuError.parse();
        }
        return value.textValue();
    }

    private static Subscription optionalSubscription(JsonNode object, String field) throws SfuError {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw SfuError.parse();
        }
        return new Subscription(flag(value, "notifications"), flag(value, "data"), optional(value, "media"));
    }

    private static boolean flag(JsonNode subscription, String field) throws SfuError {
        JsonNode value = subscription.get(field);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw SfuError.parse();
        }
        return value.booleanValue();
    }
}
