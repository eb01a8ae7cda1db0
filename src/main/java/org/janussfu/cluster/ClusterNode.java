package org.janussfu.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A clustered Vert.x instance: the Hazelcast cluster manager built from {@link HazelcastSettings} and the event bus
 * bound to {@code cluster.host:cluster.bus-port}. Created once by {@code Server} on the main (or JUnit) thread,
 * which blocks until the member has joined; membership callbacks arrive on Hazelcast's event threads and are
 * passed on to the listeners registered here (which hop to their own contexts).
 */
public final class ClusterNode {
    private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());
    private static final int JOIN_TIMEOUT_SECONDS = 60;

    private final Vertx vertx;
    private final ClusterManager manager;
    private final ClusterConfig config;
    private final CopyOnWriteArrayList<Consumer<String>> leftListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<String>> addedListeners = new CopyOnWriteArrayList<>();

    private ClusterNode(Vertx vertx, ClusterManager manager, ClusterConfig config) {
        this.vertx = vertx;
        this.manager = manager;
        this.config = config;
    }

    /** Starts the member and the clustered Vert.x, blocking until both are up. Never on an event loop. */
    public static ClusterNode start(VertxOptions options, io.vertx.core.transport.Transport transport,
                                    ClusterConfig config) throws Exception {
        HazelcastSettings.applySystemProperties();
        HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSettings.of(config));
        EventBusOptions bus = options.getEventBusOptions();
        bus.setHost(config.host()).setPort(config.busPort()).setClusterPublicHost(config.host());
        if (config.busPort() != 0) {
            bus.setClusterPublicPort(config.busPort());
        }
        Vertx vertx = Vertx.builder().with(options).withTransport(transport).withClusterManager(manager).buildClustered()
                .toCompletionStage().toCompletableFuture().get(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ClusterNode node = new ClusterNode(vertx, manager, config);
        manager.nodeListener(new NodeListener() {
            @Override
            public void nodeAdded(String nodeID) {
                LOG.info(() -> "cluster member joined node=" + nodeID + " members=" + manager.getNodes().size());
                for (Consumer<String> l : node.addedListeners) {
                    l.accept(nodeID);
                }
            }

            @Override
            public void nodeLeft(String nodeID) {
                LOG.info(() -> "cluster member left node=" + nodeID + " members=" + manager.getNodes().size());
                for (Consumer<String> l : node.leftListeners) {
                    l.accept(nodeID);
                }
            }
        });
        LOG.info(() -> "cluster joined name=" + config.name() + " node=" + manager.getNodeId() + " host="
                + config.host() + " port=" + config.port() + " members=" + manager.getNodes().size());
        return node;
    }

    public Vertx vertx() {
        return vertx;
    }

    public ClusterConfig config() {
        return config;
    }

    /**
     * The address member {@code nodeId} announced for its event bus — its {@code cluster.host}, a literal IP address
     * — from the cluster manager (Hazelcast's map, no name lookup); fails when the member is unknown.
     */
    io.vertx.core.Future<String> hostOf(String nodeId) {
        io.vertx.core.Promise<io.vertx.core.spi.cluster.NodeInfo> p = io.vertx.core.Promise.promise();
        manager.getNodeInfo(nodeId, p);
        return p.future().map(io.vertx.core.spi.cluster.NodeInfo::host);
    }

    /** This member's id (the Vert.x node id). */
    public String nodeId() {
        return manager.getNodeId();
    }

    /** Ids of the members currently in the cluster, this one included. */
    public java.util.List<String> members() {
        return manager.getNodes();
    }

    /** Called with the id of a member that joined or came back after a split (Hazelcast event thread). */
    public void onNodeAdded(Consumer<String> listener) {
        addedListeners.add(listener);
    }

    /** Called with the id of a member that left or died (Hazelcast event thread). */
    public void onNodeLeft(Consumer<String> listener) {
        leftListeners.add(listener);
    }
}
