package org.janussfu.webrtc.datachannel;

import java.util.Arrays;

/**
 * Rebuilds one user message sent with the deprecated partial PPIDs (RFC 8831 §8: 52 binary partial, 54 string
 * partial, the final part carrying 53 or 51), as old browsers split large messages. Bounded: a message that grows
 * beyond the limit is discarded up to and including its final part. One per {@link DataChannel}, created on first
 * use; owned by {@link DataChannels} on the connection's context.
 */
final class PartialMessageAssembler {

    private final int limit;
    private byte[] buffer = new byte[0];
    private int length;
    private boolean pending;
    private boolean discarding;

    PartialMessageAssembler(int limit) {
        this.limit = limit;
    }

    /** A partial message has started and its final part has not arrived yet. */
    boolean pending() {
        return pending;
    }

    /** Adds a part; false when this part made the message overflow (it is then discarded). */
    boolean append(byte[] data, int off, int len) {
        pending = true;
        if (discarding) {
            return true;
        }
        int needed = length + len;
        if (needed > limit) {
            discarding = true;
            buffer = new byte[0];
            length = 0;
            return false;
        }
        if (buffer.length < needed) {
            buffer = Arrays.copyOf(buffer, Math.min(limit, Math.max(needed, Math.max(1024, buffer.length * 2))));
        }
        System.arraycopy(data, off, buffer, length, len);
        length = needed;
        return true;
    }

    /**
     * Adds the final part and returns the whole message (exact length, owned by the caller), or null when it
     * was discarded. Resets for the next message either way.
     */
    byte[] finish(byte[] data, int off, int len) {
        boolean ok = append(data, off, len);
        byte[] whole = ok && !discarding ? Arrays.copyOf(buffer, length) : null;
        buffer = new byte[0];
        length = 0;
        pending = false;
        discarding = false;
        return whole;
    }
}
