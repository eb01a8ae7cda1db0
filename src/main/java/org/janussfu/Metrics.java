package org.janussfu;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.janussfu.admin.AdminCounters;
import org.janussfu.admin.EventPoster;
import org.janussfu.admin.MetricsSource;
import org.janussfu.core.CoreCounters;
import org.janussfu.core.JanusCore;
import org.janussfu.core.Plugin;
import org.janussfu.sfu.SfuAdmin;
import org.janussfu.sfu.SfuCounters;
import org.janussfu.sfu.SfuPlugin;
import org.janussfu.transport.TransportCounters;
import org.janussfu.webrtc.MediaEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The process's metrics in Micrometer's Prometheus registry (decision 0011), served by the admin listener's
 * {@code GET /metrics}. Lives in the root package because it binds every layer's counters: the core's, the
 * transports', the room plugin's, the media engine's and the Admin API's {@link LongAdder}s are read only when
 * Prometheus scrapes ({@link FunctionCounter}s and {@link Gauge}s over them), so the media path pays nothing.
 * Names follow Prometheus conventions: {@code janus_} prefix, {@code _total} on counters (Micrometer adds it), base
 * units ({@code _seconds}). Plus the JVM binders (heap, GC pauses, threads, classes, CPU, file descriptors, uptime)
 * and the event-loop lag probe. One registry per {@link Server}; {@link #scrape} runs on the caller's thread after
 * refreshing the room gauges on the plugin's context (bounded by a timeout, so a wedged loop cannot hang a scrape).
 */
final class Metrics implements MetricsSource {
    private static final long REFRESH_TIMEOUT_MS = 2000;
    /** Histogram buckets of the DTLS handshake duration: loopback takes ms, a far browser a few RTTs, then timeouts. */
    private static final java.time.Duration[] HANDSHAKE_BUCKETS = {
            java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(25), java.time.Duration.ofMillis(50),
            java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(250), java.time.Duration.ofMillis(500),
            java.time.Duration.ofSeconds(1), java.time.Duration.ofMillis(2500), java.time.Duration.ofSeconds(5),
            java.time.Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final EventLoopProbe loops;
    private final EventLoopProbe mediaLoop;
    private final List<SfuAdmin> rooms = new ArrayList<>();

    Metrics(Vertx vertx, JanusCore core, MediaEngine media, TransportCounters transport, AdminCounters admin,
            List<Plugin> plugins, EventPoster events, org.janussfu.cluster.ClusterNode cluster,
            org.janussfu.cluster.ClusterCounters clusterCounters) {
        this.loops = new EventLoopProbe(vertx, VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE);
        this.mediaLoop = media.mediaContext() == null ? null : new EventLoopProbe(vertx, 1, media.mediaContext());
        bindCore(core);
        bindMedia(core, media);
        bindTransport(transport);
        bindAdmin(admin);
        for (Plugin p : plugins) {
            if (p instanceof SfuPlugin sfu) {
                bindSfu(sfu.counters(), sfu.admin());
            }
        }
        if (events != null) {
            bindEvents(events);
        }
        if (cluster != null && clusterCounters != null) {
            bindCluster(cluster, clusterCounters);
        }
        gauge("janus.event.loop.lag.seconds", "Worst lateness of the event-loop probes' latest timer tick", loops,
                l -> l.maxLagNanos() / 1e9);
        if (mediaLoop != null) {
            gauge("janus.media.loop.lag.seconds", "Lateness of the media loop's latest probe tick (the loop that "
                    + "reads, decrypts and forwards every packet)", mediaLoop, l -> l.maxLagNanos() / 1e9);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    void start() {
        loops.start();
        if (mediaLoop != null) {
            mediaLoop.start();
        }
    }

    void stop() {
        loops.stop();
        if (mediaLoop != null) {
            mediaLoop.stop();
        }
        gc.close();
        registry.close();
    }

    MeterRegistry registry() {
        return registry;
    }

    @Override
    public Future<String> scrape() {
        List<Future<Void>> refreshes = new ArrayList<>();
        for (SfuAdmin r : rooms) {
            refreshes.add(r.refreshGauges().timeout(REFRESH_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        }
        return Future.join(refreshes).transform(ar -> Future.succeededFuture(registry.scrape()));
    }

    // ---- bindings ---------------------------------------------------------------------------------------------

    private void bindCore(JanusCore core) {
        CoreCounters c = core.counters();
        gauge("janus.sessions", "Live Janus sessions", core, x -> x.sessionCount());
        gauge("janus.handles", "Live Janus handles", core, x -> x.handleCount());
        gauge("janus.accepting.sessions", "1 while the core accepts new sessions, 0 once it is stopping", core,
                x -> x.isAccepting() ? 1 : 0);
        gauge("janus.overloaded", "1 while the overload guard refuses new sessions (heap after GC, fds, PeerConnections)",
                core, x -> x.overload().overloadReason() != null ? 1 : 0);
        gauge("janus.tokens.stored", "Stored Janus API tokens (Admin API add_token)", core, x -> x.auth().tokens().size());
        counter("janus.requests", "Janus API requests", c.requests);
        counter("janus.request.errors", "Janus API requests answered with an error", c.errors);
        counter("janus.requests.refused", "Requests refused at a budget", c.refusedOverLimit, "reason", "over_limit");
        counter("janus.requests.refused", "Requests refused at a budget", c.refusedOverloaded, "reason", "overloaded");
        counter("janus.requests.refused", "Requests refused at a budget", c.unauthorized, "reason", "unauthorized");
        counter("janus.sessions.opened", "Sessions created (the OpenMetrics suffix _created is reserved)", c.sessionsCreated);
        counter("janus.sessions.destroyed", "Sessions destroyed (any reason)", c.sessionsDestroyed);
        counter("janus.sessions.timed.out", "Sessions destroyed by the session timeout", c.sessionsTimedOut);
        counter("janus.handles.attached", "Handles attached", c.handlesAttached);
        counter("janus.handles.detached", "Handles detached", c.handlesDetached);
        counter("janus.events", "Asynchronous events to clients", c.eventsSent, "result", "sent");
        counter("janus.events", "Asynchronous events to clients", c.eventsDropped, "result", "dropped");
        counter("janus.candidates.dropped", "Trickled candidates dropped at the per-handle budget", c.candidatesDropped);
        counter("janus.rtp.packets", "RTP packets", c.rtpReceived, "direction", "in");
        counter("janus.rtp.packets", "RTP packets", c.rtpForwarded, "direction", "out");
        counter("janus.rtcp.packets", "RTCP packets", c.rtcpReceived, "direction", "in");
        counter("janus.rtp.bytes", "RTP bytes (in: decrypted from publishers; out: protected, to subscribers)",
                c.rtpBytesReceived, "direction", "in");
        counter("janus.rtp.bytes", "RTP bytes (in: decrypted from publishers; out: protected, to subscribers)",
                c.rtpBytesForwarded, "direction", "out");
        counter("janus.rtcp.bytes", "RTCP bytes (decrypted)", c.rtcpBytesReceived, "direction", "in");
        counter("janus.media.dropped", "Media packets dropped", c.forwardQueueDropped, "reason", "forward_queue_full");
        counter("janus.media.dropped", "Media packets dropped", c.mediaDroppedNoPeerConnection, "reason", "no_peer_connection");
        counter("janus.media.dropped", "Media packets dropped", c.rtcpFiltered, "reason", "rtcp_filtered");
        counter("janus.retransmissions", "NACKed packets resent from a subscriber's ring", c.retransmissions);
        counter("janus.nack.misses", "NACKs for packets no longer kept", c.nackMisses);
        counter("janus.publisher.nacks", "Generic NACK packets sent to publishers", c.publisherNacksSent);
        counter("janus.publisher.nack.requests", "Sequence numbers NACKed to publishers (retries included)",
                c.publisherNackRequests);
        counter("janus.publisher.nack.outcomes", "Publisher packets NACKed: recovered by RTX, or given up",
                c.publisherRtxRecovered, "result", "rtx_recovered");
        counter("janus.publisher.nack.outcomes", "Publisher packets NACKed: recovered by RTX, or given up",
                c.publisherNackGaveUp, "result", "gave_up");
        // not janus.media.dropped: a browser's RTX padding probes and duplicates are normal, not lost media
        counter("janus.publisher.discarded", "Publisher packets not forwarded: they repair nothing",
                c.publisherDuplicatesDropped, "reason", "duplicate");
        counter("janus.publisher.discarded", "Publisher packets not forwarded: they repair nothing",
                c.publisherRtxDiscarded, "reason", "rtx_unrequested");
        counter("janus.keyframe.requests", "Keyframe requests (PLI/FIR) to publishers", c.keyframeRequestsSent, "result", "sent");
        counter("janus.keyframe.requests", "Keyframe requests (PLI/FIR) to publishers", c.keyframeRequestsThrottled, "result", "throttled");
        counter("janus.data.messages", "Data-channel messages", c.dataReceived, "direction", "in");
        counter("janus.data.messages", "Data-channel messages", c.dataSent, "direction", "out");
        counter("janus.data.messages.dropped", "Data-channel messages dropped (no channel up, full buffer)", c.dataDropped);
        gauge("janus.media.timers", "Connections whose media checks a media ticker runs (one timer per media loop)", c.mediaTimers, LongAdder::sum);
    }

    private void bindMedia(JanusCore core, MediaEngine media) {
        gauge("janus.peer.connections", "PeerConnections by state", core.admin(), a -> a.connectedPeerConnections(),
                "state", "connected");
        gauge("janus.peer.connections", "PeerConnections by state", core.admin(),
                a -> Math.max(0, a.openPeerConnections() - a.connectedPeerConnections()), "state", "connecting");
        gauge("janus.forward.queue.depth", "Relayed packets waiting in subscribers' forward queues (all handles)",
                core.admin(), a -> a.forwardQueueDepth()[0]);
        gauge("janus.forward.queue.depth.max", "Relayed packets waiting in the fullest forward queue", core.admin(),
                a -> a.forwardQueueDepth()[1]);
        fcounter("janus.dtls.handshakes", "DTLS handshakes by outcome", media, MediaEngine::dtlsHandshakesConnected,
                "result", "connected");
        fcounter("janus.dtls.handshakes", "DTLS handshakes by outcome", media, MediaEngine::dtlsHandshakesFailed,
                "result", "failed");
        fcounter("janus.dtls.handshakes", "DTLS handshakes by outcome", media, MediaEngine::dtlsHandshakesTimedOut,
                "result", "timeout");
        Timer handshake = Timer.builder("janus.dtls.handshake").description("Duration of completed DTLS handshakes")
                .serviceLevelObjectives(HANDSHAKE_BUCKETS).register(registry);
        media.onHandshake(n -> handshake.record(n, TimeUnit.NANOSECONDS));
        fcounter("janus.sctp.messages", "Data-channel (SCTP) messages", media, MediaEngine::sctpMessagesIn,
                "direction", "in");
        fcounter("janus.sctp.messages", "Data-channel (SCTP) messages", media, MediaEngine::sctpMessagesOut,
                "direction", "out");
        fcounter("janus.sctp.bytes", "Data-channel (SCTP) message bytes", media, MediaEngine::sctpBytesIn,
                "direction", "in");
        fcounter("janus.sctp.bytes", "Data-channel (SCTP) message bytes", media, MediaEngine::sctpBytesOut,
                "direction", "out");
        fcounter("janus.sctp.messages.dropped", "Data-channel messages not sent (no channel up, send buffer full)",
                media, MediaEngine::sctpMessagesDropped);
        fcounter("janus.ice.stun.messages", "Authenticated STUN messages handed to ice4j on the shared STUN pool",
                media, MediaEngine::stunPushed, "result", "processed");
        fcounter("janus.ice.stun.messages", "Authenticated STUN messages handed to ice4j on the shared STUN pool",
                media, MediaEngine::stunPushDropped, "result", "dropped");
        fcounter("janus.srtp.auth.failed", "SRTP/SRTCP packets dropped for failed authentication or replay", media,
                MediaEngine::srtpAuthFailed);
        FunctionCounter.builder("janus.packet.pool.allocated", media, m -> m.pool().allocated())
                .description("Packet buffers the pool allocated").register(registry);
        FunctionCounter.builder("janus.packet.pool.discarded", media, m -> m.pool().discarded())
                .description("Packet buffers the pool let go when full").register(registry);
    }

    private void bindTransport(TransportCounters t) {
        counter("janus.transport.connections.opened", "Janus API WebSocket connections opened", t.connectionsOpened);
        counter("janus.transport.connections.closed", "Janus API WebSocket connections closed", t.connectionsClosed);
        counter("janus.transport.bad.frames", "Frames that were not a JSON request object", t.badFrames);
        counter("janus.transport.throttled", "Requests over the per-connection rate", t.throttled);
        counter("janus.transport.closed.for.flooding", "Connections closed for flooding", t.closedForFlooding);
        counter("janus.transport.events.dropped", "Events not delivered", t.eventsDroppedClosed, "reason", "closed");
        counter("janus.transport.events.dropped", "Events not delivered", t.eventsDroppedQueueFull, "reason", "queue_full");
        counter("janus.transport.long.polls", "HTTP long polls", t.longPolls);
        gauge("janus.transport.silent.connections", "Accepted connections that have not sent a byte yet (held by the acceptor)",
                t.silentHeld, java.util.concurrent.atomic.AtomicLong::get);
        counter("janus.transport.silent.promoted", "Silent connections that spoke and went on to the server", t.silentPromoted);
        String closed = "Connections closed by connection hygiene, by reason";
        counter("janus.transport.connections.hygiene.closed", closed, t.closedSilentTimeout, "reason", "silent_timeout");
        counter("janus.transport.connections.hygiene.closed", closed, t.closedSilentEvicted, "reason", "silent_evicted");
        counter("janus.transport.connections.hygiene.closed", closed, t.closedSilentRefused, "reason", "silent_refused");
        counter("janus.transport.connections.hygiene.closed", closed, t.evictedWaiting, "reason", "evicted_waiting");
        counter("janus.transport.connections.hygiene.closed", closed, t.refusedTotalCeiling, "reason", "total_ceiling");
        counter("janus.transport.connections.hygiene.closed", closed, t.refusedAddressCeiling, "reason", "address_ceiling");
        counter("janus.transport.connections.hygiene.closed", closed, t.closedUpgradeTimeout, "reason", "upgrade_timeout");
        counter("janus.transport.connections.hygiene.closed", closed, t.closedHeaderTimeout, "reason", "header_timeout");
        for (Object[] tr : new Object[][]{{"ws", t.wsRequests}, {"http", t.httpRequests}}) {
            org.janussfu.transport.RequestCounters rc = (org.janussfu.transport.RequestCounters) tr[1];
            counter("janus.transport.requests", "Janus API requests answered, by transport", rc.requests,
                    "transport", (String) tr[0]);
            for (org.janussfu.core.JanusError e : org.janussfu.core.JanusError.values()) {
                counter("janus.transport.request.errors", "Janus API error replies by transport and Janus error code",
                        rc.errors(e), "transport", (String) tr[0], "code", Integer.toString(e.code()));
            }
        }
    }

    private void bindAdmin(AdminCounters a) {
        counter("janus.admin.requests", "Admin API requests", a.requests);
        counter("janus.admin.errors", "Admin API requests answered with an error", a.errors);
        counter("janus.admin.unauthorized", "Admin API requests refused (secret, origin)", a.unauthorized);
        counter("janus.admin.bad.frames", "Admin API frames that were not a JSON request object", a.badFrames);
        counter("janus.admin.scrapes", "GET /metrics served", a.scrapes);
        gauge("janus.admin.captures.running", "Packet captures (start_pcap, start_text2pcap) running", a.capturesRunning,
                LongAdder::sum);
        counter("janus.admin.capture.packets", "Packets of packet captures", a.captureWritten, "result", "written");
        counter("janus.admin.capture.packets", "Packets of packet captures", a.captureDropped, "result", "dropped");
    }

    private void bindEvents(EventPoster e) {
        counter("janus.events.sink.sent", "Events the sink delivered", e.sent);
        counter("janus.events.sink.dropped", "Events the sink dropped", e.droppedQueueFull, "reason", "queue_full");
        counter("janus.events.sink.dropped", "Events the sink dropped", e.droppedFailed, "reason", "post_failed");
        counter("janus.events.sink.batches", "Batches the sink delivered", e.batches);
        gauge("janus.events.sink.queued", "Events waiting in the sink's queue", e, EventPoster::queued);
    }

    private void bindSfu(SfuCounters s, SfuAdmin admin) {
        rooms.add(admin);
        gauge("janus.sfu.rooms", "Rooms with someone in them", admin, SfuAdmin::rooms);
        gauge("janus.sfu.users", "Users in rooms (summed over rooms)", admin, SfuAdmin::users);
        gauge("janus.sfu.publisher.users", "Distinct users with a publisher (max_ccu's count)", admin, SfuAdmin::publisherUsers);
        gauge("janus.sfu.participants", "Handles attached to the room plugin", admin, SfuAdmin::participants);
        counter("janus.sfu.data.relayed", "Data-channel messages handed to recipients", s.dataRelayed);
        counter("janus.sfu.not.joined", "Packets from a handle that never joined", s.rtpNotJoined, "kind", "rtp");
        counter("janus.sfu.not.joined", "Packets from a handle that never joined", s.dataNotJoined, "kind", "data");
        counter("janus.sfu.keyframe.requests", "Subscriber RTCP carrying a PLI or FIR", s.keyframeRequests);
        counter("janus.sfu.kicks", "Kicks", s.kicks);
        counter("janus.sfu.ice.restarts", "ICE restarts asked for by media subscribers", s.iceRestarts);
        counter("janus.sfu.joins.refused.overloaded", "Publisher joins refused while overloaded", s.joinsRefusedOverloaded);
    }

    /** Issue 16: what crosses between nodes (event bus and media relay), and the membership this node sees. */
    private void bindCluster(org.janussfu.cluster.ClusterNode node, org.janussfu.cluster.ClusterCounters c) {
        gauge("janus.cluster.members", "Cluster members this node sees, itself included", node, n -> n.members().size());
        counter("janus.cluster.room.events", "Room events (join, leave, data, blocks, offers) sent to other nodes",
                c.roomEventsSent, "direction", "sent");
        counter("janus.cluster.room.events", "Room events (join, leave, data, blocks, offers) sent to other nodes",
                c.roomEventsReceived, "direction", "received");
        counter("janus.cluster.rtp", "RTP packets between nodes (one per publisher packet and remote node)",
                c.rtpSent, "direction", "sent");
        counter("janus.cluster.rtp", "RTP packets between nodes (one per publisher packet and remote node)",
                c.rtpReceived, "direction", "received");
        counter("janus.cluster.data", "Data-channel messages between nodes", c.dataSent, "direction", "sent");
        counter("janus.cluster.data", "Data-channel messages between nodes", c.dataReceived, "direction", "received");
        counter("janus.cluster.frames.unknown.target", "Frames from other nodes for a mirror or handle already gone",
                c.framesUnknownTarget);
        counter("janus.cluster.rtcp.filtered", "RTCP from other nodes' subscribers filtered before the publisher",
                c.rtcpFiltered);
        counter("janus.cluster.keyframe.requests.forwarded", "Keyframe requests forwarded to publishers on other nodes",
                c.keyframeRequestsForwarded);
        counter("janus.cluster.nodes.lost", "Members that left or died (their users' state was cleaned up)", c.nodesLost);
        String relay = "Media relay (UDP between nodes) frames";
        counter("janus.cluster.relay.frames", relay, c.relaySent, "outcome", "sent");
        counter("janus.cluster.relay.frames", relay, c.relayReceived, "outcome", "received");
        counter("janus.cluster.relay.frames", relay, c.relayRejected, "outcome", "rejected");
        counter("janus.cluster.relay.frames", relay, c.relayLost, "outcome", "lost");
        counter("janus.cluster.relay.frames", relay, c.relayLate, "outcome", "late");
        counter("janus.cluster.relay.frames", relay, c.relaySendFailed, "outcome", "send_failed");
        counter("janus.cluster.relay.frames", relay, c.relayOffLoop, "outcome", "off_loop");
        String data = "Data-channel messages between nodes by how they were delivered (each comes on the relay and the bus)";
        counter("janus.cluster.data.delivered", data, c.dataRelayFirst, "outcome", "relay_first");
        counter("janus.cluster.data.delivered", data, c.dataBusFirst, "outcome", "bus_first");
        counter("janus.cluster.data.delivered", data, c.dataDuplicates, "outcome", "duplicate");
        counter("janus.cluster.data.delivered", data, c.dataRelayDropped, "outcome", "relay_dropped");
        counter("janus.cluster.data.delivered", data, c.dataLost, "outcome", "lost");
        counter("janus.cluster.data.delivered", data, c.dataBusOnly, "outcome", "bus_only");
        String admit = "Publisher joins under a room limit by how they were admitted across the cluster";
        counter("janus.cluster.admissions", admit, c.admitLocked, "outcome", "locked");
        counter("janus.cluster.admissions", admit, c.admitUnlocked, "outcome", "lock_timeout");
        counter("janus.cluster.admissions", admit, c.admitRefused, "outcome", "refused");
        counter("janus.cluster.admission.sync.timeouts", "Members that did not acknowledge an admitted join in time",
                c.admitSyncTimeouts);
        FunctionCounter.builder("janus.cluster.admission.wait", c.admitWaitMicros, a -> a.sum() / 1e6)
                .description("Time publisher joins waited for the cluster-wide room lock").baseUnit("seconds")
                .register(registry);
    }

    private void counter(String name, String help, LongAdder adder, String... tags) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(help).tags(tags).register(registry);
    }

    private <T> void fcounter(String name, String help, T obj, ToDoubleFunction<T> f, String... tags) {
        FunctionCounter.builder(name, obj, f).description(help).tags(tags).register(registry);
    }

    private <T> void gauge(String name, String help, T obj, ToDoubleFunction<T> f, String... tags) {
        Gauge.builder(name, obj, f).description(help).tags(tags).strongReference(true).register(registry);
    }
}
