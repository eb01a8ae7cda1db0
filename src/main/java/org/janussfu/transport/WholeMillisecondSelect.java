package org.janussfu.transport;

import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * Netty's NIO I/O handler with one change: an event loop waits for its next timer in whole milliseconds, rounded
 * up, instead of polling while the timer is less than half a millisecond away. Netty's {@code NioIoHandler.select}
 * gives {@code Selector.select} a timeout in milliseconds rounded to the nearest one, and when the timer is under
 * 0.5 ms away it does a {@code selectNow} and returns; the loop finds nothing due yet and selects again, so every
 * timer that fires on an NIO loop costs up to 0.5 ms of polling. Here the delay Netty reads
 * ({@link IoHandlerContext#delayNanos}) is rounded up to a whole millisecond, so the loop sleeps until the timer is
 * due: a timer runs up to 1 ms later than asked (Vert.x timers are in milliseconds anyway), and an idle loop wakes
 * once per timer. Used by the load generator's loops ({@link ParkingTransport#forLoadGenerator}), whose send
 * timers (~750 a second in a room of 15) kept Netty polling: 18 % of its CPU. On the server it cut idle-500's
 * {@code epoll_wait}s from ~1,100 to ~36 a second but saved no measurable CPU, so the server keeps Netty's handler.
 * Everything else — registration, wake-ups, the selected-keys processing — is the wrapped handler's. One instance
 * per event loop, used only by that loop's thread (Netty's contract for {@link IoHandler}); its context wrapper is
 * reused on every {@link #run}, so nothing is allocated per iteration.
 */
final class WholeMillisecondSelect extends ForwardingIoHandler {
    private static final long MILLI = 1_000_000L;

    private final Rounded context = new Rounded();

    private WholeMillisecondSelect(IoHandler nio) {
        super(nio);
    }

    /** Handlers of {@code nio}'s kind that wait for timers in whole milliseconds. */
    static IoHandlerFactory factory(IoHandlerFactory nio) {
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor executor) {
                return new WholeMillisecondSelect(nio.newHandler(executor));
            }

            @Override
            public boolean isChangingThreadSupported() {
                return nio.isChangingThreadSupported();
            }
        };
    }

    /** {@code delayNanos} rounded up to a whole millisecond; zero and negative (a task due) stay as they are. */
    static long roundUp(long delayNanos) {
        if (delayNanos <= 0) {
            return delayNanos;
        }
        long ms = delayNanos / MILLI + (delayNanos % MILLI == 0 ? 0 : 1);
        return ms > Long.MAX_VALUE / MILLI ? delayNanos : ms * MILLI;
    }

    @Override
    public int run(IoHandlerContext loop) {
        context.loop = loop;
        return delegate.run(context);
    }

    /** The loop's context as the NIO handler sees it: the same, but for the rounded delay. Loop thread only. */
    private static final class Rounded implements IoHandlerContext {
        IoHandlerContext loop;

        @Override
        public boolean canBlock() {
            return loop.canBlock();
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return roundUp(loop.delayNanos(currentTimeNanos));
        }

        /** Unchanged: on Netty's own clock (not {@code System.nanoTime}), and not read by the NIO handler. */
        @Override
        public long deadlineNanos() {
            return loop.deadlineNanos();
        }

        @Override
        public void reportActiveIoTime(long activeNanos) {
            loop.reportActiveIoTime(activeNanos);
        }

        @Override
        public boolean shouldReportActiveIoTime() {
            return loop.shouldReportActiveIoTime();
        }
    }
}
