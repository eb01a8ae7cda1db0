package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where the core (and the room plugin, through the server's wiring) reports lifecycle events for an event handler,
 * after Janus' {@code janus_events_notify_handlers}: {@code type} is Janus' event-handler type (1 session, 2 handle,
 * 16 WebRTC, 32 media, 64 plugin), {@code event} the type's body. Called from any context, on the signalling path
 * only (never per packet); an implementation must not block and must bound what it keeps.
 */
public interface EventHook {
    int SESSION = 1;
    int HANDLE = 2;
    int WEBRTC = 16;
    int MEDIA = 32;
    int PLUGIN = 64;

    EventHook NONE = (type, sessionId, handleId, timestampMicros, event) -> { };

    void emit(int type, long sessionId, long handleId, long timestampMicros, ObjectNode event);
}
