package org.confab.net.auth;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wrong-password throttling per remote address: the first {@value #FREE_FAILURES} wrong guesses
 * are free, then each further one locks that address out for twice as long as the last
 * (2 s, 4 s, ... capped at 5 minutes). A right password clears the record.
 */
public final class Throttle {
    public static final int FREE_FAILURES = 3;
    public static final Duration MAX_LOCKOUT = Duration.ofMinutes(5);

    private record Record(int failures, Instant lockedUntil) {}

    private final Clock clock;
    private final ConcurrentHashMap<InetAddress, Record> records = new ConcurrentHashMap<>();

    public Throttle(Clock clock) {
        this.clock = clock;
    }

    public Throttle() {
        this(Clock.systemUTC());
    }

    /** Time this address must still wait before it may try again; zero if it may try now. */
    public Duration waitFor(InetAddress address) {
        Record r = records.get(address);
        if (r == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), r.lockedUntil());
        return left.isNegative() ? Duration.ZERO : left;
    }

    public void failed(InetAddress address) {
        records.compute(address, (a, r) -> {
            int failures = r == null ? 1 : r.failures() + 1;
            Instant until = clock.instant();
            if (failures > FREE_FAILURES) {
                long seconds = 1L << Math.min(20, failures - FREE_FAILURES);
                Duration lock = Duration.ofSeconds(seconds);
                until = until.plus(lock.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : lock);
            }
            return new Record(failures, until);
        });
    }

    public void succeeded(InetAddress address) {
        records.remove(address);
    }
}
