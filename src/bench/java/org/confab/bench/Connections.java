package org.confab.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.confab.protocol.Message;

/**
 * Workload 3: ramp to N idle members (raw members in the load process, joined by a few connector
 * threads), then measure the host: used heap after a full GC (read inside the host through the
 * MemoryMXBean) and VmRSS, both against the empty host, per member; and joins per second.
 * Every join is announced to all earlier members (batched per tick for members that name {@code
 * batch}, one frame each otherwise), so the ramp is quadratic in events delivered; the readout
 * waits until every member has read every join, so no send queue is half full.
 * Raw members speak plain TCP, so this host runs {@code --insecure}.
 */
final class Connections {
    record Result(
            int members,
            double joinsPerSec,
            double firstJoinsPerSec,
            double lastJoinsPerSec,
            double heapPerMemberKiB,
            double rssPerMemberKiB,
            long heapBaseline,
            long heapAfter,
            long rssBaseline,
            long rssAfter,
            double rampSecs,
            double hostCpuMsPerJoin) {}

    private Connections() {}

    /** Joins per second over the first and over the last 10 % of a ramp begun at {@code t0}; {@code sorted}: the join times. */
    static double[] firstAndLastTenth(long t0, long[] sorted) {
        int members = sorted.length;
        int slice = Math.max(1, members / 10);
        if (members <= slice) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {
            slice / ((sorted[slice - 1] - t0) / 1e9),
            slice / ((sorted[members - 1] - sorted[members - 1 - slice]) / 1e9)
        };
    }

    /**
     * @param caps what the members' hello names: {@code batch} (as the Java client does) has joins
     *     sent batched (§19); none is the form an older client gets, one frame per join
     */
    static Result run(int target, int connectors, long rampLimitSecs, boolean jfr, List<String> caps) throws Exception {
        HostProcess host = HostProcess.confab("connections", jfr, target + 8, "--insecure");
        List<RawMember> all = Collections.synchronizedList(new ArrayList<>(target));
        var stop = new AtomicBoolean();
        Thread keeper = null;
        try {
            long heap0 = host.heapUsed();
            long rss0 = Proc.rssBytes(host.pid());
            long cpu0 = Proc.cpuNanos(host.pid());
            keeper = FanOut.Keeper.start(all, stop);
            var next = new AtomicInteger();
            long[] joinedAt = new long[target];
            RawMember[] byIndex = new RawMember[target];
            long t0 = System.nanoTime();
            long stopJoining = t0 + TimeUnit.SECONDS.toNanos(rampLimitSecs);
            List<Thread> threads = new ArrayList<>();
            var failure = new AtomicReference<Exception>();
            for (int c = 0; c < connectors; c++) {
                threads.add(Thread.ofPlatform().name("connector-" + c).start(() -> {
                    int i;
                    while (System.nanoTime() < stopJoining
                            && (i = next.getAndIncrement()) < target
                            && failure.get() == null) {
                        try {
                            RawMember m = RawMember.join(host.port, "c" + i, true, RawMember.JOINED, 4096, caps);
                            joinedAt[i] = System.nanoTime();
                            byIndex[i] = m;
                            all.add(m);
                        } catch (Exception e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException(
                        "join failed after " + all.size() + " members: "
                                + failure.get().getMessage(),
                        failure.get());
            }
            long t1 = System.nanoTime();
            long cpu1 = Proc.cpuNanos(
                    host.pid()); // the host's CPU time for the ramp: what a join costs on a shared machine
            // with a ramp limit, the members that made it in time (joins are in index order)
            int members = 0;
            while (members < target && byIndex[members] != null) {
                members++;
            }
            long[] sorted = Arrays.copyOf(joinedAt, members);
            Arrays.sort(sorted);
            double[] firstLast = firstAndLastTenth(t0, sorted);
            double first = firstLast[0];
            double last = firstLast[1];
            // wait until the host has delivered every join announcement (queues drained)
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            // every member hears the joins after its own; with lazymembers (§20) only those that joined a
            // room of at most the host's threshold do, so there the wait ends once nothing came for 2 s
            long total = (long) members * (members - 1) / 2;
            boolean lazy = caps.contains(Message.CAP_LAZY_MEMBERS);
            int cut = 0;
            long lastSeen = -1;
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                long seen = 0;
                cut = 0;
                for (int k = 0; k < members; k++) {
                    seen += byIndex[k].counted();
                    cut += byIndex[k].ended() ? 1 : 0;
                }
                if (seen != lastSeen) {
                    lastSeen = seen;
                    quietSince = System.nanoTime();
                }
                if (seen >= total || cut > 0 || lazy && System.nanoTime() - quietSince > 2_000_000_000L) {
                    break; // a member that was cut never reads the rest: no use waiting for it
                }
                Thread.sleep(100);
            }
            if (cut > 0) {
                System.out.println(
                        "connections: " + cut + " of " + members
                                + " members were cut during the ramp (idle timeout: the load process could not keep them alive)");
            }
            long heap1 = host.heapUsed();
            long rss1 = Proc.rssBytes(host.pid());
            // what the heap holds, for reading by hand: target/bench/connections-histogram.txt
            new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            Long.toString(host.pid()),
                            "GC.class_histogram")
                    .redirectOutput(Path.of("target", "bench", "connections-histogram.txt")
                            .toFile())
                    .redirectErrorStream(true)
                    .start()
                    .waitFor(60, TimeUnit.SECONDS);
            return new Result(
                    members,
                    members / ((t1 - t0) / 1e9),
                    first,
                    last,
                    (heap1 - heap0) / 1024.0 / members,
                    (rss1 - rss0) / 1024.0 / members,
                    heap0,
                    heap1,
                    rss0,
                    rss1,
                    (t1 - t0) / 1e9,
                    (cpu1 - cpu0) / 1e6 / members);
        } finally {
            stop.set(true);
            if (keeper != null) {
                keeper.interrupt();
            }
            host.kill();
            synchronized (all) {
                all.forEach(RawMember::close);
            }
        }
    }
}
