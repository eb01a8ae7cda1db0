package org.janussfu.sfu;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the room plugin, written lock-free from the media callbacks (any handle's context) and read by
 * tests and, later, metrics.
 */
public final class SfuCounters {
    /** RTP from a handle that never joined (nothing to relay to). */
    public final LongAdder rtpNotJoined = new LongAdder();
    /** Data-channel messages from a handle that never joined. */
    public final LongAdder dataNotJoined = new LongAdder();
    /** Data-channel messages handed to the gateway (one per recipient). */
    public final LongAdder dataRelayed = new LongAdder();
    /** RTCP packets from subscribers that carried a PLI or FIR. */
    public final LongAdder keyframeRequests = new LongAdder();
    public final LongAdder kicks = new LongAdder();
    /** ICE restarts asked for by media subscribers ({@code restart} messages answered with an offer). */
    public final LongAdder iceRestarts = new LongAdder();
    /** Publisher joins of new users refused because the core reported overload. */
    public final LongAdder joinsRefusedOverloaded = new LongAdder();
}
