package org.janussfu.core;

/**
 * A plugin's view of one Janus handle (one attachment, one PeerConnection), as Janus' {@code
 * janus_plugin_session}. The identity getters are immutable; {@link #pluginState()} is the slot where a
 * plugin keeps its own per-handle object (written once at {@link Plugin#createSession}, read by any
 * thread, volatile). Owned by the core; the handle's session context runs every plugin callback for it.
 */
public interface PluginHandle {

    long id();

    long sessionId();

    /** The client's {@code opaque_id} from {@code attach}, or null. */
    String opaqueId();

    /** False once the handle has been detached or its session destroyed. */
    boolean isAlive();

    Object pluginState();

    void setPluginState(Object state);
}
