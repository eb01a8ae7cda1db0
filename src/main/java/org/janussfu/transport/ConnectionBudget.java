package org.janussfu.transport;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The live TCP connections of both transports, against {@link ConnectionLimits}: a connection is admitted
 * when it is accepted and released when it closes. One instance per server (held by {@link TransportCounters}),
 * called from every transport event loop; lock-free (an atomic total and one atomic per remote address).
 * The total ceiling is lowered at first use to what the process's file descriptor limit leaves (minus 1024
 * descriptors kept for the media plane, logs and jars, and the places of {@link SilentConnections}), with a warning.
 *
 * <p>At the total ceiling a newcomer may take the place of the oldest connection, on any loop, that is still
 * waiting for its upgrade or its next request ({@link #evictOldestWaiting}): such connections are queued here
 * (lock-free, in accept order) by their owning {@link ConnectionGuard}, and dropped from the queue lazily once they
 * stop waiting or close (swept when the queue outgrows twice the open connections).
 */
public final class ConnectionBudget {
    private static final Logger LOG = Logger.getLogger(ConnectionBudget.class.getName());
    private static final int FD_RESERVE = 1024;

    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private volatile int effectiveMax = -1;
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingSize = new AtomicInteger();

    /** A connection that may be waiting (idle or slow); implemented by the guard's per-connection state. */
    interface Waiting {
        /** If still waiting: close it, give its place back, and return true (any thread, at most once). */
        boolean evictIfWaiting();

        /** Whether it no longer waits or is closed, so the queue may forget it (then it may be queued again). */
        boolean dropFromQueue();
    }

    /** Queues a connection that started waiting. */
    void enqueueWaiting(Waiting w) {
        waiting.add(w);
        if (waitingSize.incrementAndGet() > 2 * Math.max(64, open.get())) {
            waiting.removeIf(x -> {
                boolean drop = x.dropFromQueue();
                if (drop) {
                    waitingSize.decrementAndGet();
                }
                return drop;
            });
        }
    }

    /** Evicts the oldest waiting connection to make room; false when none waits. */
    boolean evictOldestWaiting() {
        for (Waiting w; (w = waiting.poll()) != null; ) {
            waitingSize.decrementAndGet();
            if (w.evictIfWaiting()) {
                return true;
            }
            w.dropFromQueue();
        }
        return false;
    }

    /** Admits a new connection from {@code address} (an IP literal), or returns why not: "total" or "address". */
    String tryAdmit(String address, ConnectionLimits limits) {
        int max = effectiveMax(limits);
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return "total";
        }
        if (limits.maxPerAddress() > 0) {
            AtomicInteger n = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
            if (n.incrementAndGet() > limits.maxPerAddress()) {
                release(address, limits);
                return "address";
            }
        }
        return null;
    }

    /** Releases a connection admitted by {@link #tryAdmit}. */
    void release(String address, ConnectionLimits limits) {
        open.decrementAndGet();
        if (limits.maxPerAddress() > 0) {
            perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    /** Connections open now over both transports. */
    public int open() {
        return open.get();
    }

    int effectiveMax(ConnectionLimits limits) {
        int m = effectiveMax;
        if (m < 0) {
            m = limits.maxConnections();
            long fds = maxFileDescriptors();
            long reserve = FD_RESERVE + (long) limits.maxSilent(); // silent connections hold descriptors too
            if (fds > 0 && m > fds - reserve) {
                int lowered = (int) Math.max(64, fds - reserve);
                int configured = m;
                LOG.warning(() -> "transport.max-connections=" + configured + " does not fit the file descriptor limit "
                        + fds + "; using " + lowered);
                m = lowered;
            }
            effectiveMax = m;
        }
        return m;
    }

    private static long maxFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }
}
