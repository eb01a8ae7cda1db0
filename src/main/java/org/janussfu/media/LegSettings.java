package org.janussfu.media;

/**
 * The run-time media settings a {@link MediaLeg} reads (the Admin API may change them: the core's
 * {@code MediaSettings} implements this). Implementations are thread-safe (volatile reads): the media context reads
 * them per NACK and per timer tick.
 */
public interface LegSettings {
    /** The no-media timer in ms (0 = off). */
    long noMediaMillis();

    /** How old (ns) a kept packet may be to be retransmitted on a NACK; 0 = retransmissions off. */
    long nackQueueNanos();
}
