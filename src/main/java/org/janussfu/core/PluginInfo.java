package org.janussfu.core;

/**
 * What a plugin (or transport) says about itself in the {@code info} response, as Janus' plugin.h
 * getters do. Immutable.
 */
public record PluginInfo(String packageName, String name, String description, String author, int version,
                         String versionString) {
}
