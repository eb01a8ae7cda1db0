package org.janussfu.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.janussfu.media.MediaCounters;

import java.util.concurrent.atomic.LongAdder;

/**
 * Monotonic counters of the Janus core, written from any thread without locks and read by tests, logs and
 * (later) metrics. One instance per {@link JanusCore}; the media legs' counters are the inherited
 * {@link MediaCounters} fields (the legs add to them on the media context).
 */
public final class CoreCounters extends MediaCounters {
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
    public final LongAdder candidatesDropped = new LongAdder();
    /** Requests refused because a budget of {@link CoreLimits} was reached (byte caps, counts, ceilings). */
    public final LongAdder refusedOverLimit = new LongAdder();
    /** Requests refused with 403/405 (wrong or missing API secret or token, token without the plugin). */
    public final LongAdder unauthorized = new LongAdder();
    /** Sessions and joins refused while the {@link OverloadGuard} said the server is near a budget. */
    public final LongAdder refusedOverloaded = new LongAdder();
    /** Data-channel messages received from peers, sent (relayed) to peers, and dropped (no channel up, full buffer). */
    public final LongAdder dataReceived = new LongAdder();
    public final LongAdder dataSent = new LongAdder();
    public final LongAdder dataDropped = new LongAdder();
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
