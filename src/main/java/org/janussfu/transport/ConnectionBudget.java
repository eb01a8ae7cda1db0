package org.janussfu.transport;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The live TCP connections of both transports, against {@link ConnectionLimits}: a connection is admitted
 * when it is accepted and released when it closes. One instance per server (held by {@link TransportCounters}),
 * called from every transport event loop; lock-free (an atomic total and one atomic per remote address).
 * The total ceiling is lowered at first use to what the process's file descriptor limit leaves (minus 1024
 * descriptors kept for the media plane, logs and jars), with a warning.
 */
public final class ConnectionBudget {
    private static final Logger LOG = Logger.getLogger(ConnectionBudget.class.getName());
    private static final int FD_RESERVE = 1024;

    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private volatile int effectiveMax = -1;

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
            if (fds > 0 && m > fds - FD_RESERVE) {
                int lowered = (int) Math.max(64, fds - FD_RESERVE);
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
