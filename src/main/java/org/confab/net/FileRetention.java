package org.confab.net;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * How long a host keeps shared files ({@link HostConfig#fileRetention}, default 30 days): a file,
 * or a partial upload, last written longer ago than that is deleted with its data, once at start
 * and then every hour (more often for a shorter retention). Its message stays in the history; a
 * member who asks for it afterwards is told the host does not have it any more (§18.2).
 */
final class FileRetention implements AutoCloseable {
    /** How often the host looks for files past their time, at most. */
    static final Duration EVERY = Duration.ofHours(1);

    private final HostFiles files;
    private final Duration keep;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    private FileRetention(HostFiles files, Duration keep, Clock clock, ScheduledExecutorService timer) {
        this.files = files;
        this.keep = keep;
        this.clock = clock;
        this.timer = timer;
    }

    /**
     * Deletes what is past {@code keep} now, then keeps doing so on a daemon thread until {@link
     * #close}; {@link Duration#ZERO} keeps every file (no thread).
     */
    static FileRetention start(HostFiles files, Duration keep, Clock clock) {
        if (keep.isZero()) {
            return new FileRetention(files, keep, clock, null);
        }
        var timer = new ScheduledThreadPoolExecutor(
                1,
                Thread.ofPlatform().daemon(true).name("confab-file-retention").factory());
        var r = new FileRetention(files, keep, clock, timer);
        r.sweep();
        long every = Math.max(1, Math.min(EVERY.toMillis(), keep.toMillis() / 4));
        timer.scheduleWithFixedDelay(r::sweep, every, every, TimeUnit.MILLISECONDS);
        return r;
    }

    /** Deletes every file last written before now less the retention; returns how many. */
    int sweep() {
        if (keep.isZero()) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(keep);
        int n = 0;
        for (Map.Entry<String, Instant> e : files.lastWritten().entrySet()) {
            if (e.getValue().isBefore(cutoff)) {
                files.delete(e.getKey());
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
