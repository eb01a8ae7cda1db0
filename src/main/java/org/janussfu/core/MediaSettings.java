package org.janussfu.core;

import org.janussfu.media.LegSettings;

/**
 * The media settings the Admin API may change at run time, as Janus' globals of the same names: the no-media timer
 * ({@code set_no_media_timer}: silence on a received stream before a {@code media} event with
 * {@code receiving:false}; 0 = never) and the NACK queue ({@code set_max_nack_queue}: how old a sent video packet may
 * be and still be retransmitted on a NACK, RFC 4585 §6.2.1; 0 = no retransmissions). The NACK queue is also bounded
 * by the per-subscriber ring's packet count ({@code MediaLeg.NACK_RING}), so memory does not grow with it; values
 * are capped at {@link #MAX_NACK_QUEUE_MS} as Janus 1.1.2 caps its queue. Starts from the configuration
 * ({@code webrtc.no-media-timeout}, {@code webrtc.max-nack-queue}). Thread-safe: volatile fields, written by the
 * Admin API's loop, read by the media loop per NACK and per timer tick.
 */
public final class MediaSettings implements LegSettings {
    /** Janus 1.1.2's ceiling for the NACK queue ({@code DEFAULT_MAX_NACK_QUEUE}, ms). */
    public static final int MAX_NACK_QUEUE_MS = 1000;
    /** Janus 0.x refused non-zero NACK queues below this ({@code set_max_nack_queue}, ms). */
    public static final int MIN_NACK_QUEUE_MS = 200;

    private volatile long noMediaMillis;
    private volatile long nackQueueMillis;

    MediaSettings(long noMediaMillis, long nackQueueMillis) {
        this.noMediaMillis = Math.max(0, noMediaMillis);
        this.nackQueueMillis = clampNackQueue(nackQueueMillis);
    }

    static long clampNackQueue(long ms) {
        return Math.max(0, Math.min(MAX_NACK_QUEUE_MS, ms));
    }

    /** The no-media timer in ms (0 = off). */
    @Override
    public long noMediaMillis() {
        return noMediaMillis;
    }

    /** The no-media timer in whole seconds as Janus reports it (at least 1 while it is on). */
    public int noMediaSeconds() {
        long ms = noMediaMillis;
        return ms == 0 ? 0 : (int) Math.max(1, (ms + 500) / 1000);
    }

    public void setNoMediaSeconds(int seconds) {
        this.noMediaMillis = Math.max(0, seconds) * 1000L;
    }

    /** How old (ms) a kept packet may be to be retransmitted; 0 = retransmissions off. */
    public long nackQueueMillis() {
        return nackQueueMillis;
    }

    @Override
    public long nackQueueNanos() {
        return nackQueueMillis * 1_000_000L;
    }

    /** Sets the NACK queue, capped at {@link #MAX_NACK_QUEUE_MS}; returns the value in force. */
    public long setNackQueueMillis(long ms) {
        long v = clampNackQueue(ms);
        this.nackQueueMillis = v;
        return v;
    }
}
