package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where the asynchronous events of a session go: the WebSocket that created or last claimed it, or the
 * long-poll queue of an HTTP session. Implemented by the transports; {@link #send} may be called from any
 * thread and must keep the order of calls made from one thread.
 */
public interface EventSink {

    /** Delivers one event; an event for a closed sink is dropped (and counted by the sink). */
    void send(ObjectNode event);

    /** Called (on the session's context) when this sink becomes the destination of a session's events. */
    default void sessionAttached(long sessionId) {
    }

    /** Called (on the session's context) when a session stops sending here (destroyed or claimed away). */
    default void sessionDetached(long sessionId) {
    }

    /** A short description for logs, e.g. {@code ws#3 127.0.0.1:51234}. */
    String describe();
}
