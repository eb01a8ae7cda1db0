package org.janussfu.admin;

import io.vertx.core.Future;

/**
 * Where {@code GET /metrics} gets its text: the process's metrics in the Prometheus text exposition format
 * (version 0.0.4). Implemented by the server's wiring (which may see every layer); called on the admin HTTP
 * listener's event loop, and must not block it.
 */
public interface MetricsSource {
    String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    Future<String> scrape();
}
