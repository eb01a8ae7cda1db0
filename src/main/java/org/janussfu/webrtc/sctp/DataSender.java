package org.janussfu.webrtc.sctp;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sending half of data transfer: fragmentation of queued messages into DATA chunks with consecutive TSNs
 * (RFC 9260 §6.9), the retransmission queue, SACK processing (§6.2.1) with gap blocks and miss indications, fast
 * retransmit (§7.2.4), T3-rtx handling (§6.3.2, §6.3.3), window limits from cwnd and the peer's a_rwnd (§6.1), and
 * partial reliability: abandoning messages, the Advanced.Peer.Ack.Point and FORWARD-TSN (RFC 3758 §3.5). TSNs are
 * unwrapped to 64 bits. Created by the association once the peer's initial TSN is known; owned by it and used on
 * its context only. The T3 timer slot is shared with the association, which owns the error counter (§8.1).
 */
final class DataSender {

    private final SctpConfig config;
    private final SctpCounters counters;
    private final SendQueue queue;
    private final TimerSlot t3;
    private final Runnable t3Task;
    private final RtoEstimator rto;
    private final CongestionControl cc;
    private final boolean peerPartialReliability;

    private final TreeMap<Long, TxChunk> outstanding = new TreeMap<>();
    private final ArrayDeque<TxChunk> unsent = new ArrayDeque<>();
    private long nextTsn;
    private long cumAck;
    private long advancedPeerAck;
    private long flight;
    private long peerRwnd;
    private long unackedBytes;
    private int marked;
    private boolean fastPending;

    DataSender(SctpConfig config, SctpCounters counters, SendQueue queue, TimerSlot t3, Runnable t3Task,
               RtoEstimator rto, int initialTsn, long peerRwnd, boolean peerPartialReliability) {
        this.config = config;
        this.counters = counters;
        this.queue = queue;
        this.t3 = t3;
        this.t3Task = t3Task;
        this.rto = rto;
        this.peerRwnd = peerRwnd;
        this.peerPartialReliability = peerPartialReliability;
        this.cc = new CongestionControl(config.mtu(), peerRwnd);
        this.nextTsn = initialTsn & 0xFFFFFFFFL;
        this.cumAck = nextTsn - 1;
        this.advancedPeerAck = cumAck;
    }

    /** Bytes accepted but not yet acknowledged (queued, or TSN assigned and not acked nor abandoned). */
    long bufferedAmount() {
        return queue.bytes() + unackedBytes;
    }

    /** Nothing queued and everything acknowledged: SHUTDOWN may proceed (§9.2). */
    boolean drained() {
        return queue.isEmpty() && outstanding.isEmpty();
    }

    /** The last TSN given to a DATA chunk (for RFC 6525 §4.1 requests). */
    int lastAssignedTsn() {
        return (int) (nextTsn - 1);
    }

    /** Appends retransmissions, then new DATA, as the windows allow (§6.1 rules A–B, §7.2.4 rule 3). */
    void fill(PacketWriter w, long now) {
        if (marked > 0) {
            long fastBudget = fastPending ? config.mtu() - SctpPacket.HEADER : 0;
            for (TxChunk c : outstanding.values()) {
                if (marked == 0) {
                    break;
                }
                if (!c.retransmit) {
                    continue;
                }
                if (shouldAbandon(c, now)) {
                    abandon(c.message);
                    continue;
                }
                if (c.fast && fastBudget >= c.wireSize()) {
                    fastBudget -= c.wireSize();
                    transmit(c, w, now);
                } else if (flight < cc.cwnd()) {
                    transmit(c, w, now);
                } else if (fastBudget <= 0) {
                    break;
                }
            }
        }
        fastPending = false;
        while (true) {
            TxChunk c = unsent.peek();
            if (c == null) {
                if (marked > 0 || !pullMessage(now)) {
                    break;
                }
                continue;
            }
            if (peerPartialReliability && c.message.expiresAtMillis < now) {
                abandon(c.message);
                continue;
            }
            if (flight >= cc.cwnd() || (c.length() > peerRwnd && flight > 0)) {
                break;
            }
            unsent.poll();
            transmit(c, w, now);
        }
        if (!outstanding.isEmpty() && !t3.running()) {
            t3.start(rto.rto(), t3Task);
        }
    }

    private boolean pullMessage(long now) {
        OutboundMessage m = queue.poll(now, expired -> counters.abandonedMessages++);
        if (m == null) {
            return false;
        }
        int ssn = m.unordered ? 0 : queue.takeSsn(m.streamId);
        int maxFrag = config.maxFragment();
        int len = m.data.length;
        int n = Math.max(1, (len + maxFrag - 1) / maxFrag);
        m.ssn = ssn;
        m.firstTsn = nextTsn;
        m.fragments = n;
        for (int i = 0; i < n; i++) {
            int off = i * maxFrag;
            int flen = Math.min(maxFrag, len - off);
            int flags = (m.unordered ? DataChunk.FLAG_U : 0) | (i == 0 ? DataChunk.FLAG_B : 0)
                    | (i == n - 1 ? DataChunk.FLAG_E : 0);
            DataChunk d = new DataChunk(flags, (int) nextTsn, m.streamId, ssn, m.ppid, m.data, off, flen);
            TxChunk t = new TxChunk(nextTsn, d, m);
            outstanding.put(nextTsn, t);
            unsent.add(t);
            unackedBytes += flen;
            nextTsn++;
        }
        counters.messagesSent++;
        return true;
    }

    private void transmit(TxChunk c, PacketWriter w, long now) {
        if (c.transmissions > 0) {
            counters.retransmissions++;
        }
        c.transmissions++;
        c.sentAtMillis = now;
        if (c.retransmit) {
            c.retransmit = false;
            marked--;
        }
        c.fast = false;
        c.inFlight = true;
        flight += c.length();
        peerRwnd = Math.max(0, peerRwnd - c.length());
        counters.dataChunksSent++;
        w.add(c.chunk);
    }

    /**
     * Processes a SACK (or a SHUTDOWN's cumulative ack with {@code gapStarts} empty and {@code aRwnd} &lt; 0).
     * Returns true when it acknowledged new data, which clears the association's error counter (§8.3).
     */
    boolean onSack(int cumTsn, long aRwnd, int[] gapStarts, int[] gapEnds, long now) {
        long cum = WireBytes.unwrapTsn(cumAck, cumTsn);
        if (cum < cumAck) {
            return false; // §6.2.1 D i): an older SACK, out of order
        }
        TxChunk firstUnsent = unsent.peek();
        if (cum >= nextTsn || (firstUnsent != null && cum >= firstUnsent.tsn)) {
            counters.malformedChunks++; // acknowledges a TSN never sent: ignore it
            return false;
        }
        long flightBefore = flight;
        boolean cumAdvanced = cum > cumAck;
        long[] acked = {0, -1, -1}; // bytes, highest newly acked TSN, RTT sample
        while (!outstanding.isEmpty() && outstanding.firstKey() <= cum) {
            ack(outstanding.pollFirstEntry().getValue(), acked, now);
        }
        cumAck = cum;
        if (advancedPeerAck < cum) {
            advancedPeerAck = cum;
        }
        for (int i = 0; i < gapStarts.length; i++) {
            if (gapStarts[i] == 0 || gapEnds[i] < gapStarts[i] || cum + gapEnds[i] >= nextTsn) {
                continue;
            }
            for (TxChunk c : outstanding.subMap(cum + gapStarts[i], true, cum + gapEnds[i], true).values()) {
                if (!c.acked && c.transmissions > 0) {
                    ack(c, acked, now);
                }
            }
        }
        if (acked[2] >= 0) {
            rto.sample(acked[2]);
        }
        boolean fastRtx = false;
        if (acked[1] > cum) {
            // §7.2.4 with the HTNA rule: count a miss for each outstanding TSN below the highest newly acked one.
            for (TxChunk c : outstanding.headMap(acked[1], false).values()) {
                if (c.acked || c.abandoned || !c.inFlight) {
                    continue;
                }
                if (++c.misses >= 3 && !c.fastRetransmitted) {
                    c.fastRetransmitted = true;
                    counters.fastRetransmits++;
                    fastRtx = true;
                    markForRetransmit(c, now, true);
                }
            }
        }
        if (fastRtx) {
            cc.onFastRetransmit(nextTsn - 1);
            fastPending = true;
        }
        cc.onAck(acked[0], flightBefore, cumAdvanced, cum, flight);
        if (aRwnd >= 0) {
            peerRwnd = Math.max(0, aRwnd - flight);
        }
        updateAdvancedPeerAckPoint();
        if (outstanding.isEmpty()) {
            t3.stop();
        } else if (cumAdvanced || fastRtx) {
            t3.start(rto.rto(), t3Task);
        }
        return acked[0] > 0 || cumAdvanced;
    }

    private void ack(TxChunk c, long[] acked, long now) {
        if (c.acked) {
            return;
        }
        c.acked = true;
        if (c.inFlight) {
            c.inFlight = false;
            flight -= c.length();
        }
        if (c.retransmit) {
            c.retransmit = false;
            marked--;
        }
        if (!c.abandoned) {
            unackedBytes -= c.length();
            acked[0] += c.length();
            if (c.tsn > acked[1]) {
                acked[1] = c.tsn;
                if (c.transmissions == 1) { // Karn's rule, §6.3.1 C5
                    acked[2] = now - c.sentAtMillis;
                }
            }
        }
    }

    /** §6.3.3: T3-rtx expired (the association already counted the error). */
    void onT3Expired(long now) {
        counters.t3Expirations++;
        rto.backoff();
        cc.onTimeout();
        for (TxChunk c : outstanding.values()) {
            if (c.inFlight && !c.acked) {
                markForRetransmit(c, now, false);
            }
        }
        updateAdvancedPeerAckPoint();
    }

    private void markForRetransmit(TxChunk c, long now, boolean fast) {
        if (shouldAbandon(c, now)) {
            abandon(c.message);
            return;
        }
        if (c.inFlight) {
            c.inFlight = false;
            flight -= c.length();
        }
        if (!c.retransmit) {
            c.retransmit = true;
            marked++;
        }
        c.fast = fast;
    }

    /** RFC 3758 §3.5 A1–A3 with RFC 8831 §6.1's two policies; a peer without PR-SCTP gets full reliability. */
    private boolean shouldAbandon(TxChunk c, long now) {
        if (!peerPartialReliability) {
            return false;
        }
        OutboundMessage m = c.message;
        return m.abandoned || (m.maxRetransmits >= 0 && c.transmissions > m.maxRetransmits)
                || m.expiresAtMillis < now;
    }

    /** Abandons every unacknowledged fragment of the message (RFC 3758 §3.5 A2 and §3.6 note on fragments). */
    private void abandon(OutboundMessage m) {
        if (m.abandoned) {
            return;
        }
        m.abandoned = true;
        counters.abandonedMessages++;
        for (long tsn = m.firstTsn; tsn < m.firstTsn + m.fragments; tsn++) {
            TxChunk c = outstanding.get(tsn);
            if (c == null || c.acked || c.abandoned) {
                continue;
            }
            if (c.inFlight) {
                c.inFlight = false;
                flight -= c.length();
            }
            if (c.retransmit) {
                c.retransmit = false;
                marked--;
            }
            unackedBytes -= c.length();
            c.abandoned = true;
        }
        unsent.removeIf(t -> t.message == m);
        updateAdvancedPeerAckPoint();
    }

    /** RFC 3758 §3.5 C1–C2: move the Advanced.Peer.Ack.Point over abandoned chunks. */
    private void updateAdvancedPeerAckPoint() {
        if (advancedPeerAck < cumAck) {
            advancedPeerAck = cumAck;
        }
        while (true) {
            TxChunk c = outstanding.get(advancedPeerAck + 1);
            if (c == null || !(c.abandoned || (c.acked && c.message.abandoned))) {
                return;
            }
            advancedPeerAck++;
        }
    }

    /** The FORWARD-TSN to send when the Advanced.Peer.Ack.Point is ahead of the cumulative ack, else null. */
    ForwardTsnChunk forwardTsn() {
        if (!peerPartialReliability || advancedPeerAck <= cumAck) {
            return null;
        }
        Map<Integer, Integer> ssns = new LinkedHashMap<>();
        for (TxChunk c : outstanding.subMap(cumAck, false, advancedPeerAck, true).values()) {
            if (c.message.abandoned && !c.message.unordered) {
                ssns.put(c.message.streamId, c.message.ssn); // §3.2: the largest SSN skipped per ordered stream
            }
        }
        int[] ids = new int[ssns.size()];
        int[] seqs = new int[ssns.size()];
        int i = 0;
        for (Iterator<Map.Entry<Integer, Integer>> it = ssns.entrySet().iterator(); it.hasNext(); i++) {
            Map.Entry<Integer, Integer> e = it.next();
            ids[i] = e.getKey();
            seqs[i] = e.getValue();
        }
        counters.forwardTsnsSent++;
        return new ForwardTsnChunk((int) advancedPeerAck, ids, seqs);
    }

    /** DATA sent or assigned a TSN and not yet acknowledged (heartbeats are only needed when there is none). */
    boolean hasOutstanding() {
        return !outstanding.isEmpty();
    }
}
