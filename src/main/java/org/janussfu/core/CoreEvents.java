package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Feeds the core's lifecycle to the {@link EventHook}: session {@code created}/{@code destroyed} (with the reason),
 * handle {@code attached}/{@code detached}, and the WebRTC and media events the core sends clients
 * ({@code webrtcup}, {@code hangup}, {@code media}, {@code slowlink}). Every call runs on the session's own context,
 * so the announcements of one session are ordered. Sessions and handles are created by the request dispatcher; they
 * are announced by the reaper's once-a-second sweep (with their real creation time), or at the latest just before
 * they are destroyed, so a {@code created} always precedes its {@code destroyed}. With no hook installed nothing is
 * built.
 */
final class CoreEvents {
    private final JanusCore core;
    volatile EventHook hook = EventHook.NONE;

    CoreEvents(JanusCore core) {
        this.core = core;
    }

    /** Reaper: hands every not yet announced session and handle to its own context for announcement. */
    void sweep() {
        if (hook == EventHook.NONE) {
            return;
        }
        for (Session s : core.sessions.values()) {
            if (!s.announced) {
                s.run(() -> announce(s));
            }
        }
        for (Handle h : core.handles.values()) {
            if (!h.announced) {
                h.session.run(() -> announce(h));
            }
        }
    }

    private void announce(Session s) {
        if (s.announced || hook == EventHook.NONE) {
            return;
        }
        s.announced = true;
        ObjectNode e = Replies.JSON.objectNode().put("name", "created");
        hook.emit(EventHook.SESSION, s.id, 0, s.createdMicros, e);
    }

    private void announce(Handle h) {
        if (h.announced || !h.isAlive() || hook == EventHook.NONE) {
            return;
        }
        announce(h.session);
        h.announced = true;
        ObjectNode e = Replies.JSON.objectNode().put("name", "attached").put("plugin", h.plugin.info().packageName());
        if (h.opaqueId() != null) {
            e.put("opaque_id", h.opaqueId());
        }
        hook.emit(EventHook.HANDLE, h.session.id, h.id, h.createdMicros, e);
    }

    void sessionDestroyed(Session s, String reason) {
        if (hook == EventHook.NONE) {
            return;
        }
        announce(s);
        hook.emit(EventHook.SESSION, s.id, 0, now(), Replies.JSON.objectNode().put("name", "destroyed").put("reason", reason));
    }

    /** Before the handle is marked dead (so that an unannounced one is still announced first). */
    void handleDetaching(Handle h) {
        if (hook == EventHook.NONE) {
            return;
        }
        announce(h);
        if (h.announced) {
            hook.emit(EventHook.HANDLE, h.session.id, h.id, now(), Replies.JSON.objectNode().put("name", "detached")
                    .put("plugin", h.plugin.info().packageName()));
        }
    }

    /** An event the core sends a client: WebRTC and media ones are reported too. */
    void clientEvent(Session s, ObjectNode ev) {
        EventHook hk = hook;
        if (hk == EventHook.NONE) {
            return;
        }
        String name = ev.path("janus").asText();
        int type = switch (name) {
            case "webrtcup", "hangup" -> EventHook.WEBRTC;
            case "media", "slowlink" -> EventHook.MEDIA;
            default -> 0;
        };
        if (type == 0) {
            return;
        }
        ObjectNode e = ev.deepCopy();
        e.remove("session_id");
        long sender = e.path("sender").asLong();
        e.remove("sender");
        if (type == EventHook.WEBRTC) {
            e.put("connection", name);
        }
        e.remove("janus");
        if (type == EventHook.MEDIA) {
            e.put("event", name);
        }
        hk.emit(type, s.id, sender, now(), e);
    }

    static long now() {
        return System.currentTimeMillis() * 1000;
    }
}
