package org.janussfu.webrtc.sctp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stream reset (RFC 6525), the way WebRTC closes a data channel (RFC 8831 §6.7). Outgoing: {@code resetStreams}
 * holds new messages on the streams, waits until the messages queued before it have their TSNs, then sends one
 * Outgoing SSN Reset Request (§4.1, §5.1.2) at a time, retransmitted on a timer until a Re-configuration Response;
 * on success the streams' SSNs restart at 0. Incoming: an Outgoing SSN Reset Request with the expected sequence
 * number is performed once the cumulative TSN reaches its last assigned TSN (§5.2.2) — at once, or later with an
 * "in progress" answer first — and reported through the host; retransmitted requests get the last answer again;
 * other request types are denied. Owned by the association; its context only.
 */
final class StreamResetManager {

    /** What the manager needs from the association. */
    interface Host {
        void sendControl(Chunk c);

        void streamsReset(int[] streamIds);

        long rtoMillis();

        int lastAssignedTsn();

        long unwrapPeerTsn(int tsn);
    }

    /** RFC 6525 §4.4 "Error - Request already in progress". */
    private static final int RESULT_REQUEST_IN_PROGRESS = 4;

    private final SctpCounters counters;
    private final SendQueue queue;
    private final TimerSlot timer;
    private final Runnable timerTask;
    private final Host host;

    private final Map<Integer, Long> pending = new LinkedHashMap<>();
    private ReconfigChunk.OutgoingResetRequest inFlight;
    private int nextRequestSeq;
    private long backoff = 1;

    private int expectedPeerSeq;
    private int lastAnswer = ReconfigChunk.RESULT_NOTHING_TO_DO;
    private int deferredSeq;
    private int[] deferredIds;
    private long deferredTsn;
    private long lastPerformedTsn = Long.MIN_VALUE;
    private int[] lastPerformedIds = new int[0];

    StreamResetManager(SctpCounters counters, SendQueue queue, TimerSlot timer, Runnable timerTask, Host host,
                       int localInitialTsn) {
        this.counters = counters;
        this.queue = queue;
        this.timer = timer;
        this.timerTask = timerTask;
        this.host = host;
        this.nextRequestSeq = localInitialTsn; // RFC 6525 §5.1.1: starts at the initial TSN
    }

    void setPeerInitialTsn(int peerInitialTsn) {
        expectedPeerSeq = peerInitialTsn;
    }

    /** Queues a reset of our outgoing streams; messages sent on them afterwards wait for its completion. */
    void requestReset(int[] streamIds) {
        long mark = queue.lastSeq();
        for (int id : streamIds) {
            if (id < 0 || id > 0xFFFF || pending.containsKey(id) || queue.isHeld(id)) {
                continue;
            }
            pending.put(id, mark);
            queue.hold(id, mark);
        }
    }

    /** Sends the next request when none is in flight and some streams are ready (called on flush). */
    void maybeSendRequest() {
        if (inFlight != null || pending.isEmpty()) {
            return;
        }
        List<Integer> ready = new ArrayList<>();
        for (Map.Entry<Integer, Long> e : pending.entrySet()) {
            if (!queue.hasQueuedUpTo(e.getKey(), e.getValue())) {
                ready.add(e.getKey());
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        int[] ids = new int[ready.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ready.get(i);
            pending.remove(ids[i]);
        }
        inFlight = new ReconfigChunk.OutgoingResetRequest(nextRequestSeq, expectedPeerSeq - 1,
                host.lastAssignedTsn(), ids);
        backoff = 1;
        counters.streamResetsSent++;
        send();
    }

    private void send() {
        host.sendControl(new ReconfigChunk(List.of(inFlight)));
        timer.start(host.rtoMillis() * backoff, timerTask);
    }

    /** The request timer fired: retransmit (RFC 6525 §5.1.1, with the RTO backed off). */
    void onTimeout() {
        if (inFlight != null) {
            backoff = Math.min(backoff * 2, 64);
            // The last assigned TSN may have moved only for other streams; keep the original request unchanged.
            send();
        }
    }

    /** Handles a RE-CONFIG chunk from the peer; returns the responses to send (possibly empty). */
    List<ReconfigChunk.Param> onReconfig(ReconfigChunk chunk, DataReceiver rx) {
        List<ReconfigChunk.Param> answers = new ArrayList<>(1);
        for (ReconfigChunk.Param p : chunk.params()) {
            if (p instanceof ReconfigChunk.Response r) {
                onResponse(r);
            } else if (p instanceof ReconfigChunk.OutgoingResetRequest o) {
                answers.add(new ReconfigChunk.Response(o.requestSeq(), onPeerOutgoingReset(o, rx)));
            } else {
                int seq = p instanceof ReconfigChunk.IncomingResetRequest in ? in.requestSeq()
                        : ((ReconfigChunk.Other) p).requestSeq();
                int result;
                if (seq == expectedPeerSeq) {
                    expectedPeerSeq++;
                    result = lastAnswer = ReconfigChunk.RESULT_DENIED; // we only implement outgoing SSN resets
                } else {
                    result = seq == expectedPeerSeq - 1 ? lastAnswer : ReconfigChunk.RESULT_BAD_SEQUENCE;
                }
                answers.add(new ReconfigChunk.Response(seq, result));
            }
        }
        return answers;
    }

    private int onPeerOutgoingReset(ReconfigChunk.OutgoingResetRequest o, DataReceiver rx) {
        int seq = o.requestSeq();
        if (seq == expectedPeerSeq - 1) {
            return lastAnswer;
        }
        if (seq != expectedPeerSeq) {
            return ReconfigChunk.RESULT_BAD_SEQUENCE;
        }
        expectedPeerSeq++;
        long lastTsn = host.unwrapPeerTsn(o.lastAssignedTsn());
        int[] ids = o.streamIds();
        if (deferredIds != null) {
            if (lastTsn == deferredTsn && Arrays.equals(ids, deferredIds)) {
                deferredSeq = seq; // the deferred request retried under a new number: still waiting
                return lastAnswer = ReconfigChunk.RESULT_IN_PROGRESS;
            }
            return lastAnswer = RESULT_REQUEST_IN_PROGRESS;
        }
        if (lastTsn == lastPerformedTsn && Arrays.equals(ids, lastPerformedIds)) {
            return lastAnswer = ReconfigChunk.RESULT_PERFORMED; // the performed request retried under a new number
        }
        counters.streamResetsReceived++;
        rx.deferReset(lastTsn, ids);
        deferredSeq = seq;
        deferredIds = ids;
        deferredTsn = lastTsn;
        if (rx.performResetIfReached()) {
            performed();
            return lastAnswer = ReconfigChunk.RESULT_PERFORMED;
        }
        return lastAnswer = ReconfigChunk.RESULT_IN_PROGRESS;
    }

    /** After the cumulative TSN moved: completes a deferred incoming reset and tells the peer. */
    void checkDeferred(DataReceiver rx) {
        if (deferredIds != null && rx.performResetIfReached()) {
            int seq = deferredSeq;
            performed();
            lastAnswer = ReconfigChunk.RESULT_PERFORMED;
            host.sendControl(new ReconfigChunk(List.of(new ReconfigChunk.Response(seq,
                    ReconfigChunk.RESULT_PERFORMED))));
        }
    }

    private void performed() {
        int[] ids = deferredIds;
        deferredIds = null;
        lastPerformedTsn = deferredTsn;
        lastPerformedIds = ids;
        host.streamsReset(ids);
    }

    private void onResponse(ReconfigChunk.Response r) {
        if (inFlight == null || r.responseSeq() != inFlight.requestSeq()) {
            return;
        }
        int result = r.result();
        if (result == ReconfigChunk.RESULT_IN_PROGRESS) {
            timer.start(host.rtoMillis() * backoff, timerTask); // ask again later with the same number
            return;
        }
        boolean ok = result == ReconfigChunk.RESULT_PERFORMED || result == ReconfigChunk.RESULT_NOTHING_TO_DO;
        for (int id : inFlight.streamIds()) {
            queue.release(id, ok);
        }
        inFlight = null;
        nextRequestSeq++;
        timer.stop();
    }

}
