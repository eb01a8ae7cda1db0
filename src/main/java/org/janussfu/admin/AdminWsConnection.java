package org.janussfu.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.ServerWebSocket;
import org.janussfu.core.JanusError;
import org.janussfu.core.JanusException;

import java.util.logging.Logger;

/**
 * One Admin API WebSocket: one JSON request per text frame, one reply per request (session and handle ids travel
 * in the JSON, as over Janus' WebSocket admin transport). Owned by the {@link AdminServer}'s event loop; replies may
 * be written from the context that finished the request (Vert.x queues writes to the socket's loop in order). Limits:
 * the message size (over it: close 1009), the listener's connection ceiling (over it: close 1013), and a peer that
 * stops reading its replies is not read from until it catches up.
 */
final class AdminWsConnection {
    private static final Logger LOG = Logger.getLogger(AdminWsConnection.class.getName());
    private static final short MESSAGE_TOO_BIG = 1009;
    private static final short TRY_AGAIN_LATER = 1013;
    private static final short POLICY_VIOLATION = 1008;

    private final AdminServer server;
    private final ServerWebSocket ws;
    private final AdminConfig config;
    private final AdminCounters counters;
    private volatile boolean closed;

    AdminWsConnection(AdminServer server, ServerWebSocket ws, AdminConfig config, AdminCounters counters) {
        this.server = server;
        this.ws = ws;
        this.config = config;
        this.counters = counters;
    }

    void start() {
        if (server.refusesOrigin(ws.headers().get("Origin"))) {
            counters.unauthorized.increment();
            ws.close(POLICY_VIOLATION, "Admin API without a secret refuses browser origins");
            return;
        }
        if (server.openSockets >= config.maxConnections()) {
            counters.connectionsRefused.increment();
            ws.close(TRY_AGAIN_LATER, "Too many admin connections (limit " + config.maxConnections() + ")");
            return;
        }
        server.openSockets++;
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(b -> {
            counters.badFrames.increment();
            send(AdminJson.error(0, null, JanusError.INVALID_JSON, "JSON error: binary frames are not supported, send JSON text frames"));
        });
        ws.exceptionHandler(e -> LOG.fine(() -> "admin websocket error " + ws.remoteAddress() + ": " + e));
        ws.closeHandler(v -> {
            closed = true;
            server.openSockets--;
        });
    }

    private void onText(String text) {
        if (text.length() > config.maxMessageBytes()) {
            counters.badFrames.increment();
            ws.close(MESSAGE_TOO_BIG, "Message too big (limit " + config.maxMessageBytes() + " bytes)");
            return;
        }
        ObjectNode request;
        try {
            request = AdminJson.parse(text);
        } catch (JanusException e) {
            counters.badFrames.increment();
            send(AdminJson.error(0, null, e.error(), e.reason()));
            return;
        }
        server.requests().handle(request).onSuccess(this::send);
        if (ws.writeQueueFull()) {
            ws.pause();
            ws.drainHandler(v -> ws.resume());
        }
    }

    private void send(ObjectNode reply) {
        if (!closed) {
            ws.writeTextMessage(AdminJson.write(reply));
        }
    }
}
