package org.confab.ui.room;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import org.HdrHistogram.Histogram;

/**
 * How long the FX thread keeps a {@link Platform#runLater} waiting: a probe thread posts one, waits
 * for it to run, sleeps {@link #PAUSE_MS} and repeats until {@link #stop}; the worst and the p99
 * post-to-run time are what the person would have felt as a stall (GUI benchmarks).
 */
final class FxProbe {
    static final long PAUSE_MS = 2;

    private final AtomicLong worst = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final Histogram delays = new Histogram(3); // written on the FX thread, read after the probe thread ends
    private final AtomicBoolean probing = new AtomicBoolean(true);
    private final Thread thread;

    private FxProbe() {
        thread = Thread.ofPlatform().daemon(true).name("fx-probe").start(() -> {
            while (probing.get()) {
                long posted = System.nanoTime();
                var ran = new CountDownLatch(1);
                Platform.runLater(() -> {
                    long d = System.nanoTime() - posted;
                    worst.accumulateAndGet(d, Math::max);
                    delays.recordValue(d);
                    probes.incrementAndGet();
                    ran.countDown();
                });
                try {
                    ran.await();
                    Thread.sleep(PAUSE_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    static FxProbe start() {
        return new FxProbe();
    }

    /** Ends probing (waits for the last probe to run). */
    FxProbe stop() throws InterruptedException {
        probing.set(false);
        thread.join();
        return this;
    }

    boolean running() {
        return probing.get();
    }

    double worstMs() {
        return worst.get() / 1e6;
    }

    double p99Ms() {
        return delays.getValueAtPercentile(99) / 1e6;
    }

    long probes() {
        return probes.get();
    }
}
