package org.janussfu;

import io.vertx.core.Vertx;
import org.janussfu.core.Plugin;

import java.util.List;

/** The plugins a production server loads. Stateless. */
public final class Plugins {
    private Plugins() {
    }

    public static List<Plugin> production(Vertx vertx, ServerConfig config) {
        return List.of();
    }
}
