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
    /** Media relay (UDP between nodes): frames sent and received (also in rtpSent/rtpReceived). */
    public final LongAdder relaySent = new LongAdder();
    public final LongAdder relayReceived = new LongAdder();
    /** Relay datagrams dropped on arrival: malformed, unknown target or wrong token (junk, forgeries, stale). */
    public final LongAdder relayRejected = new LongAdder();
    /** Frames missing from a relay's sequence (lost between nodes) and frames that arrived after a later one. */
    public final LongAdder relayLost = new LongAdder();
    public final LongAdder relayLate = new LongAdder();
    /** Frames not sent: the socket buffer was full, an error, or a packet too large for a frame. */
    public final LongAdder relaySendFailed = new LongAdder();
    /** Frames sent from a thread other than the media loop (each with a buffer of its own; expected 0). */
    public final LongAdder relayOffLoop = new LongAdder();

    /**
     * Data-channel streams between nodes ({@link DataStream}): messages delivered from their relay copy or their bus
     * copy (whichever came first), second copies dropped, relay copies dropped (not synced yet or too far ahead),
     * numbers never received on either path (skipped), and messages sent without a UDP copy (too large, or no route).
     */
    public final LongAdder dataRelayFirst = new LongAdder();
    public final LongAdder dataBusFirst = new LongAdder();
    public final LongAdder dataDuplicates = new LongAdder();
    public final LongAdder dataRelayDropped = new LongAdder();
    public final LongAdder dataLost = new LongAdder();
    public final LongAdder dataBusOnly = new LongAdder();

    /**
     * Strict room limits ({@link ClusterAdmission}): publisher joins admitted under the cluster-wide lock, admitted on
     * this node's view because the lock was not obtained in time, refused because too many waited here, members that
     * did not acknowledge a join in time, and the total time joins waited for the lock (µs).
     */
    public final LongAdder admitLocked = new LongAdder();
    public final LongAdder admitUnlocked = new LongAdder();
    public final LongAdder admitRefused = new LongAdder();
    public final LongAdder admitSyncTimeouts = new LongAdder();
    public final LongAdder admitWaitMicros = new LongAdder();

    /** The counters as one JSON object into {@code o}. */
    public void toJson(com.fasterxml.jackson.databind.node.ObjectNode o) {
        o.put("room_events_sent", roomEventsSent.sum()).put("room_events_received", roomEventsReceived.sum())
                .put("rtp_sent", rtpSent.sum()).put("rtp_received", rtpReceived.sum())
                .put("data_sent", dataSent.sum()).put("data_received", dataReceived.sum())
                .put("frames_unknown_target", framesUnknownTarget.sum()).put("rtcp_filtered", rtcpFiltered.sum())
                .put("keyframe_requests_forwarded", keyframeRequestsForwarded.sum()).put("nodes_lost", nodesLost.sum())
                .put("relay_sent", relaySent.sum()).put("relay_received", relayReceived.sum())
                .put("relay_rejected", relayRejected.sum()).put("relay_lost", relayLost.sum())
                .put("relay_late", relayLate.sum()).put("relay_send_failed", relaySendFailed.sum())
                .put("relay_off_loop", relayOffLoop.sum())
                .put("data_relay_first", dataRelayFirst.sum()).put("data_bus_first", dataBusFirst.sum())
                .put("data_duplicates", dataDuplicates.sum()).put("data_relay_dropped", dataRelayDropped.sum())
                .put("data_lost", dataLost.sum()).put("data_bus_only", dataBusOnly.sum())
                .put("admit_locked", admitLocked.sum()).put("admit_unlocked", admitUnlocked.sum())
                .put("admit_refused", admitRefused.sum()).put("admit_sync_timeouts", admitSyncTimeouts.sum())
                .put("admit_wait_us", admitWaitMicros.sum());
    }
}
