package org.confab.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.confab.core.RoomEvent;
import org.confab.net.Disconnect;
import org.confab.net.RoomConnection;
import org.confab.net.RoomConnectionListener;
import org.confab.net.TestMember;

/**
 * Workload 2: one sender at a fixed rate, N listeners, all real {@link RoomConnection}s (each caches every event, as the app does) in this (the
 * load) process; the host in its own. Each text starts with the send's intended
 * {@code System.nanoTime()} (comparable: sender and listeners share this JVM). Using the intended
 * time rather than the actual one keeps a stalled sender from hiding its own delay (coordinated
 * omission). Latency = listener's {@code LinkListener.event} call minus that time: host decode,
 * room, encode, fan-out, both kernels' loopback, client read and decode.
 */
final class Latency {
    record Result(
            boolean tls,
            int listeners,
            int rate,
            long samples,
            double p50us,
            double p99us,
            double p999us,
            double maxUs,
            double hostCores,
            double loadCores,
            long lost,
            double hostSwitchesPerDelivery) {
        /** Host CPU per delivery (message x listener), ns. */
        double hostNsPerDelivery() {
            return hostCores * 1e9 / ((double) rate * listeners);
        }

        /**
         * From the samples and {@link #pace}'s readings (host CPU, load CPU, wall: at the start, then at the end;
         * then the host's context switches at the start and at the end).
         */
        static Result of(boolean tls, int listeners, int rate, Histogram h, long[] cpu, long lost) {
            double wall = cpu[5] - cpu[2];
            return new Result(
                    tls,
                    listeners,
                    rate,
                    h.getTotalCount(),
                    h.getValueAtPercentile(50) / 1e3,
                    h.getValueAtPercentile(99) / 1e3,
                    h.getValueAtPercentile(99.9) / 1e3,
                    h.getMaxValue() / 1e3,
                    (cpu[3] - cpu[0]) / wall,
                    (cpu[4] - cpu[1]) / wall,
                    lost,
                    (cpu[7] - cpu[6]) / (wall / 1e9 * rate * listeners));
        }

        /** Load-process CPU (sender and all listeners) per delivery, ns. */
        double loadNsPerDelivery() {
            return loadCores * 1e9 / ((double) rate * listeners);
        }
    }

    private Latency() {}

    /** @param tls the product default (TLS 1.3, the host's key pinned), else plain TCP ({@code --insecure}) */
    static Result run(int listeners, int rate, long warmupMs, long measureMs, boolean jfr, boolean tls)
            throws Exception {
        var recorder = new Recorder(3);
        var errors = new AtomicLong();
        HostProcess host = tls
                ? HostProcess.confab("latency-tls", jfr, listeners)
                : HostProcess.confab("latency-plain", jfr, listeners, "--insecure");
        List<RoomConnection> clients = new ArrayList<>();
        try {
            RoomConnectionListener listen = new RoomConnectionListener() {
                @Override
                public void event(RoomEvent event, String cid) {
                    if (event instanceof RoomEvent.Posted p) {
                        long now = System.nanoTime();
                        String t = p.message().text();
                        int bar = t.indexOf('|');
                        recorder.recordValue(Math.max(0, now - Long.parseLong(t, 3, bar, 10)));
                    }
                }

                @Override
                public void reconnecting(long delayMillis, int attempt, String reason) {
                    errors.incrementAndGet();
                }

                @Override
                public void ended(Disconnect why) {
                    errors.incrementAndGet();
                }
            };
            for (int i = 0; i < listeners; i++) {
                clients.add(TestMember.join(
                        host.port,
                        "l" + i,
                        host.joinOptions(),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(15),
                        listen));
            }
            RoomConnection sender = TestMember.join(
                    host.port,
                    "sender",
                    host.joinOptions(),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(15),
                    (e, cid) -> {});
            clients.add(sender);
            String pad = FanOut.text(128);
            long[] cpu = pace(rate, warmupMs, measureMs, recorder, host, intended -> {
                String head = "ts:" + intended + "|";
                sender.send(head + pad.substring(head.length()));
            });
            long expected = (long) listeners * (measureMs * rate / 1000);
            Histogram h = collect(recorder, expected);
            return Result.of(tls, listeners, rate, h, cpu, Math.max(0, expected - h.getTotalCount()) + errors.get());
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

    /** Sends via {@code send(intendedNanos)} at {@code rate}; returns host, load and wall nanos at the start and end of the measured sends. */
    static long[] pace(int rate, long warmupMs, long measureMs, Recorder recorder, BenchServer host, Send send)
            throws IOException {
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime() + 10_000_000;
        long warmEnd = start + warmupMs * 1_000_000;
        long end = warmEnd + measureMs * 1_000_000;
        long[] cpu = new long[8];
        boolean measuring = false;
        for (long i = 0; ; i++) {
            long intended = start + i * period;
            if (intended >= end) {
                break;
            }
            if (!measuring && intended >= warmEnd) {
                recorder.getIntervalHistogram(); // discard the warm-up
                measuring = true;
                cpu[0] = Proc.cpuNanos(host.pid());
                cpu[1] = Proc.cpuNanos(ProcessHandle.current().pid());
                cpu[2] = System.nanoTime();
                cpu[6] = Proc.contextSwitches(host.pid());
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
                cpu[3] = Proc.cpuNanos(host.pid());
                cpu[4] = Proc.cpuNanos(ProcessHandle.current().pid());
                cpu[5] = System.nanoTime();
                cpu[7] = Proc.contextSwitches(host.pid());
            }
            send.send(intended);
        }
        if (cpu[5] == 0) {
            cpu[3] = Proc.cpuNanos(host.pid());
            cpu[4] = Proc.cpuNanos(ProcessHandle.current().pid());
            cpu[5] = System.nanoTime();
            cpu[7] = Proc.contextSwitches(host.pid());
        }
        return cpu;
    }

    /** Lets the last messages arrive: waits (bounded, 10 s) until {@code expected} samples are in. */
    static Histogram collect(Recorder recorder, long expected) throws InterruptedException {
        Histogram h = new Histogram(3);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (h.getTotalCount() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            h.add(recorder.getIntervalHistogram());
        }
        return h;
    }

    interface Send {
        void send(long intendedNanos) throws IOException;
    }

    /**
     * The same workload with {@link SelectorListeners} (one selector thread reads all N plain
     * sockets, no decoding) and a raw sender writing pre-built {@code send} frames: against a plain
     * Confab host ({@code confab}) or the floor relay, which relays the same bytes unchanged. This
     * isolates the relay's latency from the cost of 50 full clients in one load process.
     * {@code direct} (floor only): the floor's reader writes to every peer itself, no hand-off to
     * writer threads (the least latency a thread-per-socket relay can have; no protection against a
     * member that stops reading).
     */
    static Result runRaw(
            boolean confab, boolean direct, int listeners, int rate, long warmupMs, long measureMs, boolean jfr)
            throws Exception {
        BenchServer host = confab
                ? HostProcess.confab("latency-raw-confab", jfr, listeners, "--insecure")
                : direct
                        ? HostProcess.start("latency-raw-floor-direct", BenchFloor.class, jfr, "--direct")
                        : HostProcess.start("latency-raw-floor", BenchFloor.class, jfr);
        try {
            return runRaw(host, confab ? Wire.CONFAB : Wire.FLOOR, false, listeners, rate, warmupMs, measureMs);
        } finally {
            host.stop();
        }
    }

    /**
     * Raw listeners and a raw sender (a member too, never recorded) on {@code server}, which
     * speaks {@code wire}: Confab, the floor, or a peer (issue 18). 128 B texts that start with
     * {@code ts:<intended nanos>|}. With {@code tls} every member speaks TLS 1.3 ({@link TlsChannel}).
     */
    static Result runRaw(
            BenchServer server, Wire wire, boolean tls, int listeners, int rate, long warmupMs, long measureMs)
            throws Exception {
        var recorder = new Recorder(3);
        try (var sl = SelectorListeners.connect(wire, server.port(), listeners, recorder, tls)) {
            var sender = sl.join("sender", true);
            if (wire == Wire.FLOOR
                    && ((HostProcess) server).await("members " + (listeners + 1), 60, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("floor did not see all members");
            }
            String pad = FanOut.text(128);
            long[] cpu = pace(rate, warmupMs, measureMs, recorder, server, intended -> {
                String head = "ts:" + intended + "|";
                sl.send(sender, wire.message(head + pad.substring(head.length())));
            });
            long expected = (long) listeners * (measureMs * rate / 1000);
            Histogram h = collect(recorder, expected);
            return Result.of(tls, listeners, rate, h, cpu, Math.max(0, expected - h.getTotalCount()));
        }
    }
}
