package org.janussfu.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WholeMillisecondSelect}: delays round up to whole milliseconds, and an event loop with nothing but timers
 * runs its I/O handler about once per timer instead of polling before each one. Timers of 2.3 ms make Netty's own
 * NIO handler poll (its 2 ms select ends 0.3 ms early); the count is printed for comparison, not asserted, since
 * it is Netty's behaviour, not ours.
 */
class WholeMillisecondSelectTest {
    private static final long MS = 1_000_000L;
    private static final int TIMERS = 40;

    @Test
    void delaysRoundUpToWholeMilliseconds() {
        assertEquals(0, WholeMillisecondSelect.roundUp(0));
        assertEquals(-5, WholeMillisecondSelect.roundUp(-5));
        assertEquals(MS, WholeMillisecondSelect.roundUp(1));
        assertEquals(MS, WholeMillisecondSelect.roundUp(MS));
        assertEquals(2 * MS, WholeMillisecondSelect.roundUp(MS + 1));
        assertEquals(3 * MS, WholeMillisecondSelect.roundUp(2_300_000));
        assertEquals(Long.MAX_VALUE, WholeMillisecondSelect.roundUp(Long.MAX_VALUE));
    }

    @Test
    void loopWakesOncePerTimerInsteadOfPolling() throws Exception {
        long ours = handlerRunsFor(WholeMillisecondSelect.factory(NioIoHandler.newFactory()));
        long netty = handlerRunsFor(NioIoHandler.newFactory());
        System.out.println("handler runs for " + TIMERS + " timers of 2.3 ms: whole-millisecond " + ours
                + ", Netty's NIO handler " + netty);
        assertTrue(ours <= 3L * TIMERS + 20, "the loop polled: " + ours + " handler runs for " + TIMERS + " timers");
    }

    @Test
    void channelsStillRegisterOnTheWrappedSelector() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                WholeMillisecondSelect.factory(NioIoHandler.newFactory()));
        try {
            EventLoop loop = group.next();
            assertTrue(((io.netty.channel.IoEventLoop) loop).isCompatible(NioSelectableChannelIoHandle.class));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Runs {@link #TIMERS} chained 2.3 ms timers on a one-thread loop; returns how often its handler ran. */
    private static long handlerRunsFor(IoHandlerFactory factory) throws Exception {
        AtomicLong runs = new AtomicLong();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, counting(factory, runs));
        try {
            EventLoop loop = group.next();
            CountDownLatch done = new CountDownLatch(1);
            long[] early = {0};
            loop.execute(() -> chain(loop, TIMERS, done, early));
            assertTrue(done.await(30, TimeUnit.SECONDS), "timers did not all fire");
            assertEquals(0, early[0], "a timer fired before its delay");
            return runs.get();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static void chain(EventLoop loop, int left, CountDownLatch done, long[] early) {
        if (left == 0) {
            done.countDown();
            return;
        }
        long asked = System.nanoTime() + 2_300_000;
        loop.schedule(() -> {
            if (System.nanoTime() < asked) {
                early[0]++;
            }
            chain(loop, left - 1, done, early);
        }, 2_300, TimeUnit.MICROSECONDS);
    }

    private static IoHandlerFactory counting(IoHandlerFactory inner, AtomicLong runs) {
        return executor -> {
            IoHandler h = inner.newHandler(executor);
            return new ForwardingIoHandler(h) {
                @Override
                public int run(IoHandlerContext context) {
                    runs.incrementAndGet();
                    return delegate.run(context);
                }
            };
        };
    }
}
