package org.confab.core;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code ratePerSecond}. Pure: the
 * caller passes the time (nanoseconds, any origin), so tests need no clock. Not thread-safe.
 */
public final class TokenBucket {
    private final double ratePerNano;
    private final int burst;
    private double tokens;
    private long last;
    private boolean started;

    public TokenBucket(int ratePerSecond, int burst) {
        if (ratePerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be at least 1");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Milliseconds until the next token (at least 1). */
    public long millisUntilNext(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            return 1;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano / 1e6));
    }

    private void refill(long now) {
        if (!started) {
            started = true;
            last = now;
            return;
        }
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerNano);
            last = now;
        }
    }
}
