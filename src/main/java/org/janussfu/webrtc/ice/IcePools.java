package org.janussfu.webrtc.ice;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * ice4j's process-wide thread pools, bounded and made to give their idle threads back quickly. ice4j keeps static
 * cached pools (agent tasks such as paced connectivity checks, STUN message processing, STUN retransmissions) and
 * single-thread timers whose idle threads live 60 s. A cached pool starts a thread whenever none is idle, so a
 * burst of connections checking at once grew the process by one thread per concurrent task (42 agent threads while a
 * room of 15 set up 225 connections); and idle threads stayed a minute. {@link #tune} caps every cached pool at
 * {@link #MAX_THREADS} threads — a task beyond that goes to one shared two-thread overflow pool with a queue, so no
 * task is refused or run on the submitting thread — and shortens every pool's keep-alive to {@link #IDLE_MILLIS}, so
 * the thread count is bounded whatever the number of connections and falls back within seconds. The pools are found
 * by reflection on ice4j's private static fields (read only; the pool objects are reconfigured, never replaced),
 * once, from {@link IceSafety#apply}; a field that is missing (another ice4j version) is skipped with a FINE log.
 * Runs on the caller's thread.
 */
final class IcePools {
    private static final Logger LOG = Logger.getLogger(IcePools.class.getName());
    /** Idle time after which a pool thread of ice4j ends. */
    static final long IDLE_MILLIS = 1000;
    /** Threads one of ice4j's cached pools may run at once; its tasks are short (send a check, time one out). */
    static final int MAX_THREADS = 4;
    /** Where tasks go while a capped pool is at {@link #MAX_THREADS}: two threads and a queue, shared. */
    private static final ThreadPoolExecutor OVERFLOW = overflowPool();
    private static final String[] HOLDERS = {
        "org.ice4j.ice.Agent",
        "org.ice4j.stack.StunClientTransaction",
        "org.ice4j.stack.NetAccessManager",
        "org.ice4j.stack.StunStack",
    };
    private static final List<ThreadPoolExecutor> TUNED = new ArrayList<>();

    private IcePools() {
    }

    /** Shortens the keep-alive of every ice4j pool found; idempotent. Returns how many pools are tuned. */
    static synchronized int tune() {
        if (!TUNED.isEmpty()) {
            return TUNED.size();
        }
        for (String holder : HOLDERS) {
            try {
                for (Field f : Class.forName(holder).getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())
                            || !java.util.concurrent.ExecutorService.class.isAssignableFrom(f.getType())) {
                        continue;
                    }
                    f.setAccessible(true);
                    if (f.get(null) instanceof ThreadPoolExecutor e) {
                        if (e.getQueue() instanceof SynchronousQueue && e.getMaximumPoolSize() > MAX_THREADS) {
                            e.setRejectedExecutionHandler((task, pool) -> OVERFLOW.execute(task));
                            e.setMaximumPoolSize(Math.max(e.getCorePoolSize(), MAX_THREADS));
                        }
                        e.setKeepAliveTime(IDLE_MILLIS, TimeUnit.MILLISECONDS);
                        e.allowCoreThreadTimeOut(true);
                        TUNED.add(e);
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(Level.FINE, () -> "ice4j pools of " + holder + " left as they are: " + e);
            }
        }
        return TUNED.size();
    }

    private static ThreadPoolExecutor overflowPool() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor e = new ThreadPoolExecutor(2, 2, IDLE_MILLIS, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "ice4j-overflow-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** Tasks that found their ice4j pool at its cap and ran on the overflow pool, since start. */
    static long overflowed() {
        return OVERFLOW.getTaskCount();
    }

    /** Threads currently alive in the tuned pools and the overflow pool (for tests and the resource bounds). */
    static synchronized int poolThreads() {
        int n = OVERFLOW.getPoolSize();
        for (ThreadPoolExecutor e : TUNED) {
            n += e.getPoolSize();
        }
        return n;
    }
}
