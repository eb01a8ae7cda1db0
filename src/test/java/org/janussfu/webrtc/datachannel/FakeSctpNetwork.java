package org.janussfu.webrtc.datachannel;

import java.util.ArrayDeque;

/**
 * The in-memory "wire" between two {@link FakeSctpTransport}s: a FIFO of pending deliveries that the test drains
 * explicitly, so every exchange is deterministic and in order. Test thread only.
 */
final class FakeSctpNetwork {

    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();

    void post(Runnable delivery) {
        queue.add(delivery);
    }

    int pending() {
        return queue.size();
    }

    /** Runs deliveries (and those they cause) until the wire is quiet; returns how many ran. */
    int drain() {
        int n = 0;
        Runnable r;
        while ((r = queue.poll()) != null) {
            r.run();
            if (++n > 1_000_000) {
                throw new IllegalStateException("the fake wire does not settle");
            }
        }
        return n;
    }

    /** A connected pair of fake transports; each takes its listener when its {@link DataChannels} is built. */
    FakeSctpTransport[] pair() {
        FakeSctpTransport a = new FakeSctpTransport(this, "a");
        FakeSctpTransport b = new FakeSctpTransport(this, "b");
        a.peer = b;
        b.peer = a;
        return new FakeSctpTransport[] {a, b};
    }
}
