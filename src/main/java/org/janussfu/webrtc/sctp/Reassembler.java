package org.janussfu.webrtc.sctp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reassembly and ordered delivery of received DATA (RFC 9260 §6.5, §6.6, §6.9): fragments are kept per stream and
 * ordering, keyed by TSN; a message is complete when a B fragment, consecutive TSNs and an E fragment are all
 * present. Unordered messages are delivered as soon as they are complete; ordered ones wait for their SSN. The bytes
 * held are counted so that the caller can bound them (the advertised receive window). FORWARD-TSN (RFC 3758 §3.6)
 * drops fragments it skips and moves the listed streams' next SSN; a stream reset (RFC 6525 §5.2.2) restarts a
 * stream's SSN at 0. Messages longer than the max message size are discarded and counted. Owned by the
 * association's {@link DataReceiver}; its context only.
 */
final class Reassembler {

    /** Receives complete messages; the array belongs to the sink. */
    interface Sink {
        void deliver(int streamId, int ppid, byte[] data);
    }

    private record Ready(int ppid, byte[] data) {
    }

    private static final class InStream {
        int nextSsn;
        final TreeMap<Long, DataChunk> ordered = new TreeMap<>();
        final TreeMap<Long, DataChunk> unordered = new TreeMap<>();
        final Map<Integer, Ready> ready = new HashMap<>();
    }

    private final Map<Integer, InStream> streams = new HashMap<>();
    private final int maxMessageSize;
    private final SctpCounters counters;
    private final Sink sink;
    private long bufferedBytes;

    Reassembler(int maxMessageSize, SctpCounters counters, Sink sink) {
        this.maxMessageSize = maxMessageSize;
        this.counters = counters;
        this.sink = sink;
    }

    /** Bytes held: fragments of incomplete messages and complete ordered messages waiting for their turn. */
    long bufferedBytes() {
        return bufferedBytes;
    }

    private InStream stream(int id) {
        return streams.computeIfAbsent(id, k -> new InStream());
    }

    /** Adds a new (non-duplicate) DATA chunk with its unwrapped TSN; delivers whatever it completes. */
    void add(long tsn, DataChunk d) {
        InStream s = stream(d.streamId());
        TreeMap<Long, DataChunk> frags = d.unordered() ? s.unordered : s.ordered;
        frags.put(tsn, d);
        bufferedBytes += d.dataLen();
        assemble(d.streamId(), s, frags, tsn, d.unordered());
    }

    private void assemble(int streamId, InStream s, TreeMap<Long, DataChunk> frags, long tsn, boolean unordered) {
        DataChunk at = frags.get(tsn);
        long first = tsn;
        DataChunk c = at;
        while (!c.beginning()) {
            DataChunk p = frags.get(first - 1);
            if (p == null || p.ending() || (!unordered && p.ssn() != c.ssn())) {
                return;
            }
            first--;
            c = p;
        }
        DataChunk head = c;
        long last = tsn;
        c = at;
        while (!c.ending()) {
            DataChunk n = frags.get(last + 1);
            if (n == null || n.beginning() || (!unordered && n.ssn() != c.ssn())) {
                return;
            }
            last++;
            c = n;
        }
        long total = 0;
        for (long t = first; t <= last; t++) {
            total += frags.get(t).dataLen();
        }
        byte[] data = null;
        if (total <= maxMessageSize) {
            data = new byte[(int) total];
            int p = 0;
            for (long t = first; t <= last; t++) {
                DataChunk f = frags.get(t);
                System.arraycopy(f.data(), f.dataOff(), data, p, f.dataLen());
                p += f.dataLen();
            }
        } else {
            counters.dropsReceivedTooLarge++;
        }
        frags.subMap(first, true, last, true).clear();
        bufferedBytes -= total;
        if (unordered) {
            if (data != null) {
                sink.deliver(streamId, head.ppid(), data);
            }
            return;
        }
        int ssn = head.ssn();
        if (WireBytes.ssnBefore(ssn, s.nextSsn) || s.ready.containsKey(ssn)) {
            counters.duplicateTsns++; // a stale SSN (already delivered or skipped): nothing to deliver
            return;
        }
        Ready r = new Ready(head.ppid(), data);
        s.ready.put(ssn, r);
        bufferedBytes += data == null ? 0 : data.length;
        deliverReady(streamId, s);
    }

    private void deliverReady(int streamId, InStream s) {
        Ready r;
        while ((r = s.ready.remove(s.nextSsn)) != null) {
            s.nextSsn = (s.nextSsn + 1) & 0xFFFF;
            if (r.data != null) {
                bufferedBytes -= r.data.length;
                sink.deliver(streamId, r.ppid, r.data);
            }
        }
    }

    /**
     * RFC 3758 §3.6: drop fragments at or below {@code newCum}; for each listed ordered stream deliver the complete
     * messages up to the skipped SSN and expect the one after it.
     */
    void forward(long newCum, int[] streamIds, int[] ssns) {
        for (InStream s : streams.values()) {
            bufferedBytes -= purge(s.ordered, newCum) + purge(s.unordered, newCum);
        }
        for (int i = 0; i < streamIds.length; i++) {
            int id = streamIds[i];
            int skipped = ssns[i];
            InStream s = stream(id);
            if (WireBytes.ssnBefore(skipped, s.nextSsn)) {
                continue;
            }
            List<Integer> due = new ArrayList<>();
            for (int k : s.ready.keySet()) {
                if (!WireBytes.ssnBefore(k, s.nextSsn) && !WireBytes.ssnBefore(skipped, k)) {
                    due.add(k);
                }
            }
            int base = s.nextSsn;
            due.sort((a, b) -> Integer.compare((a - base) & 0xFFFF, (b - base) & 0xFFFF));
            s.nextSsn = (skipped + 1) & 0xFFFF;
            for (int k : due) {
                Ready r = s.ready.remove(k);
                if (r.data != null) {
                    bufferedBytes -= r.data.length;
                    sink.deliver(id, r.ppid, r.data);
                }
            }
            deliverReady(id, s);
        }
    }

    private static long purge(TreeMap<Long, DataChunk> frags, long upTo) {
        if (frags.isEmpty() || frags.firstKey() > upTo) {
            return 0;
        }
        Map<Long, DataChunk> head = frags.headMap(upTo, true);
        long bytes = 0;
        for (DataChunk d : head.values()) {
            bytes += d.dataLen();
        }
        head.clear();
        return bytes;
    }

    /** RFC 6525 §5.2.2: the listed incoming streams (all when empty) restart at SSN 0. */
    void resetStreams(int[] streamIds) {
        if (streamIds.length == 0) {
            for (InStream s : streams.values()) {
                reset(s);
            }
            return;
        }
        for (int id : streamIds) {
            InStream s = streams.get(id);
            if (s != null) {
                reset(s);
            }
        }
    }

    private void reset(InStream s) {
        for (Ready r : s.ready.values()) {
            bufferedBytes -= r.data == null ? 0 : r.data.length;
        }
        s.ready.clear();
        s.nextSsn = 0;
    }
}
