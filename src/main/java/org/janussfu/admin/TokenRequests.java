package org.janussfu.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.core.ApiAuth;
import org.janussfu.core.JanusError;
import org.janussfu.core.JanusException;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Admin API's stored-token requests ({@code add_token}, {@code allow_token}, {@code disallow_token},
 * {@code list_tokens}, {@code remove_token}) on the core's {@link ApiAuth}, with Janus 1.1.2's replies and errors:
 * without stored-token authentication (token auth off, or signed tokens) every one is a 490 {@code Stored-Token based
 * authentication disabled}; a token added without {@code plugins} may attach to every plugin. Budgets: the token's
 * bytes and the number of stored tokens ({@link AdminConfig}). Stateless apart from its collaborators; any thread
 * (the token table is concurrent). A refused token is never stored.
 */
final class TokenRequests {
    private final ApiAuth auth;
    private final Set<String> plugins;
    private final AdminConfig config;

    TokenRequests(ApiAuth auth, Set<String> plugins, AdminConfig config) {
        this.auth = auth;
        this.plugins = plugins;
        this.config = config;
    }

    static boolean handles(String request) {
        return switch (request) {
            case "add_token", "allow_token", "disallow_token", "list_tokens", "remove_token" -> true;
            default -> false;
        };
    }

    ObjectNode handle(String request, String tx, ObjectNode req) throws JanusException {
        if (!auth.tokenAuth() || auth.signedTokens()) {
            throw new JanusException(JanusError.UNKNOWN, "Stored-Token based authentication disabled");
        }
        return switch (request) {
            case "add_token" -> add(tx, req);
            case "allow_token" -> change(tx, req, true);
            case "disallow_token" -> change(tx, req, false);
            case "list_tokens" -> list(tx);
            case "remove_token" -> remove(tx, req);
            default -> throw new IllegalArgumentException(request);
        };
    }

    private ObjectNode add(String tx, ObjectNode req) throws JanusException {
        String token = token(req);
        JsonNode allowed = req.get("plugins");
        if (allowed != null && !allowed.isNull() && !allowed.isArray()) {
            throw AdminJson.wrongType("plugins", "an array");
        }
        Set<String> scope = allowed != null && allowed.isArray() && !allowed.isEmpty() ? knownPlugins(allowed) : plugins;
        if (!auth.tokens().containsKey(token) && auth.tokens().size() >= config.maxTokens()) {
            throw new JanusException(JanusError.UNKNOWN, "Error adding token (limit " + config.maxTokens() + " tokens)");
        }
        auth.addToken(token, scope);
        return withPlugins(tx, token);
    }

    private ObjectNode change(String tx, ObjectNode req, boolean allow) throws JanusException {
        String token = token(req);
        JsonNode list = req.get("plugins");
        if (list == null || list.isNull()) {
            throw AdminJson.missing("plugins");
        }
        if (!list.isArray()) {
            throw AdminJson.wrongType("plugins", "an array");
        }
        if (!auth.tokens().containsKey(token)) {
            throw new JanusException(JanusError.TOKEN_NOT_FOUND, "Token " + token + " not found");
        }
        if (list.isEmpty()) {
            throw AdminJson.wrongType("plugins", "a non-empty array");
        }
        Set<String> named = knownPlugins(list);
        boolean found = allow ? auth.allowToken(token, named) : auth.disallowToken(token, named);
        if (!found) {
            throw new JanusException(JanusError.TOKEN_NOT_FOUND, "Token " + token + " not found");
        }
        return withPlugins(tx, token);
    }

    private ObjectNode list(String tx) {
        ObjectNode o = AdminJson.envelope("success", 0, tx);
        ArrayNode tokens = o.putObject("data").putArray("tokens");
        for (Map.Entry<String, Set<String>> e : auth.tokens().entrySet()) {
            ObjectNode t = tokens.addObject();
            t.put("token", e.getKey());
            ArrayNode ps = t.putArray("allowed_plugins");
            new TreeSet<>(e.getValue()).forEach(ps::add);
        }
        return o;
    }

    private ObjectNode remove(String tx, ObjectNode req) throws JanusException {
        String token = token(req);
        if (!auth.removeToken(token)) {
            throw new JanusException(JanusError.UNKNOWN, "Error removing token");
        }
        return AdminJson.envelope("success", 0, tx);
    }

    private String token(ObjectNode req) throws JanusException {
        return AdminJson.requiredText(req, "token", config.maxTokenBytes());
    }

    /** Every entry a string naming a loaded plugin, else Janus' 467 (nothing is changed). */
    private Set<String> knownPlugins(JsonNode list) throws JanusException {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode p : list) {
            if (!p.isTextual() || !plugins.contains(p.textValue())) {
                throw new JanusException(JanusError.INVALID_ELEMENT_TYPE,
                        "Invalid element type (some of the provided plugins are invalid)");
            }
            out.add(p.textValue());
        }
        return out;
    }

    private ObjectNode withPlugins(String tx, String token) {
        ObjectNode o = AdminJson.envelope("success", 0, tx);
        ArrayNode ps = o.putObject("data").putArray("plugins");
        new TreeSet<>(auth.tokens().getOrDefault(token, Set.of())).forEach(ps::add);
        return o;
    }
}
