package org.janussfu.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The acknowledgements strict room limits wait for ({@link MirrorRegistry#whenApplied}): given once a node's room
 * events up to a number were applied, from events or a {@code hello} state, in order; dropped with the node. Events
 * of an unknown type carry numbers like any other, so no plugin is needed here.
 */
class MirrorRegistryTest {
    private final MirrorRegistry registry = new MirrorRegistry(null, null, new AtomicLong());
    private final List<String> acks = new ArrayList<>();

    private static JsonObject event(long seq) {
        return new JsonObject().put("t", "test-only").put("s", seq);
    }

    @Test
    void acknowledgesOnceTheNumberedEventIsApplied() {
        registry.whenApplied("a", 2, () -> acks.add("a2"));
        registry.whenApplied("b", 1, () -> acks.add("b1"));
        registry.apply("a", event(1));
        assertEquals(List.of(), acks, "event 1 of a does not cover a sync for event 2");
        registry.apply("b", event(1));
        assertEquals(List.of("b1"), acks, "each node's numbers are its own");
        registry.apply("a", event(2));
        assertEquals(List.of("b1", "a2"), acks);
        registry.whenApplied("a", 1, () -> acks.add("a1-late"));
        assertEquals("a1-late", acks.get(2), "a sync for an event already applied is answered at once");
    }

    @Test
    void helloStateCoversEverythingBeforeItAndANodeThatLeftDropsItsWaits() {
        registry.whenApplied("a", 4, () -> acks.add("a4"));
        registry.whenApplied("a", 6, () -> acks.add("a6"));
        registry.replace("a", new JsonArray(), 5);
        assertEquals(List.of("a4"), acks);
        registry.dropNode("a");
        registry.apply("a", event(9));
        assertEquals(List.of("a4"), acks, "what waited for a node that left is dropped");
        registry.whenApplied("a", 3, () -> acks.add("a3")); // its numbers are tracked afresh from 9
        assertEquals(List.of("a4", "a3"), acks);
    }

    @Test
    void beyondTheBoundTheOldestRunsEarlyRatherThanBeingLost() {
        for (int i = 0; i < MirrorRegistry.MAX_PARKED + 10; i++) {
            int n = i;
            registry.whenApplied("a", 100 + i, () -> acks.add("p" + n));
        }
        assertEquals(10, acks.size(), "the ten oldest ran when the bound was reached");
        assertEquals("p0", acks.get(0));
        registry.apply("a", event(100_000));
        assertEquals(MirrorRegistry.MAX_PARKED + 10, acks.size(), "the rest ran once their event was applied");
        assertEquals("p10", acks.get(10));
    }
}
