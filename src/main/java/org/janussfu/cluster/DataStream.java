package org.janussfu.cluster;

import java.util.function.Consumer;

/**
 * The receiving end of one other node's data-channel stream to this node (decision 0014): each message comes twice,
 * numbered by the sender's {@link DataRoute} — once on the UDP relay, which is fast but may lose or reorder, and
 * once on the event bus, which is slower but loses nothing while the connection holds and never reorders one
 * sender's messages. This delivers each number exactly once and in order, from whichever copy comes first: a relay
 * copy ahead of a gap waits in a small ring until the gap is filled (by the relay or by the bus copy); the bus copy
 * of a number already delivered is dropped. Until the first bus copy has been seen the stream is not synced and
 * relay copies are dropped (the bus brings them, after any messages sent before the stream existed). A bus copy past
 * the next number means the bus lost messages (a reset connection): the gap is skipped and counted. Memory: at most
 * {@link #HOLD} relay frames of at most {@link RelayFrame#MAX_RTP} bytes each (256 KiB) per other node.
 *
 * <p>Owner: the media loop, which reads the relay and consumes the bus; created on the plugin context when this
 * node first subscribes at that node, and published through a concurrent map.
 */
final class DataStream {
    /** Relay frames held ahead of a gap (a power of two). */
    static final int HOLD = 128;
    /** Held frames older than this are released by {@link #sweep} even if the gap never closes. */
    static final long STALE_NANOS = 1_000_000_000L;

    final String node;
    final long id;
    final long token;
    private final ClusterCounters counters;
    private final Consumer<MediaFrame> deliver;
    private final MediaFrame[] held = new MediaFrame[HOLD];
    /** When each held frame arrived (System.nanoTime), by slot. */
    private final long[] heldAt = new long[HOLD];
    private int heldCount;
    private boolean synced;
    /** The number of the next message to deliver (valid once synced). */
    private int expected;

    DataStream(String node, long id, long token, ClusterCounters counters, Consumer<MediaFrame> deliver) {
        this.node = node;
        this.id = id;
        this.token = token;
        this.counters = counters;
        this.deliver = deliver;
    }

    /** A copy from the relay (token checked): delivered if next, held if ahead, dropped if seen or not synced. */
    void fromRelay(MediaFrame f, long now) {
        int ahead = f.seq - expected;
        if (!synced || ahead < 0) {
            counters.dataDuplicates.increment();
            return;
        }
        if (ahead == 0) {
            counters.dataRelayFirst.increment();
            deliverNext(f);
            return;
        }
        if (ahead >= HOLD) {
            counters.dataRelayDropped.increment(); // too far ahead: its bus copy will bring it
            return;
        }
        int slot = f.seq & (HOLD - 1);
        if (held[slot] == null) {
            counters.dataRelayFirst.increment(); // delivered from here, after the gap closes or goes stale
            held[slot] = f;
            heldAt[slot] = now;
            heldCount++;
        } else {
            counters.dataDuplicates.increment();
        }
    }

    /** A copy from the event bus: delivered (skipping a gap the bus itself left) unless the relay was first. */
    void fromBus(MediaFrame f) {
        int ahead = f.seq - expected;
        if (synced && ahead < 0) {
            counters.dataDuplicates.increment();
            return;
        }
        if (synced && ahead > 0) {
            skipTo(f.seq);
        }
        synced = true;
        counters.dataBusFirst.increment();
        deliverNext(f);
    }

    /**
     * Releases held frames that waited longer than {@link #STALE_NANOS}: the bus copies of the gap before them were
     * lost, and no later bus copy came to skip it (the sending node went quiet). Media loop, once a second.
     */
    void sweep(long now) {
        while (heldCount > 0) {
            MediaFrame first = null;
            for (int d = 1; d < HOLD && first == null; d++) {
                first = held[(expected + d) & (HOLD - 1)];
            }
            if (first == null || now - heldAt[first.seq & (HOLD - 1)] < STALE_NANOS) {
                return;
            }
            skipTo(first.seq);
            deliverNext(take(first.seq));
        }
    }

    int held() {
        return heldCount;
    }

    /**
     * Delivers the held frames before {@code seq} in order and moves on to {@code seq}, counting the numbers missing
     * among them as lost; nothing is held {@link #HOLD} or more past the next number, so that many looks suffice.
     */
    private void skipTo(int seq) {
        int gap = seq - expected;
        int delivered = 0;
        for (int d = 0, n = Math.min(gap, HOLD); d < n; d++) {
            MediaFrame h = take(expected + d);
            if (h != null) {
                deliver.accept(h);
                delivered++;
            }
        }
        counters.dataLost.add(gap - delivered);
        expected = seq;
    }

    /** Delivers {@code f} (number {@code expected} after a skip, or the first of a sync) and what was held behind it. */
    private void deliverNext(MediaFrame f) {
        deliver.accept(f);
        expected = f.seq + 1;
        for (MediaFrame h = take(expected); h != null; h = take(expected)) {
            deliver.accept(h);
            expected++;
        }
    }

    private MediaFrame take(int seq) {
        int slot = seq & (HOLD - 1);
        MediaFrame h = held[slot];
        if (h == null || h.seq != seq) {
            return null;
        }
        held[slot] = null;
        heldCount--;
        return h;
    }
}
