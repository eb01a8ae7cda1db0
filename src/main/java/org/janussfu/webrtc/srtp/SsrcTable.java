package org.janussfu.webrtc.srtp;

import java.util.Arrays;

/**
 * Fixed-size open-addressing map from a 32-bit SSRC to a per-stream object (an SRTP crypto context or a sender's
 * index state), holding at most {@link SrtpTransformer#MAX_SSRCS} entries in 128 slots (load ≤ 0.5), linear
 * probing, no removal. Keys stay primitive, so lookups neither box nor allocate. Owned by {@link SrtpTransformer}
 * or {@link SrtpGcmProtector} and used only on their owner's thread; not thread-safe.
 */
final class SsrcTable<T> {
    private static final int SLOTS = 128;
    private static final int MASK = SLOTS - 1;

    private final int[] keys = new int[SLOTS];
    private final Object[] values = new Object[SLOTS];
    private int size;

    private static int slot(int ssrc) {
        int h = ssrc * 0x9E3779B9;
        return (h ^ (h >>> 16)) & MASK;
    }

    /** The value for this SSRC, or {@code null}. */
    @SuppressWarnings("unchecked")
    T get(int ssrc) {
        for (int i = slot(ssrc); ; i = (i + 1) & MASK) {
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
        int i = slot(ssrc);
        while (values[i] != null) {
            i = (i + 1) & MASK;
        }
        keys[i] = ssrc;
        values[i] = value;
        size++;
        return true;
    }

    void clear() {
        Arrays.fill(values, null);
        size = 0;
    }
}
