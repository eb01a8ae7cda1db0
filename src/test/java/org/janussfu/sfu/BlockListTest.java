package org.janussfu.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded, user-keyed block relation (sfu-protocol.md §3.5). */
class BlockListTest {

    @Test
    void eitherDirectionBlocksAndRemoveIsOneDirection() {
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
    void perUserBoundDropsTheOldestTarget() {
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
    void blockerBoundDropsTheLeastRecentlyChangedBlocker() {
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
}
