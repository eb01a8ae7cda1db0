package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;

/**
 * The transport side of one Janus API request: where its synchronous reply goes and which event sink a
 * session created or claimed by it should use. For a WebSocket both are the socket; for HTTP the reply is
 * the HTTP response and the sink is the session's long-poll queue. {@link #reply} is called exactly once
 * per request, from any thread.
 */
public interface RequestOrigin {

    /** The synchronous answer to the request: success, ack, pong, server_info or error. */
    void reply(ObjectNode response);

    /** The sink for a session this request creates or claims. */
    EventSink sinkForSession(long sessionId);

    /** The (event-loop) context of the transport connection; sessions it creates are owned by it. */
    Context context();

    /** A short description for logs. */
    String describe();

    /**
     * Sessions this request's connection holds now (created or claimed through it and not destroyed), for the
     * per-connection cap {@code general.max-sessions-per-connection}; 0 where a transport has no connection that
     * owns sessions (HTTP).
     */
    default int sessionsHeld() {
        return 0;
    }
}
