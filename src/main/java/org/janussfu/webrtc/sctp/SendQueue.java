package org.janussfu.webrtc.sctp;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * User messages accepted by {@code send} and not yet fragmented into DATA chunks, in FIFO order across streams, plus
 * the outgoing stream sequence numbers (RFC 9260 §6.5: SSNs are assigned per stream to ordered messages when they
 * are fragmented). Messages queued on a stream after a reset was requested are held until the reset completes and
 * the SSN restarts at 0 (RFC 6525 §5.1.2). Messages whose lifetime ends while queued are dropped here without ever
 * using a TSN or SSN. Owned by the association; its context only.
 */
final class SendQueue {

    /** Called for a message dropped because its lifetime ended while queued. */
    interface ExpiredSink {
        void expired(OutboundMessage m);
    }

    private final ArrayDeque<OutboundMessage> queue = new ArrayDeque<>();
    private final Map<Integer, Integer> nextSsn = new HashMap<>();
    private final Map<Integer, Long> heldAfter = new HashMap<>();
    private long bytes;
    private long lastSeq;

    void add(OutboundMessage m) {
        m.seq = ++lastSeq;
        queue.add(m);
        bytes += m.data.length;
    }

    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long lastSeq() {
        return lastSeq;
    }

    /** Removes and returns the first message that may be sent now, dropping expired ones on the way. */
    OutboundMessage poll(long nowMillis, ExpiredSink expired) {
        Iterator<OutboundMessage> it = queue.iterator();
        while (it.hasNext()) {
            OutboundMessage m = it.next();
            if (m.expiresAtMillis < nowMillis) {
                it.remove();
                bytes -= m.data.length;
                expired.expired(m);
                continue;
            }
            Long mark = heldAfter.get(m.streamId);
            if (mark != null && m.seq > mark) {
                continue;
            }
            it.remove();
            bytes -= m.data.length;
            return m;
        }
        return null;
    }

    /** Next SSN of an ordered message on the stream (16-bit, wrapping). */
    int takeSsn(int streamId) {
        int ssn = nextSsn.getOrDefault(streamId, 0);
        nextSsn.put(streamId, (ssn + 1) & 0xFFFF);
        return ssn;
    }

    /** Holds messages on the stream enqueued after {@code seqMark} (a reset is pending). */
    void hold(int streamId, long seqMark) {
        heldAfter.put(streamId, seqMark);
    }

    /** The reset completed (or was denied): SSN restarts at 0 if reset, and held messages flow again. */
    void release(int streamId, boolean resetSsn) {
        heldAfter.remove(streamId);
        if (resetSsn) {
            nextSsn.remove(streamId);
        }
    }

    boolean isHeld(int streamId) {
        return heldAfter.containsKey(streamId);
    }

    /** True while a message enqueued at or before {@code seqMark} on the stream still waits for its TSNs. */
    boolean hasQueuedUpTo(int streamId, long seqMark) {
        for (OutboundMessage m : queue) {
            if (m.seq > seqMark) {
                break;
            }
            if (m.streamId == streamId) {
                return true;
            }
        }
        return false;
    }

    void clear() {
        queue.clear();
        bytes = 0;
    }
}
