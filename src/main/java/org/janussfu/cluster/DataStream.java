package org.janussfu.cluster;

import java.util.function.Consumer;

/**
 * The receiving end of one other node's data-channel stream to this node (decision 0014): each message comes twice,
 * numbered by the sender's {@link DataRoute} — once on the UDP relay, which is fast but may lose or reorder, and
 * once on the event bus, which is slower and loses nothing while the connection holds. This delivers each number
 * exactly once and in order, from whichever copy comes first; a copy ahead of a gap waits in a ring until the gap is
 * filled by either path. Until the first bus copy has been seen, relay copies only wait: messages sent before the
 * stream existed came unnumbered on the bus, and a relay copy must not overtake them. A gap is given up (skipped and
 * counted as lost) only when the ring is full, when the held copies exceed {@link #BUDGET} bytes, or when the oldest
 * has waited {@link #STALE_NANOS} ({@link #sweep}) — the bus lost messages (a reset connection), or the sender is
 * gone. Memory: at most {@link #HOLD} held messages and {@link #BUDGET} bytes of payload per other node.
 *
 * <p>Owner: the media loop, which reads the relay and consumes the bus; created on the plugin context when this
 * node first subscribes at that node, and published through a concurrent map.
 */
final class DataStream {
    /** Messages held ahead of a gap (a power of two). */
    static final int HOLD = 128;
    /** Payload bytes held ahead of a gap. */
    static final int BUDGET = 1 << 20;
    /** A gap older than this is skipped by {@link #sweep}. */
    static final long STALE_NANOS = 1_000_000_000L;

    final String node;
    final long id;
    final long token;
    private final ClusterCounters counters;
    private final Consumer<MediaFrame> deliver;
    private final MediaFrame[] held = new MediaFrame[HOLD];
    /** When each held message arrived (System.nanoTime), by slot. */
    private final long[] heldAt = new long[HOLD];
    /** Whether each held message came by the relay (else by the bus), by slot. */
    private final boolean[] heldRelay = new boolean[HOLD];
    private int heldCount;
    private long heldBytes;
    private boolean synced;
    /** The number of the next message to deliver; a route numbers from 1. */
    private int expected = 1;

    DataStream(String node, long id, long token, ClusterCounters counters, Consumer<MediaFrame> deliver) {
        this.node = node;
        this.id = id;
        this.token = token;
        this.counters = counters;
        this.deliver = deliver;
    }

    /** A copy from the relay (token checked): delivered if next, held if ahead, dropped if seen or no room. */
    void fromRelay(MediaFrame f, long now) {
        int ahead = f.seq - expected;
        if (ahead < 0) {
            counters.dataDuplicates.increment();
        } else if (synced && ahead == 0) {
            deliver(f, true);
            expected++;
            drain();
        } else {
            int h = hold(f, true, ahead, now);
            if (h == ALREADY) {
                counters.dataDuplicates.increment();
            } else if (h == NO_ROOM) {
                counters.dataRelayDropped.increment(); // its bus copy will bring it
            }
        }
    }

    /** A copy from the event bus: delivered if next, held if ahead (the gap skipped if there is no room). */
    void fromBus(MediaFrame f, long now) {
        int ahead = f.seq - expected;
        if (ahead < 0) {
            counters.dataDuplicates.increment();
            return;
        }
        synced = true;
        int h = ahead == 0 && held[f.seq & (HOLD - 1)] == null ? NO_ROOM : hold(f, false, ahead, now);
        if (h == ALREADY) {
            counters.dataDuplicates.increment(); // the relay copy waited for the first bus copy: it goes now
        } else if (h == NO_ROOM) {
            skipTo(f.seq);
            deliver(f, false);
            expected++;
        }
        drain();
    }

    /** Skips the oldest gap if it has waited longer than {@link #STALE_NANOS}. Media loop, once a second. */
    void sweep(long now) {
        while (heldCount > 0) {
            MediaFrame first = null;
            for (int d = 0; d < HOLD && first == null; d++) {
                MediaFrame h = held[(expected + d) & (HOLD - 1)];
                first = h != null && h.seq == expected + d ? h : null;
            }
            if (first == null || now - heldAt[first.seq & (HOLD - 1)] < STALE_NANOS) {
                return;
            }
            synced = true;
            skipTo(first.seq);
            drain();
        }
    }

    int held() {
        return heldCount;
    }

    private static final int HELD = 0;
    private static final int ALREADY = 1;
    private static final int NO_ROOM = 2;

    private int hold(MediaFrame f, boolean relay, int ahead, long now) {
        int slot = f.seq & (HOLD - 1);
        if (ahead < HOLD && held[slot] != null) {
            return ALREADY; // the window holds one message per slot: this number's other copy
        }
        if (ahead >= HOLD || heldBytes + f.length > BUDGET) {
            return NO_ROOM;
        }
        held[slot] = f;
        heldAt[slot] = now;
        heldRelay[slot] = relay;
        heldCount++;
        heldBytes += f.length;
        return HELD;
    }

    /**
     * Moves on to {@code seq}: the held messages before it are delivered in order, the numbers missing among them
     * counted as lost; nothing is held {@link #HOLD} or more past the next number, so that many looks suffice.
     */
    private void skipTo(int seq) {
        int gap = seq - expected;
        int delivered = 0;
        for (int d = 0, n = Math.min(gap, HOLD); d < n; d++) {
            if (deliverHeld(expected + d)) {
                delivered++;
            }
        }
        counters.dataLost.add(gap - delivered);
        expected = seq;
    }

    /** Delivers what is held from the next number on, while it is contiguous (and the stream synced). */
    private void drain() {
        while (synced && deliverHeld(expected)) {
            expected++;
        }
    }

    private boolean deliverHeld(int seq) {
        int slot = seq & (HOLD - 1);
        MediaFrame h = held[slot];
        if (h == null || h.seq != seq) {
            return false;
        }
        held[slot] = null;
        heldCount--;
        heldBytes -= h.length;
        deliver(h, heldRelay[slot]);
        return true;
    }

    private void deliver(MediaFrame f, boolean relay) {
        (relay ? counters.dataRelayFirst : counters.dataBusFirst).increment();
        deliver.accept(f);
    }
}
