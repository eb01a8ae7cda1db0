package org.janussfu.media;

import java.util.concurrent.atomic.LongAdder;

/**
 * Monotonic counters of the media legs, written from any thread without locks (the media context per packet, other
 * threads on relays and keyframe requests) and read by tests, logs and metrics. The core's {@code CoreCounters}
 * extends it, so one instance per core holds both.
 */
public class MediaCounters {
    /** Relay/keyframe requests for a handle without a PeerConnection. */
    public final LongAdder mediaDroppedNoPeerConnection = new LongAdder();
    /** Gauge: per-connection media timers currently scheduled (zero when no connection is up). */
    public final LongAdder mediaTimers = new LongAdder();
    /** Relayed RTP packets sent to subscribers, and those dropped because a subscriber's queue was full. */
    public final LongAdder rtpForwarded = new LongAdder();
    /** RTP bytes received from publishers (as decrypted) and sent to subscribers (as protected on the wire). */
    public final LongAdder rtpBytesReceived = new LongAdder();
    public final LongAdder rtpBytesForwarded = new LongAdder();
    /** RTCP bytes received (decrypted compound packets). */
    public final LongAdder rtcpBytesReceived = new LongAdder();
    public final LongAdder forwardQueueDropped = new LongAdder();
    /** NACKed packets resent from a subscriber's ring, and NACKs for packets no longer kept. */
    public final LongAdder retransmissions = new LongAdder();
    public final LongAdder nackMisses = new LongAdder();
    /** Generic NACK packets sent to publishers, and the sequence numbers they asked for (retries count again). */
    public final LongAdder publisherNacksSent = new LongAdder();
    public final LongAdder publisherNackRequests = new LongAdder();
    /** Publisher packets lost upstream and recovered by RTX, and missing ones given up (retries, age, resync). */
    public final LongAdder publisherRtxRecovered = new LongAdder();
    public final LongAdder publisherNackGaveUp = new LongAdder();
    /** Publisher RTX packets not forwarded (duplicate, unrequested probe, padding only), and originals seen twice. */
    public final LongAdder publisherRtxDiscarded = new LongAdder();
    public final LongAdder publisherDuplicatesDropped = new LongAdder();
    /** Keyframe requests (PLI/FIR) sent to publishers, and those dropped by the per-publisher rate limit. */
    public final LongAdder keyframeRequestsSent = new LongAdder();
    public final LongAdder keyframeRequestsThrottled = new LongAdder();
    /** Decrypted RTP and RTCP packets received on all PeerConnections. */
    public final LongAdder rtpReceived = new LongAdder();
    public final LongAdder rtcpReceived = new LongAdder();
}
