package org.confab.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 18's side-by-side workloads: the same raw load clients ({@link SelectorListeners}, one
 * selector thread, the server's {@link Wire}) against a plain Confab host, the floor relay,
 * InspIRCd and NATS, each server started fresh for each measurement and stopped by its PID.
 */
final class Peers {
    private Peers() {}

    /**
     * Starts the server that speaks {@code wire}, sized for {@code members}; with {@code tls} it
     * takes TLS 1.3 only (Confab's default; InspIRCd's {@code ssl_gnutls}, NATS's {@code tls}
     * block; the floor relay has none).
     */
    static BenchServer start(Wire wire, String label, int members, boolean jfr, boolean tls) throws Exception {
        if (tls && wire == Wire.FLOOR) {
            throw new IllegalArgumentException("the floor relay speaks no TLS");
        }
        return switch (wire) {
            case CONFAB ->
                tls ? HostProcess.confab(label, jfr, members) : HostProcess.confab(label, jfr, members, "--insecure");
            case FLOOR -> HostProcess.start(label, BenchFloor.class, jfr);
            case IRC, NATS -> PeerServer.start(wire, tls);
        };
    }

    record Fan(
            double deliveriesPerSec,
            double messagesPerSec,
            double bytesPerDelivery,
            double serverCores,
            double loadCores,
            double deliveriesPerMessage) {}

    /**
     * Fan-out: {@code members} join, {@code senders} of them send 16-message bursts of
     * {@code textBytes} texts as fast as the server takes them, keeping all of them together at
     * most {@link FanOut#WINDOW} messages ahead of the slowest member that does not send (so no
     * server has to cut anyone). Deliveries are the messages every member counted, the senders'
     * own echo included where the server echoes (Confab, NATS; IRC does not).
     */
    static Fan fanOut(
            Wire wire, boolean tls, int members, int senders, int textBytes, long warmupMs, long measureMs, boolean jfr)
            throws Exception {
        BenchServer server = start(
                wire,
                "peers-fanout-" + wire.name().toLowerCase(Locale.ROOT) + (tls ? "-tls-" : "-") + members + "m-"
                        + senders + "s",
                members,
                jfr,
                tls);
        var stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        try (var sl = SelectorListeners.open(wire, server.port(), null, tls)) {
            sl.joinAll("s", senders, true);
            sl.joinAll("m", members - senders, false);
            if (wire == Wire.FLOOR
                    && ((HostProcess) server).await("members " + members, 60, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("floor did not see all members");
            }
            List<SelectorListeners.Member> all = sl.members();
            List<SelectorListeners.Member> receivers =
                    all.stream().filter(m -> !m.sender).toList();
            List<SelectorListeners.Member> sending =
                    all.stream().filter(m -> m.sender).toList();
            byte[] one = wire.message(FanOut.text(textBytes));
            byte[] burst = new byte[one.length * FanOut.BURST];
            for (int i = 0; i < FanOut.BURST; i++) {
                System.arraycopy(one, 0, burst, i * one.length, one.length);
            }
            var sent = new AtomicLong();
            for (int s = 0; s < senders; s++) {
                SelectorListeners.Member m = sending.get(s);
                threads.add(Thread.ofPlatform().name("peers-sender-" + s).start(() -> {
                    try {
                        while (!stop.get()) {
                            while (sent.get() - min(receivers) > FanOut.WINDOW - FanOut.BURST && !stop.get()) {
                                LockSupport.parkNanos(20_000);
                            }
                            sl.send(m, burst);
                            sent.addAndGet(FanOut.BURST);
                        }
                    } catch (IOException ended) {
                        if (!stop.get()) {
                            System.out.println(wire.label + ": sender ended: " + ended.getMessage());
                        }
                    }
                }));
            }
            Thread.sleep(warmupMs);
            var a = Reading.of(sl, sent, server);
            Thread.sleep(measureMs);
            var b = Reading.of(sl, sent, server);
            stop.set(true);
            double secs = (b.nanos - a.nanos) / 1e9;
            double deliveries = b.counted - a.counted;
            long messages = b.sent - a.sent;
            return new Fan(
                    deliveries / secs,
                    messages / secs,
                    deliveries == 0 ? Double.NaN : (b.bytes - a.bytes) / deliveries,
                    (b.serverCpu - a.serverCpu) / 1e9 / secs,
                    (b.loadCpu - a.loadCpu) / 1e9 / secs,
                    messages == 0 ? Double.NaN : deliveries / messages);
        } finally {
            stop.set(true);
            server.stop(); // unblocks a sender waiting on a full socket
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }

    /** What the fan-out reads at the start and at the end of the measured time. */
    private record Reading(long counted, long bytes, long sent, long serverCpu, long loadCpu, long nanos) {
        static Reading of(SelectorListeners sl, AtomicLong sent, BenchServer server) {
            return new Reading(
                    sl.counted(),
                    sl.bytes(),
                    sent.get(),
                    Proc.cpuNanos(server.pid()),
                    Proc.cpuNanos(ProcessHandle.current().pid()),
                    System.nanoTime());
        }
    }

    private static long min(List<SelectorListeners.Member> ms) {
        long m = Long.MAX_VALUE;
        for (SelectorListeners.Member r : ms) {
            m = Math.min(m, r.counted());
        }
        return m;
    }

    /** Latency at {@code rate} to {@code listeners} raw listeners ({@link Latency#runRaw}) on a fresh server. */
    static Latency.Result latency(
            Wire wire, boolean tls, int listeners, int rate, long warmupMs, long measureMs, boolean jfr)
            throws Exception {
        BenchServer server = start(
                wire,
                "peers-latency-" + wire.name().toLowerCase(Locale.ROOT) + (tls ? "-tls" : ""),
                listeners,
                jfr,
                tls);
        try {
            return Latency.runRaw(server, wire, tls, listeners, rate, warmupMs, measureMs);
        } finally {
            server.stop();
        }
    }

    record Ramp(
            int members,
            double secs,
            double joinsPerSec,
            double firstJoinsPerSec,
            double lastJoinsPerSec,
            double rssPerMemberKiB,
            long rssBefore,
            long rssAfter,
            long bytes) {}

    /**
     * Ramp to {@code target} idle members, {@code connectors} joining at once, each join waiting for
     * its confirmation ({@link Wire#confirmed}); joining stops after {@code limitSecs}. Joined
     * members keep being read (every announcement the server sends them is counted in bytes). RSS
     * and bytes are read once the server has sent nothing more for 2 s (every queue drained).
     */
    static Ramp ramp(Wire wire, int target, int connectors, long limitSecs, boolean jfr) throws Exception {
        BenchServer server = start(wire, "peers-ramp-" + wire.name().toLowerCase(Locale.ROOT), target, jfr, false);
        try (var sl = SelectorListeners.open(wire, server.port(), null)) {
            Thread.sleep(500);
            long rss0 = Proc.rssBytes(server.pid());
            var next = new AtomicInteger();
            long[] joinedAt = new long[target];
            var failure = new AtomicReference<Exception>();
            long t0 = System.nanoTime();
            long stopJoining = t0 + TimeUnit.SECONDS.toNanos(limitSecs);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < connectors; c++) {
                threads.add(Thread.ofPlatform().name("peers-connector-" + c).start(() -> {
                    int i;
                    while (System.nanoTime() < stopJoining
                            && failure.get() == null
                            && (i = next.getAndIncrement()) < target) {
                        try {
                            sl.join("c" + i, false);
                            joinedAt[i] = System.nanoTime();
                        } catch (Exception e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            long t1 = System.nanoTime();
            if (failure.get() != null) {
                throw new IllegalStateException(
                        wire.label + ": join failed after " + sl.members().size() + " members: "
                                + failure.get().getMessage(),
                        failure.get());
            }
            long[] done = Arrays.stream(joinedAt).filter(t -> t > 0).sorted().toArray();
            int members = done.length;
            double[] firstLast = Connections.firstAndLastTenth(t0, done);
            long bytes = sl.bytes();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline && System.nanoTime() - quietSince < 2_000_000_000L) {
                Thread.sleep(100);
                long b = sl.bytes();
                if (b != bytes) {
                    bytes = b;
                    quietSince = System.nanoTime();
                }
            }
            long rss1 = Proc.rssBytes(server.pid());
            return new Ramp(
                    members,
                    (t1 - t0) / 1e9,
                    members / ((t1 - t0) / 1e9),
                    firstLast[0],
                    firstLast[1],
                    (rss1 - rss0) / 1024.0 / members,
                    rss0,
                    rss1,
                    bytes);
        } finally {
            server.stop();
        }
    }
}
