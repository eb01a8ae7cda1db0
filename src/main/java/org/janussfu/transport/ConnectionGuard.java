package org.janussfu.transport;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connection hygiene of one transport verticle instance: admits each accepted TCP connection against the shared
 * {@link ConnectionBudget} (closing it at once when over a ceiling), and runs one deadline per connection — from
 * accept (or from the end of the previous HTTP response) until the WebSocket upgrade or the next request's
 * headers are complete — closing connections that are too slow (slowloris). At the total ceiling a new connection
 * takes the place of the oldest connection, on any loop, that is still waiting for its upgrade or its next request
 * (idle or slow: it holds a place and does nothing), so that a flood of idle connections delays fresh clients by one
 * accept, not by a deadline; only when every connection is doing work is the newcomer refused. Owned by the
 * verticle's event loop (the eviction of a waiting connection by another loop touches only its volatile/atomic
 * fields and closes it; its owner then cleans up in the close handler):
 * Vert.x runs the connection, request and WebSocket handlers of a connection on the loop of the instance that
 * accepted it, so the state map needs no synchronisation.
 */
final class ConnectionGuard {
    private final Vertx vertx;
    private final String transport;
    private final ConnectionLimits limits;
    private final TransportCounters counters;
    private final long deadlineMillis;
    private final LongAdder deadlineCounter;
    private final Map<String, State> states = new HashMap<>();

    /** One admitted connection: its address, its pending deadline and whether it was released. */
    final class State implements ConnectionBudget.Waiting {
        final String key;
        final String ip;
        final HttpConnection conn;
        private long timer = -1;
        private boolean released;
        int inFlight;
        /** Deadline armed and no request in flight: a newcomer may take its place. Written by the owner. */
        private volatile boolean waiting;
        private volatile boolean queued;
        /** Set once by whoever gives the place back: the owner on close, or an evicting loop. */
        private final AtomicBoolean placeGiven = new AtomicBoolean();

        State(String key, String ip, HttpConnection conn) {
            this.key = key;
            this.ip = ip;
            this.conn = conn;
        }

        /** (Re)starts the deadline: the connection is closed unless {@link #cancelDeadline} comes first. */
        void armDeadline() {
            cancelDeadline();
            waiting = inFlight == 0;
            if (waiting && !queued) {
                queued = true;
                counters.connections.enqueueWaiting(this);
            }
            timer = vertx.setTimer(deadlineMillis, t -> {
                timer = -1;
                if (!released) {
                    deadlineCounter.increment();
                    TransportLog.SLOW_CONNECTION.log(() -> transport + " connection closed: too slow (deadline "
                            + deadlineMillis / 1000 + " s) remote=" + key);
                    conn.close();
                }
            });
        }

        void cancelDeadline() {
            waiting = false;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }

        /** Gives the connection's place back (idempotent: the HTTP and the WebSocket close may both call it). */
        void release() {
            if (!released) {
                released = true;
                cancelDeadline();
                states.remove(key);
                if (placeGiven.compareAndSet(false, true)) {
                    counters.connections.release(ip, limits);
                }
            }
        }

        @Override
        public boolean evictIfWaiting() {
            if (!waiting || !placeGiven.compareAndSet(false, true)) {
                return false;
            }
            counters.connections.release(ip, limits);
            counters.evictedWaiting.increment();
            TransportLog.EVICTED.log(() -> transport + " connection closed for a newcomer at the transport.max-connections"
                    + " ceiling: it was waiting (idle or slow) remote=" + key);
            conn.close();
            return true;
        }

        @Override
        public boolean dropFromQueue() {
            boolean drop = !waiting || placeGiven.get();
            if (drop) {
                queued = false;
            }
            return drop;
        }
    }

    ConnectionGuard(Vertx vertx, String transport, ConnectionLimits limits, TransportCounters counters,
                    int deadlineSeconds, LongAdder deadlineCounter) {
        this.vertx = vertx;
        this.transport = transport;
        this.limits = limits;
        this.counters = counters;
        this.deadlineMillis = deadlineSeconds * 1000L;
        this.deadlineCounter = deadlineCounter;
    }

    /** The server's connection handler: admit or close, then start the first deadline. */
    void accept(HttpConnection conn) {
        SocketAddress remote = conn.remoteAddress();
        String key = String.valueOf(remote);
        String ip = remote == null ? "?" : String.valueOf(remote.hostAddress());
        String refused = counters.connections.tryAdmit(ip, limits);
        if ("total".equals(refused) && counters.connections.evictOldestWaiting()) {
            refused = counters.connections.tryAdmit(ip, limits);
        }
        if (refused != null) {
            String why = refused;
            (why.equals("total") ? counters.refusedTotalCeiling : counters.refusedAddressCeiling).increment();
            TransportLog.REFUSED.log(() -> transport + " connection refused: over the "
                    + (why.equals("total") ? "transport.max-connections" : "transport.max-connections-per-address")
                    + " ceiling remote=" + key);
            conn.close();
            return;
        }
        State s = new State(key, ip, conn);
        states.put(key, s);
        conn.closeHandler(v -> s.release());
        // Without a handler Vert.x logs every connection error (resets...) at ERROR: one line per attacker socket.
        conn.exceptionHandler(e -> TransportLog.CONNECTION_ERROR.log(() -> transport + " connection error remote="
                + key + ": " + e));
        s.armDeadline();
    }

    /** The state of the admitted connection with this remote address, or null (already closed). */
    State of(SocketAddress remote) {
        return states.get(String.valueOf(remote));
    }
}
