package org.confab.net;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential, capped, with jitter so that many clients cut by the same
 * failure do not all come back in the same millisecond.
 * <pre>delay(k) = min(max, min · 2^(k−1)) · U(1 − jitter, 1 + jitter)</pre>
 * With the defaults: 0.5 s, 1 s, 2 s, 4 s, 8 s, 16 s, 30 s, 30 s, ... each ±20 %.
 */
public record Backoff(Duration min, Duration max, double jitter) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 0.2);

    public Backoff {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("need 0 < min <= max and 0 <= jitter < 1");
        }
    }

    /** The delay before attempt {@code attempt} (1 = the first retry); {@code random} gives values in [0, 1). */
    public long delayMillis(int attempt, DoubleSupplier random) {
        int k = Math.max(1, attempt);
        double base = min.toMillis() * Math.pow(2, Math.min(k - 1, 40));
        base = Math.min(base, max.toMillis());
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Math.max(1, Math.round(base * factor));
    }
}
