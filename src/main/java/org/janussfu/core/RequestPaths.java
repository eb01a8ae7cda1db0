package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Session and handle ids taken from an HTTP request path ({@code /janus/<session>/<handle>}, {@code /admin/...}), as
 * Janus' HTTP transports do: the path, not the body, names them. An id is plain decimal digits, no sign or leading
 * zero, 1..2^53-1 (the largest a JavaScript client holds exactly); anything else names no session/handle (458/459,
 * with at most 32 characters of the text repeated). Stateless; any thread.
 */
public final class RequestPaths {
    private RequestPaths() {
    }

    /** The id a path segment names, or {@code error} with {@code reason + text}. */
    public static long id(String text, JanusError error, String reason) throws JanusException {
        int n = text == null ? 0 : text.length();
        if (n > 0 && n <= 16 && text.charAt(0) != '0') {
            long id = 0;
            boolean digits = true;
            for (int i = 0; i < n && digits; i++) {
                char c = text.charAt(i);
                digits = c >= '0' && c <= '9';
                id = id * 10 + (c - '0');
            }
            if (digits && id >= 1 && id <= JanusCore.MAX_ID) {
                return id;
            }
        }
        String shown = n <= 32 ? text : text.substring(0, 32) + "...";
        throw new JanusException(error, reason + shown);
    }

    /** Replaces the request's {@code session_id}/{@code handle_id} with those of the path (null = none there). */
    public static void apply(ObjectNode request, String sessionPath, String handlePath) throws JanusException {
        request.remove("session_id");
        request.remove("handle_id");
        if (sessionPath != null) {
            request.put("session_id", id(sessionPath, JanusError.SESSION_NOT_FOUND, "No such session "));
        }
        if (handlePath != null) {
            request.put("handle_id", id(handlePath, JanusError.HANDLE_NOT_FOUND, "No such handle "));
        }
    }
}
