package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.janussfu.webrtc.MediaEngine;
import org.janussfu.webrtc.WebRtcConfig;

/**
 * The Janus core: the registry of sessions and handles, their lifecycle (create, attach, detach, destroy,
 * timeout, transport loss) and the plugins. Thread-safe registry maps let any transport find a session;
 * each session and its handles are then mutated only on the session's own context. The reaper runs on the
 * core's context, created at {@link #start}. Request parsing lives in {@link RequestDispatcher}.
 */
public final class JanusCore {
    private static final Logger LOG = Logger.getLogger(JanusCore.class.getName());
    /** Lifecycle lines a client can repeat at will: all of them in normal life, a bounded number under attack. */
    private static final LogThrottle LIFECYCLE_LOG = new LogThrottle(LOG, java.util.logging.Level.INFO, 50, 10_000);
    /** Janus masks ids to 53 bits so that JavaScript clients can compare them exactly. */
    static final long MAX_ID = (1L << 53) - 1;

    private final Vertx vertx;
    private final CoreConfig config;
    private final Map<String, Plugin> plugins;
    private final List<PluginInfo> transports = new CopyOnWriteArrayList<>();
    final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    final Map<Long, Handle> handles = new ConcurrentHashMap<>();
    final CoreCounters counters = new CoreCounters();
    private final RequestDispatcher dispatcher;
    private final CoreGateway gateway;
    private final MediaEngine media;
    private final WebRtcConfig mediaConfig;
    /** The no-media timer and NACK queue in force (the Admin API changes them). */
    private final MediaSettings mediaSettings;
    private final OverloadGuard overload;
    private final ApiAuth auth;
    private volatile boolean accepting = true;
    /** The session timeout in force: the configured one until the Admin API's {@code set_session_timeout}. */
    private volatile int sessionTimeoutSeconds;
    private final AdminView admin;
    final CoreEvents events = new CoreEvents(this);
    private long reaperTimer = -1;

    public JanusCore(Vertx vertx, CoreConfig config, List<Plugin> pluginList, MediaEngine media, WebRtcConfig mediaConfig) {
        this.vertx = vertx;
        this.config = config;
        this.media = media;
        this.mediaConfig = mediaConfig;
        this.mediaSettings = new MediaSettings(mediaConfig.noMediaTimeout().toMillis(), mediaConfig.maxNackQueueMillis());
        Map<String, Plugin> byName = new LinkedHashMap<>();
        for (Plugin p : pluginList) {
            byName.put(p.info().packageName(), p);
        }
        this.plugins = Collections.unmodifiableMap(byName);
        this.dispatcher = new RequestDispatcher(this);
        this.gateway = new CoreGateway(this);
        this.overload = new OverloadGuard(config.limits(), media::openConnections);
        this.auth = new ApiAuth(config.apiSecret(), config.tokenAuth(), config.tokenAuthSecret());
        this.sessionTimeoutSeconds = config.sessionTimeoutSeconds();
        this.admin = new AdminView(this);
    }

    /** Initialises every plugin and starts the session reaper. */
    public Future<Void> start() {
        List<Future<Void>> inits = new ArrayList<>();
        for (Plugin p : plugins.values()) {
            inits.add(p.init(gateway));
        }
        return Future.all(inits).<Void>mapEmpty().onSuccess(v -> {
            overload.start();
            Context ctx = vertx.getOrCreateContext();
            ctx.runOnContext(x -> reaperTimer = vertx.setPeriodic(1000, id -> reap()));
        });
    }

    /** Stops accepting sessions, destroys every session (plugins see each handle go), then the plugins. */
    public Future<Void> shutdown() {
        accepting = false;
        if (reaperTimer >= 0) {
            vertx.cancelTimer(reaperTimer);
        }
        overload.stop();
        List<Future<Void>> done = new ArrayList<>();
        for (Session s : sessions.values()) {
            Promise<Void> p = Promise.promise();
            s.run(() -> {
                destroySession(s, "shutdown");
                p.complete();
            });
            done.add(p.future());
        }
        return Future.all(done).compose(v -> {
            List<Future<Void>> destroys = new ArrayList<>();
            for (Plugin p : plugins.values()) {
                destroys.add(p.destroy());
            }
            return Future.all(destroys).mapEmpty();
        });
    }

    /** Handles one parsed Janus API request from a transport. Any thread. */
    public void handle(ObjectNode request, RequestOrigin origin) {
        dispatcher.dispatch(request, origin);
    }

    /** Registers a transport so that {@code info} lists it. */
    public void registerTransport(PluginInfo info) {
        transports.add(info);
    }

    public CoreConfig config() {
        return config;
    }

    MediaEngine media() {
        return media;
    }

    WebRtcConfig mediaConfig() {
        return mediaConfig;
    }

    Vertx vertx() {
        return vertx;
    }

    /** Lost packets per second that trigger a {@code slowlink} event (0 = never); configuration. */
    public int slowlinkThreshold() {
        return mediaConfig.slowlinkThreshold();
    }

    /** The media settings in force: no-media timer, NACK queue (any thread). */
    public MediaSettings mediaSettings() {
        return mediaSettings;
    }

    public CoreCounters counters() {
        return counters;
    }

    public Gateway gateway() {
        return gateway;
    }

    public int sessionCount() {
        return sessions.size();
    }

    public int handleCount() {
        return handles.size();
    }

    /** Whether the server is near one of its budgets (heap after GC, fds, PeerConnections); any thread. */
    public OverloadGuard overload() {
        return overload;
    }

    /** Janus API authentication: the secret, stored tokens (managed by the Admin API) or signed tokens. */
    public ApiAuth auth() {
        return auth;
    }

    /** The names of the plugins, e.g. for a token added without a plugin list (which may access them all). */
    public java.util.Set<String> pluginNames() {
        return plugins.keySet();
    }

    boolean accepting() {
        return accepting;
    }

    /**
     * Draining (rolling upgrades, issue 16): from now on new sessions are refused (and {@code /health} answers 503)
     * while existing sessions go on until they end or {@link #shutdown} runs. Any thread; not undone.
     */
    public void stopAccepting() {
        accepting = false;
    }

    /** Whether the core accepts new sessions (false once shutdown began); any thread. */
    public boolean isAccepting() {
        return accepting;
    }

    /** Installs the event handler (the event sink) that hears session, handle, WebRTC and media events. */
    public void setEventHook(EventHook hook) {
        events.hook = hook == null ? EventHook.NONE : hook;
    }

    /** What the Admin API sees and does: sessions, handles and their details, read on their owning contexts. */
    public AdminView admin() {
        return admin;
    }

    /** The session timeout in force, in seconds (0 = never). */
    public int sessionTimeoutSeconds() {
        return sessionTimeoutSeconds;
    }

    /** Changes the session timeout on the fly (Admin API {@code set_session_timeout}); the reaper reads it each second. */
    void setSessionTimeoutSeconds(int seconds) {
        this.sessionTimeoutSeconds = seconds;
    }

    Plugin plugin(String packageName) {
        return plugins.get(packageName);
    }

    /**
     * Runs {@code onSession} on the session's context with its current event sink, or {@code onMissing}
     * on the caller's thread when there is no such session. Refreshes the session's activity (a long poll
     * counts as a keepalive, as in Janus).
     */
    public void withSessionSink(long sessionId, java.util.function.Consumer<EventSink> onSession, Runnable onMissing) {
        Session s = sessions.get(sessionId);
        if (s == null || s.destroyed) {
            onMissing.run();
            return;
        }
        s.run(() -> {
            if (s.destroyed) {
                onMissing.run();
            } else {
                s.touch();
                onSession.accept(s.sink);
            }
        });
    }

    /** The ids of all live handles (a snapshot). */
    public java.util.Set<Long> handleIds() {
        return java.util.Set.copyOf(handles.keySet());
    }

    /** Per-stream media counters of a handle, read on its session's context; fails for an unknown handle. */
    public Future<ObjectNode> handleStats(long handleId) {
        Handle h = handles.get(handleId);
        if (h == null) {
            return Future.failedFuture("no such handle " + handleId);
        }
        Promise<ObjectNode> p = Promise.promise();
        h.session.run(() -> p.complete(h.media.stats()));
        return p.future();
    }

    /** A transport connection closed: its sessions are destroyed, or orphaned for the reclaim window. */
    public void transportClosed(EventSink sink, Collection<Long> sessionIds) {
        for (Long id : sessionIds) {
            Session s = sessions.get(id);
            if (s == null) {
                continue;
            }
            s.run(() -> {
                if (s.destroyed || s.sink != sink) {
                    return;
                }
                if (config.reclaimSessionTimeoutSeconds() > 0) {
                    s.sink = null;
                    s.orphanedAtNanos = System.nanoTime();
                    LIFECYCLE_LOG.log(() -> "session orphaned session=" + s.id + " reclaim_s=" + config.reclaimSessionTimeoutSeconds());
                } else {
                    destroySession(s, "transport closed");
                }
            });
        }
    }

    // ---- lifecycle operations; each runs on the session's context -------------------------------------

    long newId(Map<Long, ?> taken) {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong(1, MAX_ID + 1);
        } while (taken.containsKey(id));
        return id;
    }

    /** Sends an asynchronous event to the session's transport (session context). */
    void sendEvent(Session s, ObjectNode event) {
        events.clientEvent(s, event);
        EventSink sink = s.sink;
        if (sink == null || s.destroyed) {
            counters.eventsDropped.increment();
            return;
        }
        counters.eventsSent.increment();
        sink.send(event);
    }

    /** Detaches one handle: the plugin forgets it, the client gets {@code detached} if asked (session context). */
    void detachHandle(Handle h, boolean notify) {
        if (!h.isAlive()) {
            return;
        }
        events.handleDetaching(h);
        h.markDead();
        h.media.close();
        h.session.handles.remove(h.id);
        handles.remove(h.id);
        counters.handlesDetached.increment();
        try {
            h.plugin.destroySession(h);
        } catch (RuntimeException e) {
            LOG.severe(() -> "plugin failed to destroy handle=" + h.id + ": " + e);
        }
        if (notify) {
            sendEvent(h.session, Replies.handleEvent("detached", h.session.id, h.id));
        }
        LOG.fine(() -> "handle detached session=" + h.session.id + " handle=" + h.id);
    }

    /** Destroys a session and its handles (session context). */
    void destroySession(Session s, String reason) {
        if (s.destroyed) {
            return;
        }
        for (Handle h : new ArrayList<>(s.handles.values())) {
            detachHandle(h, false);
        }
        s.destroyed = true;
        sessions.remove(s.id);
        counters.sessionsDestroyed.increment();
        events.sessionDestroyed(s, reason);
        EventSink sink = s.sink;
        if (sink != null) {
            sink.sessionDetached(s.id);
        }
        LIFECYCLE_LOG.log(() -> "session destroyed session=" + s.id + " reason=\"" + reason + "\"");
    }

    private void reap() {
        overload.sample();
        events.sweep();
        long now = System.nanoTime();
        long timeout = TimeUnit.SECONDS.toNanos(sessionTimeoutSeconds);
        long reclaim = TimeUnit.SECONDS.toNanos(config.reclaimSessionTimeoutSeconds());
        for (Session s : sessions.values()) {
            if (s.orphanedAtNanos != 0 && now - s.orphanedAtNanos > reclaim) {
                s.run(() -> {
                    if (s.sink == null) {
                        destroySession(s, "not reclaimed");
                    }
                });
            } else if (timeout > 0 && now - s.lastActivityNanos > timeout) {
                s.run(() -> {
                    if (!s.destroyed && System.nanoTime() - s.lastActivityNanos > timeout) {
                        counters.sessionsTimedOut.increment();
                        sendEvent(s, Replies.envelope("timeout", s.id, null));
                        destroySession(s, "timeout");
                    }
                });
            }
        }
    }

    /** The {@code server_info} reply without a transaction, for {@code GET /janus/info}. */
    public ObjectNode serverInfo() {
        return info(null);
    }

    /** The {@code server_info} body of an {@code info} reply. */
    ObjectNode info(String transaction) {
        ObjectNode o = Replies.envelope("server_info", 0, transaction);
        o.put("name", "Janus WebRTC Server");
        o.put("version", 1102);
        o.put("version_string", "1.1.2");
        o.put("author", "janus-sfu");
        o.put("server-name", config.serverName());
        o.put("session-timeout", sessionTimeoutSeconds);
        o.put("reclaim-session-timeout", config.reclaimSessionTimeoutSeconds());
        o.put("data_channels", true);
        o.put("accepting-new-sessions", accepting);
        o.put("api_secret", auth.hasApiSecret());
        o.put("auth_token", auth.tokenAuth());
        o.put("event_handlers", events.hook != EventHook.NONE);
        o.put("opaqueid_in_api", false);
        ObjectNode ts = o.putObject("transports");
        for (PluginInfo t : transports) {
            describe(ts.putObject(t.packageName()), t);
        }
        ObjectNode ps = o.putObject("plugins");
        for (Plugin p : plugins.values()) {
            describe(ps.putObject(p.info().packageName()), p.info());
        }
        return o;
    }

    private static void describe(ObjectNode o, PluginInfo i) {
        o.put("name", i.name());
        o.put("author", i.author());
        o.put("description", i.description());
        o.put("version_string", i.versionString());
        o.put("version", i.version());
    }
}
