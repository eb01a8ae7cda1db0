package org.janussfu;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.janussfu.admin.AdminCounters;
import org.janussfu.admin.AdminServer;
import org.janussfu.admin.EventPoster;
import org.janussfu.core.JanusCore;
import org.janussfu.core.Plugin;
import org.janussfu.transport.HttpTransport;
import org.janussfu.transport.ParkingTransport;
import org.janussfu.transport.SilentConnections;
import org.janussfu.transport.TransportCounters;
import org.janussfu.transport.WebSocketTransport;

import java.io.IOException;
import java.util.List;
import org.janussfu.webrtc.MediaEngine;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One running janus-sfu: the Vert.x instance, the Janus core with its plugins, and the transport verticles.
 * Explicit wiring, no framework. {@link #start} and {@link #stop} may be called from any thread; tests start
 * servers on ephemeral ports through this class.
 */
public final class Server {
    private static final Logger LOG = Logger.getLogger(Server.class.getName());

    private final ServerConfig config;
    private final Vertx vertx;
    private final JanusCore core;
    private final MediaEngine media;
    private final TransportCounters transportCounters = new TransportCounters();
    private final AdminCounters adminCounters = new AdminCounters();
    private final List<Plugin> plugins;
    private volatile AdminServer admin;
    private final Metrics metrics;
    private final EventPoster events;
    /** The cluster membership, or null on a single node ({@code cluster.enabled = false}). */
    private final org.janussfu.cluster.ClusterNode cluster;
    /** Rooms across nodes, or null on a single node. */
    private final org.janussfu.cluster.ClusterRooms clusterRooms;

    /**
     * Creates the media engine (binds the ICE port), the Vert.x instance, the plugins (which may need it), then the
     * core. The Janus API does not listen until {@link #start}.
     */
    public Server(ServerConfig config, Function<Vertx, List<Plugin>> plugins) throws IOException {
        this.config = config;
        this.media = new MediaEngine(config.webrtc());
        VertxOptions options = new VertxOptions();
        // NIO (decision 0013's media loop reads its UDP ports on the event loops' NIO selectors), with listeners that
        // hold a connection until its first byte (issue 11: idle connections never delay a client that speaks).
        ParkingTransport transport = new ParkingTransport(new SilentConnections(config.ws().limits(), transportCounters));
        if (config.cluster().enabled()) {
            try {
                this.cluster = org.janussfu.cluster.ClusterNode.start(options, transport, config.cluster());
            } catch (Exception e) {
                media.close();
                throw new IOException("cluster join failed: " + e, e);
            }
            this.vertx = cluster.vertx();
        } else {
            this.cluster = null; // single node: no cluster manager, no event-bus listener
            this.vertx = Vertx.builder().with(options).withTransport(transport).build();
        }
        media.bind(vertx);
        this.plugins = List.copyOf(plugins.apply(vertx));
        org.janussfu.cluster.ClusterRooms rooms = null;
        if (cluster != null) {
            for (Plugin p : this.plugins) {
                if (p instanceof org.janussfu.sfu.SfuPlugin sfu) {
                    rooms = new org.janussfu.cluster.ClusterRooms(cluster, sfu);
                    sfu.setCluster(rooms::wrap, rooms);
                }
            }
        }
        this.clusterRooms = rooms;
        this.core = new JanusCore(vertx, config.core(), this.plugins, media, config.webrtc());
        this.events = config.events().enabled() ? new EventPoster(vertx, config.events(), config.core().serverName()) : null;
        if (events != null) {
            core.setEventHook(events);
            for (Plugin p : this.plugins) {
                if (p instanceof org.janussfu.sfu.SfuPlugin sfu) {
                    sfu.setEventHook(events);
                }
            }
        }
        this.metrics = new Metrics(vertx, core, media, transportCounters, adminCounters, this.plugins, events, cluster,
                rooms == null ? null : rooms.counters);
    }

    public Future<Void> start() {
        if (events != null) {
            events.start();
        }
        return core.start().compose(v -> clusterRooms == null ? Future.<Void>succeededFuture()
                : clusterRooms.start(media.mediaContext(), media::readOnMediaLoop))
                .compose(v -> {
            Future<String> ws = Future.succeededFuture();
            Future<String> http = Future.succeededFuture();
            if (config.ws().enabled()) {
                core.registerTransport(WebSocketTransport.INFO);
                ws = vertx.deployVerticle(() -> new WebSocketTransport(core, config.ws(), transportCounters),
                        new DeploymentOptions().setInstances(instances(config.ws().instances())));
            }
            if (config.http().enabled()) {
                core.registerTransport(HttpTransport.INFO);
                http = vertx.deployVerticle(() -> new HttpTransport(core, config.http(), transportCounters),
                        new DeploymentOptions().setInstances(instances(config.http().instances())));
            }
            return Future.all(ws, http).<Void>mapEmpty();
        }).compose(v -> startAdmin()).onSuccess(v -> LOG.info(() -> "janus-sfu started ws_port=" + config.ws().port()
                + " http_port=" + config.http().port() + " session_timeout_s=" + config.core().sessionTimeoutSeconds()));
    }

    /** The Admin API listeners (one verticle, one event loop), unless {@code admin.enabled = false}. */
    private Future<Void> startAdmin() {
        if (!config.admin().enabled()) {
            return Future.succeededFuture();
        }
        metrics.start();
        AdminServer a = new AdminServer(core, config.admin(), adminCounters, metrics);
        return vertx.deployVerticle(a).onSuccess(id -> admin = a).mapEmpty();
    }

    /**
     * The process's counters as one JSON object — the core's (requests, sessions, RTP/RTCP/data forwarded and
     * dropped, NACKs, keyframe requests), PeerConnections opened and closed, and the packet pool's allocations and
     * discards — logged at INFO when the server stops, where the load harness picks them up.
     */
    public String countersJson() {
        com.fasterxml.jackson.databind.node.ObjectNode o =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        core.counters().toJson(o.putObject("core"));
        transportCounters.toJson(o.putObject("transport"));
        o.putObject("media").put("peer_connections_open", media.openConnections())
                .put("srtp_auth_failed", media.srtpAuthFailed())
                .put("stun_bad_integrity", media.stunBadIntegrity())
                .put("stun_answered", media.stunAnswered())
                .put("unvalidated_dropped", media.unvalidatedDropped())
                .put("ice_role_conflicts", media.iceRoleConflicts())
                .put("ice_renominations_followed", media.iceRenominationsFollowed())
                .put("stun_pushed", media.stunPushed())
                .put("consent_checks_sent", org.janussfu.webrtc.ice.IceTransport.consentChecksSent())
                .put("consent_checks_answered", org.janussfu.webrtc.ice.IceTransport.consentChecksAnswered()).put("stun_push_dropped", media.stunPushDropped())
                .put("packet_pool_allocated", media.pool().allocated())
                .put("packet_pool_discarded", media.pool().discarded());
        if (clusterRooms != null) {
            clusterRooms.counters.toJson(o.putObject("cluster"));
        }
        return o.toString();
    }

    /**
     * Drains the node for a rolling upgrade: new sessions are refused and {@code /health} answers 503 at once;
     * the future completes when the last session has ended (its users reconnect to other nodes) or after
     * {@code maxSeconds}, whichever comes first. {@link #stop} then ends what is left.
     */
    public Future<Void> drain(int maxSeconds) {
        core.stopAccepting();
        LOG.info(() -> "janus-sfu draining sessions=" + core.sessionCount() + " max_s=" + maxSeconds);
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(maxSeconds);
        vertx.setPeriodic(1, 250, id -> {
            if (core.sessionCount() == 0 || System.nanoTime() >= deadline) {
                vertx.cancelTimer(id);
                LOG.info(() -> "janus-sfu drained sessions_left=" + core.sessionCount());
                done.tryComplete();
            }
        });
        return done.future();
    }

    /** Destroys every session (plugins see their handles go), closes the listeners and sockets, then Vert.x. */
    public Future<Void> stop() {
        LOG.info("janus-sfu stopping");
        LOG.info(() -> "counters " + countersJson());
        return core.shutdown()
                .eventually(() -> {
                    metrics.stop();
                    if (events != null) {
                        events.stop();
                    }
                    return vertx.close();
                })
                .eventually(() -> {
                    if (clusterRooms != null) {
                        clusterRooms.stop();
                    }
                    media.close();
                    return Future.succeededFuture();
                })
                .onComplete(ar -> LOG.info("janus-sfu stopped"));
    }

    private static int instances(int configured) {
        return configured > 0 ? configured : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    }

    public MediaEngine media() {
        return media;
    }

    public JanusCore core() {
        return core;
    }

    public Vertx vertx() {
        return vertx;
    }

    public TransportCounters transportCounters() {
        return transportCounters;
    }

    /** The metrics registry behind {@code GET /metrics}. */
    public io.micrometer.core.instrument.MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /** The running Admin API listeners, or null when disabled or not started. */
    public AdminServer admin() {
        return admin;
    }

    /** The event sink, or null when {@code events.enabled = false}. */
    public EventPoster eventSink() {
        return events;
    }

    public AdminCounters adminCounters() {
        return adminCounters;
    }

    /** The plugins this server loaded, in load order. */
    public List<Plugin> plugins() {
        return plugins;
    }

    /** The cluster membership, or null when {@code cluster.enabled = false}. */
    public org.janussfu.cluster.ClusterNode cluster() {
        return cluster;
    }

    /** Rooms across nodes, or null when {@code cluster.enabled = false}. */
    public org.janussfu.cluster.ClusterRooms clusterRooms() {
        return clusterRooms;
    }

    public ServerConfig config() {
        return config;
    }
}
