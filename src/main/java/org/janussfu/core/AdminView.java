package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the Admin API (package {@code admin}) may see and do in the core: list sessions and handles, describe a
 * handle ({@code handle_info}), destroy a session, detach a handle, hang up its PeerConnection, change the session
 * timeout and reach a plugin's admin hook. Stateless apart from its core; callable from any thread. Everything that
 * reads or changes a session or its handles hops to the session's own context (as the Janus API does), so no
 * locks; results come back as futures, failed with a {@link JanusException} carrying Janus' code and text
 * (458 {@code No such session N}, 459 {@code No such handle N in session M}, 460 {@code Invalid plugin}).
 */
public final class AdminView {
    private final JanusCore core;

    AdminView(JanusCore core) {
        this.core = core;
    }

    /** The {@code server_info} reply of {@code info}, with the request's transaction. */
    public ObjectNode info(String transaction) {
        return core.info(transaction);
    }

    /** Whether the server is serving (accepting sessions) rather than stopping. */
    public boolean serving() {
        return core.accepting();
    }

    /** The ids of the live sessions, ascending (a snapshot of the thread-safe registry). */
    public List<Long> sessionIds() {
        List<Long> ids = new ArrayList<>();
        for (Session s : core.sessions.values()) {
            if (!s.destroyed) {
                ids.add(s.id);
            }
        }
        ids.sort(null);
        return ids;
    }

    /**
     * Handles whose PeerConnection is up (ICE and DTLS done), for the metrics: one volatile read per handle, from any
     * thread, no context hop.
     */
    public long connectedPeerConnections() {
        long n = 0;
        for (Handle h : core.handles.values()) {
            if (h.media.isUp()) {
                n++;
            }
        }
        return n;
    }

    /** PeerConnections that exist in the media engine (connecting or up). */
    public long openPeerConnections() {
        return core.media().openConnections();
    }

    /** The ids of one session's handles, ascending, read on the session's context. */
    public Future<List<Long>> handleIds(long sessionId) {
        return onSession(sessionId, s -> {
            List<Long> ids = new ArrayList<>(s.handles.keySet());
            ids.sort(null);
            return Future.succeededFuture(ids);
        });
    }

    /** Destroys a session as Janus' Admin {@code destroy_session} does (no event; its transport forgets it). */
    public Future<Void> destroySession(long sessionId) {
        return onSession(sessionId, s -> {
            core.destroySession(s, "Admin API");
            return Future.succeededFuture();
        });
    }

    /** Detaches a handle ({@code detach_handle}): the plugin forgets it, the client gets {@code detached}. */
    public Future<Void> detachHandle(long sessionId, long handleId) {
        return onHandle(sessionId, handleId, h -> {
            core.detachHandle(h, true);
            return Future.succeededFuture();
        });
    }

    /** Closes the handle's PeerConnection if it has one ({@code hangup_webrtc}); the client gets {@code hangup}. */
    public Future<Void> hangupWebrtc(long sessionId, long handleId) {
        return onHandle(sessionId, handleId, h -> {
            h.media.hangup("Admin API");
            return Future.succeededFuture();
        });
    }

    /** {@code handle_info}: Janus 1.1.2's {@code info} object, with the plugin's {@code plugin_specific} part. */
    public Future<ObjectNode> handleInfo(long sessionId, long handleId) {
        return handleInfo(sessionId, handleId, false);
    }

    /** As {@link #handleInfo(long, long)}; {@code pluginOnly} stops after {@code plugin_specific} (Janus' flag). */
    public Future<ObjectNode> handleInfo(long sessionId, long handleId, boolean pluginOnly) {
        return onHandle(sessionId, handleId, h -> {
            ObjectNode info = HandleInfo.describe(core, h, pluginOnly);
            Future<ObjectNode> specific;
            try {
                specific = h.plugin.queryHandle(h);
            } catch (RuntimeException e) {
                specific = Future.failedFuture(e);
            }
            return specific.map(ps -> HandleInfo.withPluginSpecific(info, ps))
                    .recover(e -> Future.succeededFuture(HandleInfo.withPluginSpecific(info, null)));
        });
    }

    /**
     * {@code start_pcap} / {@code start_text2pcap}: on the handle's session context, fails with 490
     * {@code pcap already started} / {@code text2pcap already started} (by the requested kind, as Janus) while a
     * capture runs; otherwise {@code open} makes the capture (a failure there is the caller's error) and its packets
     * flow from the next one on.
     */
    public Future<Capture> startCapture(long sessionId, long handleId, boolean text,
                                        java.util.function.Supplier<Future<Capture>> open) {
        return onHandle(sessionId, handleId, h -> {
            if (h.capture != null) {
                return Future.failedFuture(new JanusException(JanusError.UNKNOWN,
                        text ? "text2pcap already started" : "pcap already started"));
            }
            return open.get().compose(c -> {
                if (!h.isAlive() || h.capture != null) {
                    c.stop("handle gone");
                    return Future.failedFuture(new JanusException(JanusError.UNKNOWN,
                            text ? "text2pcap already started" : "pcap already started"));
                }
                h.setCapture(c);
                return Future.succeededFuture(c);
            });
        });
    }

    /** {@code stop_pcap} / {@code stop_text2pcap}: stops and returns the running capture; 490 {@code Capture not started}. */
    public Future<Capture> stopCapture(long sessionId, long handleId) {
        return onHandle(sessionId, handleId, h -> {
            Capture c = h.stopCapture("stop_pcap");
            return c == null ? Future.failedFuture(new JanusException(JanusError.UNKNOWN, "Capture not started"))
                    : Future.succeededFuture(c);
        });
    }

    /** The no-media timer and NACK queue in force ({@code set_no_media_timer}, {@code set_max_nack_queue}). */
    public MediaSettings mediaSettings() {
        return core.mediaSettings();
    }

    /**
     * Relayed packets waiting in all handles' forward queues now, and in the fullest one: {@code [total, max]}, for
     * the metrics (approximate reads, any thread, no context hop).
     */
    public long[] forwardQueueDepth() {
        long total = 0;
        long max = 0;
        for (Handle h : core.handles.values()) {
            int d = h.media.forwardQueueDepth();
            total += d;
            max = Math.max(max, d);
        }
        return new long[]{total, max};
    }

    /** Changes the session timeout in force ({@code set_session_timeout}); 0 = never. */
    public void setSessionTimeout(int seconds) {
        core.setSessionTimeoutSeconds(seconds);
    }

    public int sessionTimeout() {
        return core.sessionTimeoutSeconds();
    }

    /** {@code message_plugin}: the plugin's {@link Plugin#handleAdminMessage} answer, or 460 for an unknown plugin. */
    public Future<ObjectNode> messagePlugin(String plugin, ObjectNode request) {
        Plugin p = core.plugin(plugin);
        if (p == null) {
            return Future.failedFuture(new JanusException(JanusError.PLUGIN_NOT_FOUND, "Invalid plugin"));
        }
        try {
            return p.handleAdminMessage(request);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    // ---- owning-context hops ----------------------------------------------------------------------------------

    private <T> Future<T> onSession(long sessionId, Function<Session, Future<T>> work) {
        Session s = core.sessions.get(sessionId);
        if (s == null || s.destroyed) {
            return Future.failedFuture(noSession(sessionId));
        }
        Promise<T> p = Promise.promise();
        s.run(() -> {
            if (s.destroyed) {
                p.fail(noSession(sessionId));
                return;
            }
            try {
                work.apply(s).onComplete(p);
            } catch (RuntimeException e) {
                p.fail(e);
            }
        });
        return p.future();
    }

    private <T> Future<T> onHandle(long sessionId, long handleId, Function<Handle, Future<T>> work) {
        return onSession(sessionId, s -> {
            Handle h = s.handles.get(handleId);
            if (h == null || !h.isAlive()) {
                return Future.failedFuture(new JanusException(JanusError.HANDLE_NOT_FOUND,
                        "No such handle " + handleId + " in session " + sessionId));
            }
            return work.apply(h);
        });
    }

    private static JanusException noSession(long id) {
        return new JanusException(JanusError.SESSION_NOT_FOUND, "No such session " + id);
    }
}
