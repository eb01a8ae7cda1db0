package org.janussfu;

import io.vertx.core.Vertx;
import org.janussfu.core.Plugin;
import org.janussfu.sfu.SfuPlugin;

import java.util.List;

/** The plugins a production server loads: janus.plugin.sfu. Stateless. */
public final class Plugins {
    private Plugins() {
    }

    public static List<Plugin> production(Vertx vertx, ServerConfig config) {
        return List.of(new SfuPlugin(vertx, config.sfu(), config.codecs()));
    }
}
