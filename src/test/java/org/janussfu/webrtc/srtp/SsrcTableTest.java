package org.janussfu.webrtc.srtp;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SSRC table starts small and grows by doubling: every SSRC put stays findable across each growth (random ones
 * and ones that collide in the first slots), the load stays at or below one half, the table never passes its
 * maximum and refuses the SSRC beyond {@link SrtpTransformer#MAX_SSRCS}; clear empties it for reuse.
 */
class SsrcTableTest {

    @Test
    void growsKeepingEveryEntryAndRefusesPastTheLimit() {
        Random r = new Random(7);
        for (int round = 0; round < 50; round++) {
            SsrcTable<Integer> t = new SsrcTable<>();
            assertEquals(SsrcTable.INITIAL_SLOTS, t.slots());
            int[] ssrcs = new int[SrtpTransformer.MAX_SSRCS];
            for (int i = 0; i < ssrcs.length; i++) {
                int s;
                do {
                    // half the rounds: SSRCs that differ only above the hash's low bits, to force probing
                    s = round % 2 == 0 ? r.nextInt() : (r.nextInt(1 << 20) << 12);
                } while (contains(ssrcs, i, s));
                ssrcs[i] = s;
                assertTrue(t.put(s, i));
                assertTrue(2 * (i + 1) <= t.slots(), "load at most one half");
                for (int j = 0; j <= i; j++) {
                    assertEquals(j, t.get(ssrcs[j]), "entry " + j + " after " + (i + 1) + " puts");
                }
            }
            assertEquals(SsrcTable.MAX_SLOTS, t.slots());
            assertTrue(t.isFull());
            assertFalse(t.put(r.nextInt(), -1));
            assertEquals(SsrcTable.MAX_SLOTS, t.slots());
        }
    }

    @Test
    void absentIsNullAndClearEmpties() {
        SsrcTable<String> t = new SsrcTable<>();
        assertNull(t.get(5));
        t.put(5, "a");
        t.put(0, "zero");
        assertEquals("a", t.get(5));
        assertEquals("zero", t.get(0));
        t.clear();
        assertNull(t.get(5));
        assertFalse(t.isFull());
        t.put(5, "b");
        assertEquals("b", t.get(5));
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }
}
