package org.janussfu.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The receiving end of a data stream between nodes ({@link DataStream}): every number is delivered once and in
 * order whichever path brings it first and however either path reorders; relay copies wait for the first bus copy
 * (so they never overtake messages sent before the stream existed); a gap is given up only for room or when stale,
 * and counted. JUnit thread (standing in for the media loop).
 */
class DataStreamTest {
    private final ClusterCounters counters = new ClusterCounters();
    private final List<Integer> delivered = new ArrayList<>();
    private final DataStream s = new DataStream("a", 1, 99, counters, f -> delivered.add(f.seq));

    private static MediaFrame m(int seq) {
        return MediaFrame.data(1, seq, new long[] {5}, "reliable", "", false, new byte[] {(byte) seq});
    }

    @Test
    void relayCopiesWaitForTheFirstBusCopy() {
        s.fromRelay(m(1), 0);
        s.fromRelay(m(2), 0);
        assertEquals(List.of(), delivered);
        s.fromBus(m(1), 0);
        assertEquals(List.of(1, 2), delivered);
        s.fromBus(m(2), 0);
        assertEquals(List.of(1, 2), delivered);
        assertEquals(2, counters.dataRelayFirst.sum());
        assertEquals(2, counters.dataDuplicates.sum());
        assertEquals(0, s.held());
    }

    @Test
    void theFirstCopyOfEachNumberIsDeliveredOnceInOrder() {
        s.fromBus(m(1), 0);
        s.fromRelay(m(2), 0);
        s.fromBus(m(2), 0);
        s.fromRelay(m(4), 0); // 3 lost on the relay: 4 waits
        s.fromRelay(m(5), 0);
        assertEquals(List.of(1, 2), delivered);
        assertEquals(2, s.held());
        s.fromBus(m(3), 0); // the bus fills the gap; what waited follows
        assertEquals(List.of(1, 2, 3, 4, 5), delivered);
        s.fromBus(m(4), 0);
        s.fromBus(m(5), 0);
        s.fromRelay(m(3), 0); // a late relay copy
        assertEquals(List.of(1, 2, 3, 4, 5), delivered);
        assertEquals(0, s.held());
        assertEquals(0, counters.dataLost.sum());
        assertEquals(3, counters.dataRelayFirst.sum(), "2, 4 and 5 came first on the relay");
        assertEquals(2, counters.dataBusFirst.sum(), "1 and 3 came first on the bus");
        assertEquals(4, counters.dataDuplicates.sum(), "the second copies of 2, 3, 4 and 5");
    }

    @Test
    void busCopiesReorderedBetweenSendersWaitToo() {
        s.fromBus(m(2), 0); // 1's bus copy is behind it (another sender's thread), its relay copy lost
        assertEquals(List.of(), delivered);
        s.fromBus(m(1), 0);
        assertEquals(List.of(1, 2), delivered);
        assertEquals(0, counters.dataLost.sum());
    }

    @Test
    void aGapIsSkippedOnlyWhenStaleAndCounted() {
        s.fromBus(m(1), 0);
        s.fromRelay(m(3), 100);
        s.fromBus(m(4), 200); // 2 never came on either path (yet): 3 and 4 wait
        s.sweep(100 + DataStream.STALE_NANOS - 1);
        assertEquals(List.of(1), delivered);
        s.sweep(100 + DataStream.STALE_NANOS);
        assertEquals(List.of(1, 3, 4), delivered);
        assertEquals(1, counters.dataLost.sum(), "2 was skipped");
        s.fromBus(m(2), 0);
        s.fromBus(m(3), 0);
        assertEquals(List.of(1, 3, 4), delivered);
    }

    @Test
    void withoutRoomRelayCopiesAreDroppedAndABusCopySkipsTheGap() {
        for (int i = 1; i <= 10; i++) {
            s.fromBus(m(i), 0);
        }
        delivered.clear();
        long lostBefore = counters.dataLost.sum();
        s.fromRelay(m(11 + DataStream.HOLD), 0);
        assertEquals(1, counters.dataRelayDropped.sum());
        s.fromRelay(m(13), 0);
        s.fromBus(m(11 + DataStream.HOLD), 0); // the bus is that far ahead: 11, 12 and the rest given up
        assertEquals(List.of(13, 11 + DataStream.HOLD), delivered);
        assertEquals(DataStream.HOLD - 1, counters.dataLost.sum() - lostBefore);
        assertEquals(0, s.held());
    }

    @Test
    void heldBytesAreBounded() {
        s.fromBus(m(1), 0);
        byte[] big = new byte[DataStream.BUDGET / 2 + 1];
        s.fromRelay(MediaFrame.data(1, 3, new long[] {5}, "l", "", true, big), 0);
        s.fromRelay(MediaFrame.data(1, 4, new long[] {5}, "l", "", true, big), 0);
        assertEquals(1, s.held());
        assertEquals(1, counters.dataRelayDropped.sum());
    }

    @Test
    void numbersWrapAround() {
        s.fromBus(m(Integer.MAX_VALUE), 0); // as after 2^31 - 1 messages (the numbers between given up here)
        s.fromRelay(m(Integer.MIN_VALUE + 1), 0);
        s.fromRelay(m(Integer.MIN_VALUE), 0);
        assertEquals(List.of(Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE + 1), delivered);
        s.fromBus(m(Integer.MIN_VALUE), 0);
        assertEquals(1, counters.dataDuplicates.sum());
    }
}
