package org.janussfu.cluster;

import java.net.InetSocketAddress;

/**
 * The sending end of a data-channel stream from this node to one other node (decision 0014): where that node's
 * {@link MediaRelay} reads, the stream id and secret it gave with its subscriptions ({@link DataStream}), and the
 * number of the next message. Every data-channel message for that node gets the next number and goes twice, on the
 * relay (fast, may be lost) and on the event bus (reliable, in order); the receiver delivers whichever copy comes
 * first, in number order. Created on {@link ClusterRooms}' context, published through a concurrent map; {@link
 * #nextSeq} is taken by the senders' threads (their session contexts).
 */
final class DataRoute {
    final String node;
    final InetSocketAddress to;
    final long stream;
    final long token;
    /** The number of the next message; starts at 1. */
    final java.util.concurrent.atomic.AtomicInteger nextSeq = new java.util.concurrent.atomic.AtomicInteger(1);

    DataRoute(String node, InetSocketAddress to, long stream, long token) {
        this.node = node;
        this.to = to;
        this.stream = stream;
        this.token = token;
    }

    /** Whether this route goes where {@code other} says, with the same stream: then the existing one is kept. */
    boolean same(InetSocketAddress to, long stream, long token) {
        return this.to.equals(to) && this.stream == stream && this.token == token;
    }
}
