package org.janussfu.cluster;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the cluster layer (no logging per message): room events and media frames sent and received, and
 * what was dropped. Written from any thread, read by metrics and {@code countersJson}.
 */
public final class ClusterCounters {
    public final LongAdder roomEventsSent = new LongAdder();
    public final LongAdder roomEventsReceived = new LongAdder();
    public final LongAdder rtpSent = new LongAdder();
    public final LongAdder rtpReceived = new LongAdder();
    public final LongAdder dataSent = new LongAdder();
    public final LongAdder dataReceived = new LongAdder();
    /** Frames for a mirror or handle that is gone (a race with a leave), dropped. */
    public final LongAdder framesUnknownTarget = new LongAdder();
    public final LongAdder rtcpFiltered = new LongAdder();
    public final LongAdder keyframeRequestsForwarded = new LongAdder();
    public final LongAdder nodesLost = new LongAdder();

    /** The counters as one JSON object into {@code o}. */
    public void toJson(com.fasterxml.jackson.databind.node.ObjectNode o) {
        o.put("room_events_sent", roomEventsSent.sum()).put("room_events_received", roomEventsReceived.sum())
                .put("rtp_sent", rtpSent.sum()).put("rtp_received", rtpReceived.sum())
                .put("data_sent", dataSent.sum()).put("data_received", dataReceived.sum())
                .put("frames_unknown_target", framesUnknownTarget.sum()).put("rtcp_filtered", rtcpFiltered.sum())
                .put("keyframe_requests_forwarded", keyframeRequestsForwarded.sum()).put("nodes_lost", nodesLost.sum());
    }
}
