package org.janussfu.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.janussfu.core.AdminView;
import org.janussfu.core.LogThrottle;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The handle requests {@code start_pcap}, {@code start_text2pcap}, {@code stop_pcap} and {@code stop_text2pcap} as
 * Janus 1.1.2 answers them: optional {@code folder} and {@code filename} (strings) and {@code truncate} (bytes kept
 * of each packet, a positive integer, 0 = all) — 467 for a wrong type; 490 {@code pcap already started} /
 * {@code text2pcap already started} while a capture runs on the handle; 490 {@code Error starting pcap dump} /
 * {@code Error starting text2pcap dump} when the file cannot be used ({@link CaptureFiles}); a stop without a
 * capture is 490 {@code Capture not started}; success is {@code {"janus":"success","transaction":…}} (no session id,
 * as Janus). A stop answers once the file is flushed and closed. Called on the admin listener's event loop.
 */
final class CaptureRequests {
    private static final Logger LOG = Logger.getLogger(CaptureRequests.class.getName());
    private static final LogThrottle ACTION_LOG = new LogThrottle(LOG, Level.INFO, 50, 10_000);

    private final Vertx vertx;
    private final AdminView view;
    private final CaptureFiles files;

    CaptureRequests(Vertx vertx, AdminView view, CaptureFiles files) {
        this.vertx = vertx;
        this.view = view;
        this.files = files;
    }

    static boolean handles(String request) {
        return switch (request) {
            case "start_pcap", "start_text2pcap", "stop_pcap", "stop_text2pcap" -> true;
            default -> false;
        };
    }

    /** One of the four requests for an existing handle (the caller answered 458/459 already). */
    Future<ObjectNode> handle(String request, String tx, long sessionId, long handleId, ObjectNode req) {
        if (request.startsWith("stop_")) {
            Context here = vertx.getOrCreateContext();
            return view.stopCapture(sessionId, handleId).compose(c -> {
                ACTION_LOG.log(() -> "admin " + request + " session=" + sessionId + " handle=" + handleId + " file="
                        + c.file() + " packets=" + c.written() + " dropped=" + c.dropped());
                if (c instanceof PacketCapture p) {
                    return Future.fromCompletionStage(p.closed, here).map(v -> success(tx));
                }
                return Future.succeededFuture(success(tx));
            });
        }
        boolean text = request.equals("start_text2pcap");
        String folder;
        String filename;
        int truncate;
        try {
            folder = AdminJson.optionalText(req, "folder");
            filename = AdminJson.optionalText(req, "filename");
            truncate = (int) Math.max(0, AdminJson.positive(req, "truncate", false, 65535));
        } catch (org.janussfu.core.JanusException e) {
            return Future.failedFuture(e);
        }
        return view.startCapture(sessionId, handleId, text,
                () -> files.open(vertx, text, folder, filename, truncate, sessionId, handleId)).map(c -> {
            ACTION_LOG.log(() -> "admin " + request + " session=" + sessionId + " handle=" + handleId + " file=" + c.file());
            return success(tx);
        });
    }

    private static ObjectNode success(String tx) {
        return AdminJson.envelope("success", 0, tx);
    }
}
