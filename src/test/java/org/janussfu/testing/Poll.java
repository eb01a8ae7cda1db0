package org.janussfu.testing;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Waiting in tests for something that happens on another thread, instead of a fixed sleep that a loaded CI box
 * outlasts: {@link #until} polls a condition every {@value #STEP_MILLIS} ms until it holds or a deadline passes (then
 * fails with what was awaited), {@link #settled} waits for a count to stop moving (asynchronous delivery done), and
 * {@link #window} paces a sender by what its receiver has taken so far. The deadlines are generous upper bounds for a
 * box at load 15–20; what they wait for normally holds within milliseconds. Stateless; called on the JUnit thread.
 */
public final class Poll {
    /** How often a condition is evaluated. */
    public static final long STEP_MILLIS = 20;

    private Poll() {
    }

    /** Returns as soon as {@code condition} holds; fails if it does not within {@code millis}. */
    public static void until(BooleanSupplier condition, long millis) throws InterruptedException {
        until(condition, millis, () -> "");
    }

    /** As {@link #until(BooleanSupplier, long)}; the failure names {@code what} (evaluated only on failure). */
    public static void until(BooleanSupplier condition, long millis, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                String detail = what.get();
                throw new AssertionError("condition not met within " + millis + " ms"
                        + (detail.isEmpty() ? "" : ": " + detail));
            }
            Thread.sleep(STEP_MILLIS);
        }
    }

    /**
     * The value of {@code count} once it has not changed for {@code quietMillis} (or when {@code millis} have passed,
     * whatever it is then): for counts fed by asynchronous delivery that must be read when it is over.
     */
    public static long settled(LongSupplier count, long quietMillis, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long value = count.getAsLong();
        long since = System.nanoTime();
        while (System.nanoTime() - since < quietMillis * 1_000_000L && System.nanoTime() - deadline < 0) {
            Thread.sleep(STEP_MILLIS);
            long now = count.getAsLong();
            if (now != value) {
                value = now;
                since = System.nanoTime();
            }
        }
        return value;
    }

    /**
     * Flow control for a test sender: waits (up to {@code millis}) until {@code received} is at least
     * {@code sent - window}, so that no more than {@code window} items are ever in flight, whatever the scheduling of
     * the receiving threads — a receive buffer that holds the window cannot overflow. Returns without failing at the
     * deadline: the caller's own check of what arrived reports a loss.
     */
    public static void window(IntSupplier received, int sent, int window, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (received.getAsInt() < sent - window && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
    }
}
