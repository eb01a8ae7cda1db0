package org.janussfu.core;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Janus API authentication as Janus 1.1.2 does it (the seed's "auth" page): a shared API secret (request field
 * {@code apisecret}), stored tokens managed through the Admin API (request field {@code token}, each with the
 * plugins it may attach to), or, with {@code general.token-auth-secret}, HMAC-SHA1 signed tokens
 * {@code <expiry>,janus[,<plugin>…]:<base64 signature>} that need no storage. With both a secret and tokens on,
 * either one authorizes a request. {@code info} and {@code ping} need neither. Secrets and signatures are compared
 * in constant time. The token table is a concurrent map written by the Admin API's loop and read by every
 * transport's; everything else is immutable.
 */
public final class ApiAuth {
    /** Janus' realm for tokens that authorize the Janus API. */
    static final String REALM = "janus";
    public static final String UNAUTHORIZED = "Unauthorized request (wrong or missing secret/token)";

    private final byte[] apiSecret;
    private final boolean tokenAuth;
    private final byte[] tokenSecret;
    /** Stored token → plugins it may attach to (the Admin API lists every plugin when a token is added without any). */
    private final Map<String, Set<String>> tokens = new ConcurrentHashMap<>();

    /**
     * @param apiSecret   "" = no API secret
     * @param tokenAuth   whether requests may (or must, without a secret) carry a token
     * @param tokenSecret "" = stored tokens; otherwise the HMAC key of signed tokens (stored ones are then refused)
     */
    public ApiAuth(String apiSecret, boolean tokenAuth, String tokenSecret) {
        this.apiSecret = apiSecret.isEmpty() ? null : apiSecret.getBytes(StandardCharsets.UTF_8);
        this.tokenAuth = tokenAuth;
        this.tokenSecret = tokenSecret.isEmpty() ? null : tokenSecret.getBytes(StandardCharsets.UTF_8);
    }

    public static ApiAuth open() {
        return new ApiAuth("", false, "");
    }

    public boolean hasApiSecret() {
        return apiSecret != null;
    }

    public boolean tokenAuth() {
        return tokenAuth;
    }

    /** Whether tokens are signed (and so cannot be stored through the Admin API). */
    public boolean signedTokens() {
        return tokenAuth && tokenSecret != null;
    }

    /** Whether a request carrying these fields (either may be null) is authorized at all. */
    public boolean authorizes(String apisecret, String token) {
        if (apiSecret == null && !tokenAuth) {
            return true;
        }
        if (apiSecret != null && apisecret != null
                && MessageDigest.isEqual(apiSecret, apisecret.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        return tokenAuth && token != null && tokenValid(token);
    }

    /**
     * Whether the request's token (if token auth is on and the request was authorized by it) may attach to
     * {@code plugin}. A request authorized by the API secret may attach to anything.
     */
    public boolean mayAttach(String apisecret, String token, String plugin) {
        if (!tokenAuth) {
            return true;
        }
        if (apiSecret != null && apisecret != null
                && MessageDigest.isEqual(apiSecret, apisecret.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        if (token == null) {
            return false;
        }
        if (tokenSecret != null) {
            List<String> fields = signedFields(token, System.currentTimeMillis() / 1000);
            return fields != null && fields.subList(2, fields.size()).contains(plugin);
        }
        Set<String> plugins = tokens.get(token);
        return plugins != null && plugins.contains(plugin);
    }

    private boolean tokenValid(String token) {
        if (tokenSecret != null) {
            return signedFields(token, System.currentTimeMillis() / 1000) != null;
        }
        return tokens.containsKey(token);
    }

    /** The data fields (expiry, realm, plugins…) of a signed token that is valid at {@code nowSeconds}, else null. */
    List<String> signedFields(String token, long nowSeconds) {
        int colon = token.lastIndexOf(':');
        if (colon <= 0 || colon == token.length() - 1) {
            return null;
        }
        String data = token.substring(0, colon);
        List<String> fields = List.of(data.split(",", -1));
        if (fields.size() < 2 || !REALM.equals(fields.get(1))) {
            return null;
        }
        long expiry;
        try {
            expiry = Long.parseLong(fields.get(0));
        } catch (NumberFormatException e) {
            return null;
        }
        if (expiry < nowSeconds) {
            return null;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(token.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        return MessageDigest.isEqual(hmac(data), given) ? fields : null;
    }

    byte[] hmac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(tokenSecret, "HmacSHA1"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    // ---- stored tokens (Admin API) ----------------------------------------------------------------------------

    /** Adds (or replaces) a stored token allowed to attach to exactly {@code plugins}. */
    public void addToken(String token, Set<String> plugins) {
        tokens.put(token, Set.copyOf(plugins));
    }

    /** Adds plugins to a stored token's scope; false if there is no such token. */
    public boolean allowToken(String token, Set<String> plugins) {
        return tokens.computeIfPresent(token, (t, old) -> {
            java.util.HashSet<String> s = new java.util.HashSet<>(old);
            s.addAll(plugins);
            return Set.copyOf(s);
        }) != null;
    }

    /** Removes plugins from a stored token's scope; false if there is no such token. */
    public boolean disallowToken(String token, Set<String> plugins) {
        return tokens.computeIfPresent(token, (t, old) -> {
            java.util.HashSet<String> s = new java.util.HashSet<>(old);
            s.removeAll(plugins);
            return Set.copyOf(s);
        }) != null;
    }

    public boolean removeToken(String token) {
        return tokens.remove(token) != null;
    }

    /** A sorted snapshot of the stored tokens and their plugin scopes. */
    public Map<String, Set<String>> tokens() {
        return new TreeMap<>(tokens);
    }
}
