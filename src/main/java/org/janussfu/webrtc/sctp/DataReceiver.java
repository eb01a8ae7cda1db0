package org.janussfu.webrtc.sctp;

import java.util.Map;
import java.util.TreeMap;

/**
 * The receiving half of data transfer (RFC 9260 §6.2, §6.7): admits DATA chunks against duplicates, the trackable
 * TSN window and the reassembly memory bound (the advertised a_rwnd), feeds the {@link Reassembler}, decides when a
 * SACK is due (immediately on gaps, duplicates, a filled gap or FORWARD-TSN; otherwise every second packet or after
 * the delayed-ack timeout) and builds it. It also holds an incoming stream reset that must wait for the cumulative
 * TSN to reach the request's last TSN (RFC 6525 §5.2.2), keeping later chunks of those streams aside until then.
 * Created when the peer's initial TSN is known; owned by the association; its context only.
 */
final class DataReceiver {

    private static final int MAX_HELD_CHUNKS = 4096;

    private final SctpConfig config;
    private final SctpCounters counters;
    private final int inboundStreams;
    private final TimerSlot delayedAck;
    private final Runnable delayedAckTask;
    private final ReceiveTracker tracker;
    private final Reassembler reassembler;

    private boolean sackDue;
    private boolean sackNow;
    private int packetsUnacked;

    private long resetLastTsn;
    private int[] resetStreams;
    private final TreeMap<Long, DataChunk> held = new TreeMap<>();
    private long heldBytes;

    DataReceiver(SctpConfig config, SctpCounters counters, int peerInitialTsn, int inboundStreams,
                 Reassembler.Sink sink, TimerSlot delayedAck, Runnable delayedAckTask) {
        this.config = config;
        this.counters = counters;
        this.inboundStreams = inboundStreams;
        this.delayedAck = delayedAck;
        this.delayedAckTask = delayedAckTask;
        this.tracker = new ReceiveTracker(peerInitialTsn);
        this.reassembler = new Reassembler(config.maxMessageSize(), counters, sink);
    }

    long cumAck() {
        return tracker.cumAck();
    }

    long unwrap(int tsn) {
        return tracker.unwrap(tsn);
    }

    long buffered() {
        return reassembler.bufferedBytes() + heldBytes;
    }

    long advertisedWindow() {
        return Math.max(0, config.receiveWindow() - buffered());
    }

    /**
     * Processes one DATA chunk with user data; returns false when its stream id is out of range (answered with an
     * ERROR, RFC 9260 §3.3.10.1).
     */
    boolean onData(DataChunk d) {
        counters.dataChunksReceived++;
        long tsn = tracker.unwrap(d.tsn());
        if (tracker.isDuplicate(tsn)) {
            counters.duplicateTsns++;
            tracker.recordDuplicate(d.tsn());
            sackNow = true;
            return true;
        }
        if (!tracker.inWindow(tsn)) {
            counters.dropsTsnOutOfWindow++;
            sackNow = true;
            return true;
        }
        long buffered = buffered();
        boolean next = tsn == tracker.cumAck() + 1;
        // §6.2: drop what exceeds the window, but always take the next in-sequence TSN (bounded at twice the
        // window) so that the cumulative point can progress and ordered streams cannot deadlock.
        if (buffered + d.dataLen() > config.receiveWindow() && !(next && buffered < 2 * config.receiveWindow())) {
            counters.dropsReceiveWindow++;
            sackNow = true;
            return true;
        }
        boolean hadGaps = tracker.hasGaps();
        tracker.mark(tsn);
        sackDue = true;
        if (hadGaps || tracker.hasGaps() || (d.flags() & DataChunk.FLAG_I) != 0) {
            sackNow = true;
        }
        if (d.streamId() >= inboundStreams) {
            counters.dropsInvalidStream++;
            return false;
        }
        if (resetStreams != null && tsn > resetLastTsn && covers(resetStreams, d.streamId())) {
            if (held.size() < MAX_HELD_CHUNKS) {
                held.put(tsn, d);
                heldBytes += d.dataLen();
            } else {
                counters.dropsReceiveWindow++;
            }
            return true;
        }
        reassembler.add(tsn, d);
        return true;
    }

    /** RFC 3758 §3.6. A SACK is always due afterwards. */
    void onForwardTsn(ForwardTsnChunk f) {
        counters.forwardTsnsReceived++;
        sackDue = true;
        sackNow = true;
        long newCum = tracker.unwrap(f.newCumulativeTsn());
        if (!tracker.forwardTo(newCum)) {
            return;
        }
        Map<Long, DataChunk> dropped = held.headMap(newCum, true);
        for (DataChunk d : dropped.values()) {
            heldBytes -= d.dataLen();
        }
        dropped.clear();
        reassembler.forward(newCum, f.streamIds(), f.ssns());
    }

    /** Called once per received packet that carried DATA or FORWARD-TSN: start the delayed ack or request one. */
    void endOfPacket() {
        if (!sackDue) {
            return;
        }
        packetsUnacked++;
        if (sackNow || packetsUnacked >= 2) {
            sackNow = true;
            delayedAck.stop();
        } else if (!delayedAck.running()) {
            delayedAck.start(config.delayedAckMillis(), delayedAckTask);
        }
    }

    /** The delayed-ack timer fired. */
    void onDelayedAckTimeout() {
        if (sackDue) {
            sackNow = true;
        }
    }

    /** Forces a SACK into the next flush (e.g. answering a duplicate in SHUTDOWN-SENT). */
    void requestSack() {
        sackDue = true;
        sackNow = true;
    }

    boolean sackWanted() {
        return sackNow;
    }

    SackChunk takeSack() {
        sackNow = false;
        sackDue = false;
        packetsUnacked = 0;
        delayedAck.stop();
        return tracker.sack(advertisedWindow());
    }

    /** Defers an incoming outgoing-SSN reset until the cumulative TSN reaches {@code lastTsn}. */
    void deferReset(long lastTsn, int[] streamIds) {
        resetLastTsn = lastTsn;
        resetStreams = streamIds;
    }

    /** Performs an incoming reset now if it is due (or immediately if {@code lastTsn} is reached); else false. */
    boolean performResetIfReached() {
        if (resetStreams == null || tracker.cumAck() < resetLastTsn) {
            return false;
        }
        int[] ids = resetStreams;
        resetStreams = null;
        reassembler.resetStreams(ids);
        TreeMap<Long, DataChunk> replay = new TreeMap<>(held);
        held.clear();
        heldBytes = 0;
        for (Map.Entry<Long, DataChunk> e : replay.entrySet()) {
            reassembler.add(e.getKey(), e.getValue());
        }
        return true;
    }

    static boolean covers(int[] ids, int id) {
        if (ids.length == 0) {
            return true;
        }
        for (int x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }
}
