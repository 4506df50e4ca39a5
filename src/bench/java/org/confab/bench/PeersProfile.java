package org.confab.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Issue 18's profile of Confab's latency (run with {@code -Dbench.only=profile}, with
 * {@code -Dbench.jfr=true} for a JFR recording of each host in {@code target/bench/<label>.jfr}): the
 * latency workload (1,000 msg/s to 50 listeners) against the plain host with raw listeners, the
 * same host with a history file (the SQLite store, every event fsynced before it is fanned out, as
 * a host with a history file runs by default), the TLS default with real {@code RoomConnection}s,
 * and the floor relay for scale; per row the percentiles, host CPU and the host's context switches
 * per delivery (every thread of the host process, read from {@code /proc/<pid>/task/*}/status over
 * the measured sends: each is a thread going to sleep or being preempted). Printed, not written into
 * docs/benchmarks.md: the profile section there quotes it.
 */
final class PeersProfile {
    private PeersProfile() {}

    static String run(boolean smoke, boolean jfr, String loadBefore) throws Exception {
        int listeners = smoke ? 10 : 50;
        long warm = smoke ? 300 : 3000;
        long measure = Long.getLong("bench.latencyMs", smoke ? 1000 : 15000);
        var md = new StringBuilder("### Profile rows (1,000 msg/s to " + listeners + " listeners, " + measure / 1000
                + " s measured; load average before: " + loadBefore + ")\n\n"
                + "| Row | p50 | p99 | p99.9 | max | Host CPU ns per delivery | Host context switches per delivery |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        row(md, "Confab plain, raw listeners", Latency.runRaw(true, false, listeners, 1000, warm, measure, jfr));
        Path history = Files.createDirectories(Path.of("target", "bench")).resolve("profile-history.db");
        Files.deleteIfExists(history);
        HostProcess fsync = HostProcess.confab(
                "latency-raw-confab-fsync", jfr, listeners, "--insecure", "--history-file", history.toString());
        try {
            row(
                    md,
                    "Confab plain with a history file (fsync per event), raw listeners",
                    Latency.runRaw(fsync, Wire.CONFAB, false, listeners, 1000, warm, measure));
        } finally {
            fsync.stop();
        }
        row(
                md,
                "Confab TLS (default), RoomConnection listeners",
                Latency.run(listeners, 1000, warm, measure, jfr, true));
        row(md, "floor relay, raw listeners", Latency.runRaw(false, false, listeners, 1000, warm, measure, jfr));
        md.append('\n');
        System.out.println(md);
        return md.toString();
    }

    private static void row(StringBuilder md, String label, Latency.Result r) {
        String row = String.format(
                Locale.ROOT,
                "| %s | %,.0f µs | %,.0f µs | %,.0f µs | %,.0f µs | %s | %.2f |",
                label,
                r.p50us(),
                r.p99us(),
                r.p999us(),
                r.maxUs(),
                BenchRunner.num(r.hostNsPerDelivery()),
                r.hostSwitchesPerDelivery());
        System.out.println(row);
        md.append(row).append('\n');
    }
}
