package org.janussfu.transport;

/**
 * A token bucket bounding the requests one transport connection may make: {@code rate} per second with
 * bursts of {@code burst}. Owned by the connection's event loop (no synchronisation). A rate of 0 disables
 * the limit.
 */
final class RateLimiter {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastNanos;

    RateLimiter(int ratePerSecond, int burst) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.lastNanos = System.nanoTime();
    }

    boolean enabled() {
        return ratePerNano > 0;
    }

    boolean tryAcquire(long nowNanos) {
        if (ratePerNano <= 0) {
            return true;
        }
        tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * ratePerNano);
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
