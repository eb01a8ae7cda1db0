package org.janussfu.core;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.UnixOperatingSystemMXBean;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Decides whether the server is near one of its budgets — heap used after the last garbage collection, open file
 * descriptors, PeerConnections — so that new sessions, handles and joins are refused with a clear error while
 * established users keep being served (docs/security.md "Overload and failure"). Heap after GC comes from the JVM's
 * GC notifications (a listener per collector, called on the JVM's notification thread); descriptors and
 * PeerConnections are sampled by {@link #sample}, which the core's reaper calls once a second on the core's context.
 * The verdict is a volatile field read by any thread. Hysteresis: a budget counts as recovered only 10 points below
 * its threshold, so the state does not flap at the edge.
 */
public final class OverloadGuard {
    private static final Logger LOG = Logger.getLogger(OverloadGuard.class.getName());
    private static final int HYSTERESIS_PERCENT = 10;

    private final CoreLimits limits;
    private final LongSupplier peerConnections;
    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private final List<Runnable> unregister = new ArrayList<>();
    private volatile long heapAfterGc;
    private volatile String reason;
    private volatile String forced;

    public OverloadGuard(CoreLimits limits, LongSupplier peerConnections) {
        this.limits = limits;
        this.peerConnections = peerConnections;
    }

    /** Starts listening to GC notifications (idempotent per instance; {@link #stop} undoes it). */
    public void start() {
        NotificationListener listener = this::onGc;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                unregister.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException e) {
                        // already gone
                    }
                });
            }
        }
    }

    public void stop() {
        unregister.forEach(Runnable::run);
        unregister.clear();
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (isHeapPool(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        heapAfterGc = used;
    }

    /** Heap pools by name, for every collector HotSpot ships (G1, Parallel, Serial, ZGC, Shenandoah). */
    private static boolean isHeapPool(String pool) {
        return !(pool.contains("Metaspace") || pool.contains("Code") || pool.contains("Compressed Class")
                || pool.contains("CodeHeap"));
    }

    /** Re-evaluates the verdict from the current samples; core context, once a second. */
    public void sample() {
        String forced = this.forced;
        String now = forced != null ? forced
                : evaluate(heapAfterGc, openFds(), maxFds(), peerConnections.getAsLong(), reason != null);
        if (!java.util.Objects.equals(now, reason)) {
            String was = reason;
            reason = now;
            if (now != null) {
                LOG.warning(() -> "overloaded, refusing new sessions and joins: " + now);
            } else {
                LOG.info(() -> "overload cleared (" + was + "), accepting new sessions and joins");
            }
        }
    }

    /**
     * The verdict for given readings: null when within budget, else which budget is near its end. While already
     * overloaded, each threshold is lowered by the hysteresis.
     */
    String evaluate(long heapUsedAfterGc, long fds, long fdLimit, long pcs, boolean overloaded) {
        int slack = overloaded ? HYSTERESIS_PERCENT : 0;
        if (limits.overloadHeapPercent() < 100 && maxHeap > 0
                && heapUsedAfterGc * 100 >= (long) (limits.overloadHeapPercent() - slack) * maxHeap) {
            return "memory";
        }
        if (limits.overloadFdPercent() < 100 && fdLimit > 0 && fds * 100 >= (long) (limits.overloadFdPercent() - slack) * fdLimit) {
            return "file descriptors";
        }
        if (pcs * 100 >= (long) (100 - slack) * limits.maxPeerConnections()) {
            return "PeerConnections";
        }
        return null;
    }

    /** Tests: pins the verdict to {@code reason} (null = back to the readings) and applies it at once. */
    public void forceForTests(String reason) {
        this.forced = reason;
        sample();
    }

    /** Null while new work is accepted; else the budget that is nearly spent ("memory", "file descriptors", ...). */
    public String overloadReason() {
        return reason;
    }

    /** Heap used after the most recent GC, in bytes (0 before the first GC). */
    public long heapAfterGc() {
        return heapAfterGc;
    }

    /** Open file descriptors of this process, or -1 where the platform does not tell. */
    public static long openFds() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean u ? u.getOpenFileDescriptorCount() : -1;
    }

    static long maxFds() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean u ? u.getMaxFileDescriptorCount() : -1;
    }
}
