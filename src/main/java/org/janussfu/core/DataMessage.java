package org.janussfu.core;

/**
 * One data-channel message as the core hands it to a plugin and a plugin relays it (Janus'
 * {@code janus_plugin_data}): the channel label and protocol, whether it is binary (PPID 53/57) or text
 * (51/56), and the payload bytes. Immutable by contract: nobody writes into {@code payload} after creation.
 */
public record DataMessage(String label, String protocol, boolean binary, byte[] payload) {
}
