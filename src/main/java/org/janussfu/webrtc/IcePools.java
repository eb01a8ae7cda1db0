package org.janussfu.webrtc;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * ice4j's process-wide thread pools, made to give their idle threads back quickly. ice4j keeps static cached pools
 * (agent tasks, STUN message processing, STUN retransmissions) and single-thread timers whose idle threads live 60 s;
 * after a burst of connections — or after the transactions of freed agents ran out — that left threads behind for a
 * minute. {@link #tune} shortens every such pool's keep-alive to {@link #IDLE_MILLIS}, so the process's thread count
 * follows the open connections within seconds. The pools are found by reflection on ice4j's private static fields
 * (read only; nothing is replaced), once, from {@link IceSafety#apply}; a field that is missing (another ice4j
 * version) is skipped with a FINE log. Runs on the caller's thread.
 */
final class IcePools {
    private static final Logger LOG = Logger.getLogger(IcePools.class.getName());
    /** Idle time after which a pool thread of ice4j ends. */
    static final long IDLE_MILLIS = 1000;
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

    /** Threads currently alive in the tuned pools (for tests and the resource bounds). */
    static synchronized int poolThreads() {
        int n = 0;
        for (ThreadPoolExecutor e : TUNED) {
            n += e.getPoolSize();
        }
        return n;
    }
}
