package org.janussfu.transport;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connection hygiene of one transport verticle instance: admits each accepted TCP connection against the shared
 * {@link ConnectionBudget} (closing it at once when over a ceiling), and runs one deadline per connection — from
 * accept (or from the end of the previous HTTP response) until the WebSocket upgrade or the next request's
 * headers are complete — closing connections that are too slow (slowloris). Owned by the verticle's event loop:
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
    final class State {
        final String key;
        final String ip;
        final HttpConnection conn;
        private long timer = -1;
        private boolean released;
        int inFlight;

        State(String key, String ip, HttpConnection conn) {
            this.key = key;
            this.ip = ip;
            this.conn = conn;
        }

        /** (Re)starts the deadline: the connection is closed unless {@link #cancelDeadline} comes first. */
        void armDeadline() {
            cancelDeadline();
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
                counters.connections.release(ip, limits);
            }
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
        if (refused != null) {
            (refused.equals("total") ? counters.refusedTotalCeiling : counters.refusedAddressCeiling).increment();
            TransportLog.REFUSED.log(() -> transport + " connection refused: over the "
                    + (refused.equals("total") ? "transport.max-connections" : "transport.max-connections-per-address")
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
