package org.janussfu.media;

import io.vertx.core.Vertx;
import org.janussfu.rtp.PacketPool;

/**
 * What every {@link MediaLeg} of a process shares: the counters it adds to, the run-time settings, the packet pool
 * its copies come from, the Vert.x instance its timers run on, and the configured {@code slowlink} threshold (lost
 * packets per second, 0 = never). Immutable; any thread.
 */
public record LegServices(MediaCounters counters, LegSettings settings, PacketPool pool, Vertx vertx,
                          int slowlinkThreshold) {
}
