package org.janussfu.webrtc.srtp;

import java.util.Arrays;

/**
 * Fixed-size open-addressing map from a 32-bit SSRC to a per-stream object (an SRTP crypto context or a sender's
 * index state), holding at most {@link SrtpTransformer#MAX_SSRCS} entries (load ≤ 0.5), linear probing, no
 * removal. It starts with {@link #INITIAL_SLOTS} slots and doubles when a new SSRC would pass half of them, up to
 * {@link #MAX_SLOTS}: a PeerConnection has five of these tables and a few SSRCs, so 1 KB each from the start was
 * most of 5 KB per PeerConnection for nothing. Keys stay primitive, so lookups neither box nor allocate; only a new
 * SSRC that grows the table allocates. Owned by {@link SrtpTransformer} or {@link SrtpGcmProtector} and used only
 * on their owner's thread; not thread-safe.
 */
final class SsrcTable<T> {
    static final int INITIAL_SLOTS = 8;
    static final int MAX_SLOTS = 2 * SrtpTransformer.MAX_SSRCS;

    private int[] keys = new int[INITIAL_SLOTS];
    private Object[] values = new Object[INITIAL_SLOTS];
    private int mask = INITIAL_SLOTS - 1;
    private int size;

    private int slot(int ssrc) {
        int h = ssrc * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    /** The value for this SSRC, or {@code null}. */
    @SuppressWarnings("unchecked")
    T get(int ssrc) {
        for (int i = slot(ssrc); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == ssrc) {
                return (T) v;
            }
        }
    }

    boolean isFull() {
        return size >= SrtpTransformer.MAX_SSRCS;
    }

    /** Adds a mapping for an SSRC known to be absent; false when the table is full. */
    boolean put(int ssrc, T value) {
        if (isFull()) {
            return false;
        }
        if (2 * (size + 1) > values.length) {
            grow();
        }
        insert(ssrc, value);
        size++;
        return true;
    }

    /** Doubles the slots (at most {@link #MAX_SLOTS}: {@link #isFull} keeps the load at or below one half). */
    private void grow() {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        int slots = Math.min(MAX_SLOTS, oldValues.length * 2);
        keys = new int[slots];
        values = new Object[slots];
        mask = slots - 1;
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                insert(oldKeys[i], oldValues[i]);
            }
        }
    }

    private void insert(int ssrc, Object value) {
        int i = slot(ssrc);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = ssrc;
        values[i] = value;
    }

    /** Slots allocated now: for tests. */
    int slots() {
        return values.length;
    }

    void clear() {
        Arrays.fill(values, null);
        size = 0;
    }
}
