package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.concurrent.atomic.LongAdder;

/**
 * Monotonic counters of the Janus core, written from any thread without locks and read by tests, logs and
 * (later) metrics. One instance per {@link JanusCore}.
 */
public final class CoreCounters {
    public final LongAdder requests = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final LongAdder sessionsCreated = new LongAdder();
    public final LongAdder sessionsDestroyed = new LongAdder();
    public final LongAdder sessionsTimedOut = new LongAdder();
    public final LongAdder handlesAttached = new LongAdder();
    public final LongAdder handlesDetached = new LongAdder();
    public final LongAdder eventsSent = new LongAdder();
    /** Events for a handle or session that was already gone, or for a session without a transport. */
    public final LongAdder eventsDropped = new LongAdder();
    /** Relay/keyframe requests for a handle without a PeerConnection. */
    public final LongAdder mediaDroppedNoPeerConnection = new LongAdder();
    public final LongAdder candidatesDropped = new LongAdder();
    /** Requests refused because a budget of {@link CoreLimits} was reached (byte caps, counts, ceilings). */
    public final LongAdder refusedOverLimit = new LongAdder();
    /** Requests refused with 403/405 (wrong or missing API secret or token, token without the plugin). */
    public final LongAdder unauthorized = new LongAdder();
    /** Sessions and joins refused while the {@link OverloadGuard} said the server is near a budget. */
    public final LongAdder refusedOverloaded = new LongAdder();
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
    /** Data-channel messages received from peers, sent (relayed) to peers, and dropped (no channel up, full buffer). */
    public final LongAdder dataReceived = new LongAdder();
    public final LongAdder dataSent = new LongAdder();
    public final LongAdder dataDropped = new LongAdder();
    /** Decrypted RTP and RTCP packets received on all PeerConnections. */
    public final LongAdder rtpReceived = new LongAdder();
    public final LongAdder rtcpReceived = new LongAdder();
    /** Publisher RTCP the gateway did not pass on to subscribers (reports are per leg). */
    public final LongAdder rtcpFiltered = new LongAdder();

    /** Writes every counter into {@code out} (snake_case keys) and returns it. */
    public ObjectNode toJson(ObjectNode out) {
        out.put("requests", requests.sum());
        out.put("errors", errors.sum());
        out.put("sessions_created", sessionsCreated.sum());
        out.put("sessions_destroyed", sessionsDestroyed.sum());
        out.put("sessions_timed_out", sessionsTimedOut.sum());
        out.put("handles_attached", handlesAttached.sum());
        out.put("handles_detached", handlesDetached.sum());
        out.put("events_sent", eventsSent.sum());
        out.put("events_dropped", eventsDropped.sum());
        out.put("media_dropped_no_pc", mediaDroppedNoPeerConnection.sum());
        out.put("candidates_dropped", candidatesDropped.sum());
        out.put("refused_over_limit", refusedOverLimit.sum());
        out.put("refused_overloaded", refusedOverloaded.sum());
        out.put("unauthorized", unauthorized.sum());
        out.put("rtcp_filtered", rtcpFiltered.sum());
        out.put("data_received", dataReceived.sum());
        out.put("data_sent", dataSent.sum());
        out.put("data_dropped", dataDropped.sum());
        out.put("rtp_received", rtpReceived.sum());
        out.put("rtp_forwarded", rtpForwarded.sum());
        out.put("forward_queue_dropped", forwardQueueDropped.sum());
        out.put("retransmissions", retransmissions.sum());
        out.put("nack_misses", nackMisses.sum());
        out.put("publisher_nacks_sent", publisherNacksSent.sum());
        out.put("publisher_nack_requests", publisherNackRequests.sum());
        out.put("publisher_rtx_recovered", publisherRtxRecovered.sum());
        out.put("publisher_nack_gave_up", publisherNackGaveUp.sum());
        out.put("publisher_rtx_discarded", publisherRtxDiscarded.sum());
        out.put("publisher_duplicates_dropped", publisherDuplicatesDropped.sum());
        out.put("keyframe_requests_sent", keyframeRequestsSent.sum());
        out.put("keyframe_requests_throttled", keyframeRequestsThrottled.sum());
        out.put("rtcp_received", rtcpReceived.sum());
        return out;
    }
}
