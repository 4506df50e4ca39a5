package org.confab.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.confab.core.RoomEvent;
import org.confab.net.RoomClient;
import org.confab.net.RoomListener;

/**
 * Workload 2: one sender at a fixed rate, N listeners, all real {@link RoomClient}s in this (the
 * load) process; the host in its own. Each text starts with the send's intended
 * {@code System.nanoTime()} (comparable: sender and listeners share this JVM). Using the intended
 * time rather than the actual one keeps a stalled sender from hiding its own delay (coordinated
 * omission). Latency = listener's {@code RoomListener.event} call minus that time: host decode,
 * room, encode, fan-out, both kernels' loopback, client read and decode.
 */
final class Latency {
    record Result(boolean tls, int listeners, int rate, long samples, double p50us, double p99us, double p999us, double maxUs,
                  double hostCores, double loadCores, long lost) {
        /** Host CPU per delivery (message x listener), ns. */
        double hostNsPerDelivery() {
            return hostCores * 1e9 / ((double) rate * listeners);
        }

        /** Load-process CPU (sender and all listeners) per delivery, ns. */
        double loadNsPerDelivery() {
            return loadCores * 1e9 / ((double) rate * listeners);
        }
    }

    private Latency() { }

    /** @param tls the product default (TLS 1.3, the host's key pinned), else plain TCP ({@code --insecure}) */
    static Result run(int listeners, int rate, long warmupMs, long measureMs, boolean jfr, boolean tls) throws Exception {
        var recorder = new Recorder(3);
        var errors = new AtomicLong();
        HostProcess host = tls
                ? HostProcess.start("latency-tls", BenchHost.class, jfr, "--port", "0", "--name", "bench",
                        "--max-members", Integer.toString(listeners + 8))
                : HostProcess.start("latency-plain", BenchHost.class, jfr, "--port", "0", "--name", "bench",
                        "--max-members", Integer.toString(listeners + 8), "--insecure");
        List<RoomClient> clients = new ArrayList<>();
        try {
            RoomListener listen = new RoomListener() {
                @Override
                public void event(RoomEvent event) {
                    if (event instanceof RoomEvent.Posted p) {
                        long now = System.nanoTime();
                        String t = p.message().text();
                        int bar = t.indexOf('|');
                        recorder.recordValue(Math.max(0, now - Long.parseLong(t, 3, bar, 10)));
                    }
                }

                @Override
                public void disconnected(Disconnect why) {
                    errors.incrementAndGet();
                }
            };
            RoomListener quiet = new RoomListener() {
                @Override
                public void event(RoomEvent event) { }

                @Override
                public void disconnected(Disconnect why) { }
            };
            for (int i = 0; i < listeners; i++) {
                clients.add(RoomClient.connect("127.0.0.1", host.port, "l" + i, host.joinOptions(), Duration.ofSeconds(30), Duration.ofSeconds(15), listen));
            }
            RoomClient sender = RoomClient.connect("127.0.0.1", host.port, "sender", host.joinOptions(), Duration.ofSeconds(30), Duration.ofSeconds(15), quiet);
            clients.add(sender);
            String pad = FanOut.text(128);
            long period = 1_000_000_000L / rate;
            long start = System.nanoTime() + 10_000_000;
            long warmEnd = start + warmupMs * 1_000_000;
            long end = warmEnd + measureMs * 1_000_000;
            long h0 = 0;
            long l0 = 0;
            long t0 = 0;
            long h1 = 0;
            long l1 = 0;
            long t1 = 0;
            boolean measuring = false;
            for (long i = 0; ; i++) {
                long intended = start + i * period;
                if (intended >= end) {
                    break;
                }
                if (!measuring && intended >= warmEnd) {
                    recorder.getIntervalHistogram(); // discard the warm-up
                    measuring = true;
                    h0 = Proc.cpuNanos(host.pid());
                    l0 = Proc.cpuNanos(ProcessHandle.current().pid());
                    t0 = System.nanoTime();
                }
                long now;
                while ((now = System.nanoTime()) < intended) {
                    long gap = intended - now;
                    if (gap > 60_000) {
                        LockSupport.parkNanos(gap - 50_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
                if (i == (end - start) / period - 1) { // the last send: CPU over exactly the measured sends
                    h1 = Proc.cpuNanos(host.pid());
                    l1 = Proc.cpuNanos(ProcessHandle.current().pid());
                    t1 = System.nanoTime();
                }
                String head = "ts:" + intended + "|";
                sender.send(head + pad.substring(head.length()));
            }
            // let the last messages arrive: bounded wait on the expected count
            long expected = (long) listeners * (measureMs * rate / 1000);
            Histogram h = new Histogram(3);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (h.getTotalCount() < expected && System.nanoTime() < deadline) {
                Thread.sleep(20);
                h.add(recorder.getIntervalHistogram());
            }
            if (t1 == 0) {
                h1 = Proc.cpuNanos(host.pid());
                l1 = Proc.cpuNanos(ProcessHandle.current().pid());
                t1 = System.nanoTime();
            }
            double cores = (h1 - h0) / (double) (t1 - t0);
            double loadCores = (l1 - l0) / (double) (t1 - t0);
            return new Result(tls, listeners, rate, h.getTotalCount(), h.getValueAtPercentile(50) / 1e3,
                    h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3,
                    cores, loadCores, Math.max(0, expected - h.getTotalCount()) + errors.get());
        } finally {
            host.kill();
            clients.forEach(c -> {
                try {
                    c.close();
                } catch (RuntimeException ignored) {
                    // host gone already
                }
            });
        }
    }
}
