package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The asynchronous result of {@link Plugin#handleMessage}: the plugin's {@code data} object and an optional
 * JSEP. The core turns it into exactly one {@code event} on the request's transaction. Immutable.
 */
public record PluginReply(ObjectNode data, Jsep jsep) {

    public PluginReply {
        if (data == null) {
            throw new IllegalArgumentException("data is required");
        }
    }

    public static PluginReply of(ObjectNode data) {
        return new PluginReply(data, null);
    }
}
