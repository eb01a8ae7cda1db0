package org.janussfu.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded, user-keyed block relation (sfu-protocol.md §3.5). */
class BlockListTest {

    @Test
    void eitherDirectionBlocksAndRemoveIsOneDirection() throws SfuError {
        BlockList blocks = new BlockList();
        assertEquals(List.of(), blocks.add("a", "b"));
        assertEquals(List.of(), blocks.add("a", "b")); // duplicate collapses
        assertTrue(blocks.isBlocked("a", "b"));
        assertTrue(blocks.isBlocked("b", "a"));
        assertFalse(blocks.isBlocked("a", "c"));
        assertFalse(blocks.isBlocked(null, "a"));
        assertFalse(blocks.remove("b", "a"));
        assertTrue(blocks.isBlocked("a", "b"));
        assertTrue(blocks.remove("a", "b"));
        assertFalse(blocks.isBlocked("a", "b"));
        assertEquals(0, blocks.blockers());
    }

    @Test
    void perUserBoundDropsTheOldestTarget() throws SfuError {
        BlockList blocks = new BlockList(2, 100);
        blocks.add("a", "x");
        blocks.add("a", "y");
        blocks.add("a", "x"); // refreshes x
        assertEquals(List.of("y"), blocks.add("a", "z"));
        assertTrue(blocks.isBlocked("a", "x"));
        assertFalse(blocks.isBlocked("a", "y"));
        assertTrue(blocks.isBlocked("a", "z"));
    }

    @Test
    void blockerBoundDropsTheLeastRecentlyChangedBlocker() throws SfuError {
        BlockList blocks = new BlockList(10, 2);
        blocks.add("a", "x");
        blocks.add("b", "y");
        blocks.add("a", "z"); // a changed last
        List<String> evicted = blocks.add("c", "w");
        assertEquals(List.of("b", "y"), evicted);
        assertFalse(blocks.isBlocked("b", "y"));
        assertTrue(blocks.isBlocked("a", "x"));
        assertEquals(2, blocks.blockers());
    }

    @Test
    void bytesAreBudgetedAndOfflineBlockersGoFirst() throws SfuError {
        java.util.Set<String> online = new java.util.HashSet<>(List.of("alice"));
        long budget = 10 * (250 + BlockList.ENTRY_OVERHEAD);
        BlockList blocks = new BlockList(1000, 1000, budget, online::contains);
        String big = "w".repeat(240);
        blocks.add("alice", "bob");
        for (int i = 0; i < 2_000; i++) {
            blocks.add("offline-" + (i % 50), big + i); // an attacker minting user ids and long targets
            assertTrue(blocks.bytes() <= budget, "budget holds: " + blocks.bytes());
        }
        assertTrue(blocks.isBlocked("alice", "bob"), "an online user's block survives the flood");
        online.addAll(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "offline-" + i).toList());
        // now every blocker is online: once the budget is spent, new blocks are refused, nothing is dropped
        SfuError refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            try {
                blocks.add("alice", big + "x" + i);
            } catch (SfuError e) {
                refused = e;
            }
        }
        assertEquals(SfuError.BLOCK_LIST_FULL, refused == null ? null : refused.text());
        assertTrue(blocks.isBlocked("alice", "bob"));
        assertTrue(blocks.bytes() <= budget);
    }

    @Test
    void removeGivesBackItsBytes() throws SfuError {
        BlockList blocks = new BlockList();
        blocks.add("a", "b");
        blocks.add("a", "c");
        assertTrue(blocks.bytes() > 0);
        blocks.remove("a", "b");
        blocks.remove("a", "c");
        assertEquals(0, blocks.bytes());
    }
}
