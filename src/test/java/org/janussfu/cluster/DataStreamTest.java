package org.janussfu.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The receiving end of a data stream between nodes ({@link DataStream}): every number is delivered once and in
 * order whichever path brings it first; relay copies wait behind a gap that the bus copy fills; nothing from the
 * relay is delivered before the bus has synced the stream; a gap the bus itself left is skipped and counted; held
 * frames are bounded and released when stale. JUnit thread (standing in for the media loop).
 */
class DataStreamTest {
    private final ClusterCounters counters = new ClusterCounters();
    private final List<Integer> delivered = new ArrayList<>();
    private final DataStream s = new DataStream("a", 1, 99, counters, f -> delivered.add(f.seq));

    private static MediaFrame m(int seq) {
        return MediaFrame.data(1, seq, new long[] {5}, "reliable", "", false, new byte[] {(byte) seq});
    }

    @Test
    void relayCopiesBeforeTheFirstBusCopyAreDroppedAndTheBusSyncs() {
        s.fromRelay(m(1), 0);
        s.fromRelay(m(2), 0);
        assertEquals(List.of(), delivered);
        s.fromBus(m(1));
        s.fromBus(m(2));
        assertEquals(List.of(1, 2), delivered);
        assertEquals(2, counters.dataBusFirst.sum());
        assertEquals(2, counters.dataDuplicates.sum());
    }

    @Test
    void theFirstCopyOfEachNumberIsDeliveredOnceInOrder() {
        s.fromBus(m(1));
        s.fromRelay(m(2), 0);
        s.fromBus(m(2));
        s.fromRelay(m(4), 0); // 3 lost on the relay: 4 waits
        s.fromRelay(m(5), 0);
        assertEquals(List.of(1, 2), delivered);
        assertEquals(2, s.held());
        s.fromBus(m(3)); // the bus fills the gap; what waited follows
        assertEquals(List.of(1, 2, 3, 4, 5), delivered);
        s.fromBus(m(4));
        s.fromBus(m(5));
        s.fromRelay(m(3), 0); // a late relay copy
        assertEquals(List.of(1, 2, 3, 4, 5), delivered);
        assertEquals(0, s.held());
        assertEquals(0, counters.dataLost.sum());
        assertEquals(3, counters.dataRelayFirst.sum(), "2, 4 and 5 came first on the relay");
        assertEquals(2, counters.dataBusFirst.sum(), "1 and 3 came first on the bus");
        assertEquals(4, counters.dataDuplicates.sum(), "the second copies of 2, 3, 4 and 5");
    }

    @Test
    void aGapTheBusLeftIsSkippedAndCounted() {
        s.fromBus(m(1));
        s.fromRelay(m(3), 0);
        s.fromBus(m(4)); // 2 never came on either path, 3 is held: 3 then 4
        assertEquals(List.of(1, 3, 4), delivered);
        assertEquals(1, counters.dataLost.sum());
        s.fromBus(m(3));
        assertEquals(List.of(1, 3, 4), delivered);
    }

    @Test
    void framesTooFarAheadAreDroppedAndStaleOnesReleased() {
        s.fromBus(m(10));
        s.fromRelay(m(11 + DataStream.HOLD), 0);
        assertEquals(1, counters.dataRelayDropped.sum());
        s.fromRelay(m(13), 100);
        s.fromRelay(m(12), 200);
        s.sweep(100 + DataStream.STALE_NANOS - 1);
        assertEquals(List.of(10), delivered);
        s.sweep(200 + DataStream.STALE_NANOS);
        assertEquals(List.of(10, 12, 13), delivered);
        assertEquals(1, counters.dataLost.sum(), "11 was skipped");
        s.fromBus(m(11));
        s.fromBus(m(14));
        assertEquals(List.of(10, 12, 13, 14), delivered);
    }

    @Test
    void numbersWrapAround() {
        s.fromBus(m(Integer.MAX_VALUE));
        s.fromRelay(m(Integer.MIN_VALUE + 1), 0);
        s.fromRelay(m(Integer.MIN_VALUE), 0);
        assertEquals(List.of(Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE + 1), delivered);
    }
}
