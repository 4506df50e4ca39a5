package org.confab.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.confab.core.ChatMessage;
import org.confab.core.RoomEvent;
import org.confab.net.RoomConnection;
import org.confab.net.TestMember;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;

/**
 * Workload 1 (and the floor): N members in the load process, one of them sends as fast as the
 * host takes it, every member (the sender too) receives every message. Flow control keeps the
 * slowest member at most {@link #WINDOW} messages behind, below the host's per-member send queue,
 * so the host never has to cut anyone and the rate is what the host (and the box) sustains.
 *
 * <p>{@link #run}: raw members (plain TCP only, so the host runs {@code --insecure}; cheapest for the
 * load process). {@link #runClients}: real {@link org.confab.net.RoomConnection}s, against the product default (TLS 1.3,
 * the host's key pinned) or plain TCP, so the cost of TLS shows with everything else equal.
 */
final class FanOut {
    static final int WINDOW = 1024;
    static final int BURST = 16;

    record Result(
            String target,
            int clients,
            int textBytes,
            double deliveriesPerSec,
            double messagesPerSec,
            double hostCores,
            double loadCores,
            long frameBytes) {}

    private FanOut() {}

    static String text(int bytes) {
        var sb = new StringBuilder(bytes);
        while (sb.length() < bytes) {
            sb.append("lorem ipsum dolor sit amet ");
        }
        return sb.substring(0, bytes);
    }

    static Result run(boolean confab, int clients, int textBytes, long warmupMs, long measureMs, boolean jfr)
            throws Exception {
        String label = (confab ? "fanout-confab-" : "fanout-floor-") + clients + "c-" + textBytes + "b";
        HostProcess host = confab
                ? HostProcess.confab(label, jfr, clients, "--insecure") // raw members speak plain TCP
                : HostProcess.start(label, BenchFloor.class, jfr);
        List<RawMember> members = new ArrayList<>();
        var stop = new AtomicBoolean();
        Thread keeper = null;
        try {
            for (int i = 0; i < clients; i++) {
                members.add(RawMember.join(host.port, "m" + i, confab, confab ? RawMember.MESSAGE : null, 64 * 1024));
            }
            if (!confab && host.await("members " + clients, 60, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("floor did not see all members");
            }
            if (confab) {
                keeper = Keeper.start(members, stop);
            }
            byte[] frame =
                    JsonCodec.encode(new Message.Send(text(textBytes), null)).encode();
            byte[] burst = new byte[frame.length * BURST];
            for (int i = 0; i < BURST; i++) {
                System.arraycopy(frame, 0, burst, i * frame.length, frame.length);
            }
            RawMember sender = members.getFirst();
            Thread senderThread = Thread.ofPlatform().name("fanout-sender").start(() -> {
                long sent = 0;
                while (!stop.get()) {
                    while (sent - min(members) > WINDOW - BURST && !stop.get()) {
                        LockSupport.parkNanos(20_000);
                    }
                    if (!sender.tryWrite(burst)) {
                        return;
                    }
                    sent += BURST;
                }
            });
            Thread.sleep(warmupMs);
            long c0 = sum(members);
            long h0 = Proc.cpuNanos(host.pid());
            long l0 = Proc.cpuNanos(ProcessHandle.current().pid());
            long t0 = System.nanoTime();
            Thread.sleep(measureMs);
            long c1 = sum(members);
            long h1 = Proc.cpuNanos(host.pid());
            long l1 = Proc.cpuNanos(ProcessHandle.current().pid());
            long t1 = System.nanoTime();
            stop.set(true);
            senderThread.join(10_000);
            double secs = (t1 - t0) / 1e9;
            double deliveries = (c1 - c0) / secs;
            // the size of one delivered frame: Confab adds seq, id, from, time; the floor relays as is
            long frameBytes = confab
                    ? JsonCodec.encode(new Message.Event(new RoomEvent.Posted(new ChatMessage(
                                    123456, UUID.randomUUID().toString(), "m0", text(textBytes), Instant.now()))))
                            .encode()
                            .length
                    : frame.length;
            return new Result(
                    confab ? "confab" : "floor",
                    clients,
                    textBytes,
                    deliveries,
                    deliveries / clients,
                    (h1 - h0) / 1e9 / secs,
                    (l1 - l0) / 1e9 / secs,
                    frameBytes);
        } finally {
            stop.set(true);
            if (keeper != null) {
                keeper.interrupt();
            }
            host.kill();
            members.forEach(RawMember::close);
        }
    }

    /**
     * The same workload with real {@link org.confab.net.RoomConnection}s as members (each decodes
     * and caches every event, as the app does, and counts {@code Posted}s in its listener); {@code tls}: the host's default TLS with its key
     * pinned, else a plain host and {@link org.confab.net.JoinOptions#insecureTcp()}.
     */
    static Result runClients(boolean tls, int clients, int textBytes, long warmupMs, long measureMs, boolean jfr)
            throws Exception {
        String label = "fanout-clients-" + (tls ? "tls-" : "plain-") + clients + "c-" + textBytes + "b";
        HostProcess host =
                tls ? HostProcess.confab(label, jfr, clients) : HostProcess.confab(label, jfr, clients, "--insecure");
        List<RoomConnection> members = new ArrayList<>();
        var counts = new AtomicLongArray(clients * 16); // one slot per member, 128 bytes apart
        var stop = new AtomicBoolean();
        try {
            for (int i = 0; i < clients; i++) {
                int slot = i * 16;
                members.add(TestMember.join(
                        host.port,
                        "m" + i,
                        host.joinOptions(),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(30),
                        (e, cid) -> {
                            if (e instanceof RoomEvent.Posted) {
                                counts.setRelease(slot, counts.getPlain(slot) + 1); // single writer: the reader thread
                            }
                        }));
            }
            var sumOf = (LongSupplier) () -> {
                long s = 0;
                for (int i = 0; i < clients; i++) {
                    s += counts.getAcquire(i * 16);
                }
                return s;
            };
            var minOf = (LongSupplier) () -> {
                long m = Long.MAX_VALUE;
                for (int i = 0; i < clients; i++) {
                    m = Math.min(m, counts.getAcquire(i * 16));
                }
                return m;
            };
            String text = text(textBytes);
            var sender = members.getFirst();
            Thread senderThread = Thread.ofPlatform().name("fanout-sender").start(() -> {
                long sent = 0;
                while (!stop.get()) {
                    while (sent - minOf.getAsLong() > WINDOW - BURST && !stop.get()) {
                        LockSupport.parkNanos(20_000);
                    }
                    for (int b = 0; b < BURST && !stop.get(); b++) {
                        try {
                            sender.send(text); // into the outbox, sent as the host's pace allows
                        } catch (IllegalStateException ended) {
                            return;
                        }
                        sent++;
                    }
                }
            });
            Thread.sleep(warmupMs);
            long c0 = sumOf.getAsLong();
            long h0 = Proc.cpuNanos(host.pid());
            long l0 = Proc.cpuNanos(ProcessHandle.current().pid());
            long t0 = System.nanoTime();
            Thread.sleep(measureMs);
            long c1 = sumOf.getAsLong();
            long h1 = Proc.cpuNanos(host.pid());
            long l1 = Proc.cpuNanos(ProcessHandle.current().pid());
            long t1 = System.nanoTime();
            stop.set(true);
            senderThread.join(10_000);
            double secs = (t1 - t0) / 1e9;
            double deliveries = (c1 - c0) / secs;
            long frameBytes = JsonCodec.encode(new Message.Event(new RoomEvent.Posted(
                            new ChatMessage(123456, UUID.randomUUID().toString(), "m0", text, Instant.now()))))
                    .encode()
                    .length;
            return new Result(
                    tls ? "confab-tls" : "confab-plain",
                    clients,
                    textBytes,
                    deliveries,
                    deliveries / clients,
                    (h1 - h0) / 1e9 / secs,
                    (l1 - l0) / 1e9 / secs,
                    frameBytes);
        } finally {
            stop.set(true);
            host.kill();
            members.forEach(c -> {
                try {
                    c.close();
                } catch (RuntimeException ignored) {
                    // host gone already
                }
            });
        }
    }

    private static long min(List<RawMember> members) {
        long m = Long.MAX_VALUE;
        for (RawMember r : members) {
            m = Math.min(m, r.counted());
        }
        return m;
    }

    private static long sum(List<RawMember> members) {
        long s = 0;
        for (RawMember r : members) {
            s += r.counted();
        }
        return s;
    }

    /** Keeps raw Confab members alive past the host's idle timeout: a pong from each every 5 s. */
    static final class Keeper {
        private Keeper() {}

        static Thread start(List<RawMember> members, AtomicBoolean stop) {
            return Thread.ofPlatform().daemon(true).name("keeper").start(() -> {
                try {
                    while (!stop.get()) {
                        Thread.sleep(5_000);
                        List<RawMember> copy;
                        synchronized (members) {
                            copy = List.copyOf(members);
                        }
                        for (RawMember m : copy) {
                            m.tryWrite(RawMember.PONG);
                        }
                    }
                } catch (InterruptedException e) {
                    // done
                }
            });
        }
    }
}
