package org.confab.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.DoubleStream;

/**
 * The {@code peers} block of docs/benchmarks.md (issue 18): Confab's plain host, the floor relay,
 * InspIRCd and NATS side by side in one run, the same raw load clients for all ({@link Peers}),
 * rounds interleaved (in each round every server runs each workload once, one after the other),
 * medians over the rounds, Confab as a ratio to the best peer and to the floor, the load average
 * of each round; TLS 1.3 beside them (Confab's default, InspIRCd's {@code ssl_gnutls}, NATS's
 * {@code tls}) with the same raw load clients over {@link TlsChannel}, for the first fan-out and the
 * latency; then the join ramp, once, at the end.
 */
final class PeersSection {
    private static final List<Wire> PEERS = List.of(Wire.IRC, Wire.NATS);
    /** What a server's column over TLS adds to its label. */
    private static final String TLS_SUFFIX = " TLS";

    private static final String CONFAB_TLS = Wire.CONFAB.label + TLS_SUFFIX;

    /** One column of the tables: a server, plain or over TLS. */
    private record Column(Wire wire, boolean tls) {
        String label() {
            return tls ? wire.label + TLS_SUFFIX : wire.label;
        }
    }

    private final boolean smoke;
    private final boolean jfr;
    private final String generatedBy;
    private final StringBuilder md = new StringBuilder();
    /** Table rows in order: workload -> column -> one value per round. */
    private final Map<String, Row> rows = new LinkedHashMap<>();
    /** Fan-out details at 50 members, 1 sender: server label -> readings per round. */
    private final Map<String, List<Peers.Fan>> details = new LinkedHashMap<>();

    private final List<String> errors = new ArrayList<>();

    PeersSection(boolean smoke, boolean jfr, String generatedBy) {
        this.smoke = smoke;
        this.jfr = jfr;
        this.generatedBy = generatedBy;
    }

    /** One workload's figure: per column, one value per round. */
    private record Row(String name, boolean higherIsBetter, String unit, Map<String, List<Double>> values) {
        void add(String column, int round, double v) {
            List<Double> l = values.computeIfAbsent(column, c -> new ArrayList<>());
            while (l.size() <= round) {
                l.add(Double.NaN);
            }
            l.set(round, v);
        }

        double get(String column, int round) {
            List<Double> l = values.get(column);
            return l == null || l.size() <= round ? Double.NaN : l.get(round);
        }

        double median(String column) {
            return PeersSection.median(
                    values.getOrDefault(column, List.of()).stream().mapToDouble(Double::doubleValue));
        }

        String format(double v) {
            if (Double.isNaN(v)) {
                return "-";
            }
            return unit.equals("us")
                    ? String.format(Locale.ROOT, "%,.0f µs", v)
                    : v >= 100_000
                            ? String.format(Locale.ROOT, "%.2f M", v / 1e6)
                            : String.format(Locale.ROOT, "%,.0f k", v / 1e3);
        }
    }

    private Row row(String name, boolean higherIsBetter, String unit) {
        return rows.computeIfAbsent(name, n -> new Row(n, higherIsBetter, unit, new LinkedHashMap<>()));
    }

    String run() throws Exception {
        List<Wire> servers = new ArrayList<>(List.of(Wire.CONFAB, Wire.FLOOR));
        List<String> missing = new ArrayList<>();
        for (Wire p : PEERS) {
            if (PeerServer.available(p)) {
                servers.add(p);
            } else {
                missing.add(p.label);
                System.out.println("peers: " + p.label
                        + " is not installed (bench/run.sh installs it with apt-get as root); its column is left out");
            }
        }
        String pick = System.getProperty("bench.peerServers", "").trim(); // development: e.g. irc,nats
        if (!pick.isEmpty()) {
            servers.removeIf(
                    w -> !List.of(pick.toUpperCase(Locale.ROOT).split(",")).contains(w.name()));
        }
        // development: -Dbench.rampOnly=true runs the join ramps alone (no fan-out or latency rounds)
        boolean rampOnly = Boolean.getBoolean("bench.rampOnly");
        int rounds = rampOnly ? 0 : Integer.getInteger("bench.peerRounds", smoke ? 1 : 3);
        long warm = smoke ? 300 : 2000;
        long measure = smoke ? 700 : 5000;
        long latencyWarm = smoke ? 300 : 3000;
        long latencyMeasure = smoke ? 1000 : 10000;
        int listeners = smoke ? 10 : 50;
        int[][] loads = smoke ? new int[][] {{10, 1}} : new int[][] {{50, 1}, {200, 1}, {50, 10}};
        List<Column> plain = servers.stream().map(w -> new Column(w, false)).toList();
        List<Column> all = new ArrayList<>(plain); // and every server but the floor over TLS
        servers.stream().filter(w -> w != Wire.FLOOR).forEach(w -> all.add(new Column(w, true)));
        String loadStart = BenchRunner.loadAverage();
        List<String> roundLoads = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            String before = BenchRunner.loadAverage();
            for (int[] load : loads) {
                Row row = row(fanName(load[0], load[1]), true, "M");
                boolean first = load == loads[0]; // TLS and the details table: the first load only
                for (Column c : first ? all : plain) {
                    Peers.Fan f = attempt(
                            c.label() + " " + row.name(),
                            () -> Peers.fanOut(c.wire(), c.tls(), load[0], load[1], 128, warm, measure, jfr));
                    row.add(c.label(), r, f == null ? Double.NaN : f.deliveriesPerSec());
                    if (f != null && first) {
                        details.computeIfAbsent(c.label(), k -> new ArrayList<>())
                                .add(f);
                    }
                    print(row, c.label(), r);
                }
            }
            String name = "latency, 1,000 msg/s to " + listeners + " listeners, ";
            Row p50 = row(name + "p50", false, "us");
            Row p99 = row(name + "p99", false, "us");
            Row p999 = row(name + "p99.9", false, "us");
            for (Column c : all) {
                Latency.Result l = attempt(
                        c.label() + " latency",
                        () -> Peers.latency(c.wire(), c.tls(), listeners, 1000, latencyWarm, latencyMeasure, jfr));
                latency(l, c.label(), r, p50, p99, p999);
            }
            roundLoads.add(before + " -> " + BenchRunner.loadAverage());
        }

        List<String> columns = all.stream().map(Column::label).toList();
        if (rampOnly) {
            md.append("## Peers: join ramps only (`-Dbench.rampOnly=true`)\n\n")
                    .append(generatedBy)
                    .append(" Peers: ")
                    .append(peerVersions())
                    .append(". Load average at the start: ")
                    .append(loadStart)
                    .append(".\n\n");
        } else {
            header(missing, rounds, warm, measure, latencyWarm, latencyMeasure, loadStart);
            perRound(columns, rounds, roundLoads);
            medians(columns, rounds);
            detailsTable();
        }
        Map<Wire, Peers.Ramp> ramps = ramp(servers);
        targets(ramps);
        if (!errors.isEmpty()) {
            md.append("Runs that failed (their cells are `-`):\n\n");
            errors.forEach(e -> md.append("* ").append(e).append('\n'));
            md.append('\n');
        }
        md.append("Load average at the end of the block: ")
                .append(BenchRunner.loadAverage())
                .append(".\n\n");
        String block = md.toString();
        System.out.println(block);
        return block;
    }

    private static String fanName(int members, int senders) {
        return "fan-out, " + (senders == 1 ? "" : senders + " senders x ") + members + " members, deliveries/s";
    }

    private void latency(Latency.Result l, String column, int round, Row p50, Row p99, Row p999) {
        p50.add(column, round, l == null ? Double.NaN : l.p50us());
        p99.add(column, round, l == null ? Double.NaN : l.p99us());
        p999.add(column, round, l == null ? Double.NaN : l.p999us());
        print(p99, column, round);
    }

    private static void print(Row row, String column, int round) {
        System.out.println("peers round " + (round + 1) + ": " + row.name() + ": " + column + " "
                + row.format(row.get(column, round)));
    }

    private interface Run<T> {
        T run() throws Exception;
    }

    /** Runs one measurement; a failure is noted (its cell stays empty) instead of ending the block. */
    private <T> T attempt(String what, Run<T> run) {
        try {
            return run.run();
        } catch (Exception e) {
            String msg = what + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
            System.out.println("peers: " + msg);
            errors.add(msg);
            return null;
        }
    }

    private void header(
            List<String> missing,
            int rounds,
            long warm,
            long measure,
            long latencyWarm,
            long latencyMeasure,
            String loadStart) {
        md.append("## Peers: Confab beside InspIRCd and NATS (issue 18) ")
                .append(smoke ? "(SMOKE run: tiny counts, figures meaningless)" : "")
                .append("\n\n")
                .append(generatedBy)
                .append(" Peers: ")
                .append(peerVersions())
                .append(" (Debian's packages). Load average at the start: ")
                .append(loadStart)
                .append(
                        ". **The machine is shared** (other sessions build and test on the same 2 cores): compare the ratios, "
                                + "each measured in the same round, more than the absolute figures.\n\n");
        if (!missing.isEmpty()) {
            md.append("Left out: ")
                    .append(String.join(", ", missing))
                    .append(" (not installed; `bench/run.sh` installs it with apt-get when run as root).\n\n");
        }
        md.append(String.format(
                Locale.ROOT,
                "Every server is started fresh on loopback for each measurement and stopped by its PID; %d round%s, in each "
                        + "every server runs every workload once, one after the other; the tables give each round and the median. "
                        + "The load clients are the same for every server (`SelectorListeners`: plain sockets read by one selector "
                        + "thread in the load process, units split by the server's wire, `Wire`, nothing decoded): Confab frames "
                        + "(plain host, `--insecure`), the floor relay's frames, IRC lines (`NICK`/`USER`, then `JOIN #bench`; "
                        + "`PRIVMSG` lines counted), NATS (`CONNECT`/`SUB bench`/`PING`; `MSG`s counted). 128 B texts. "
                        + "**Fan-out**: one member (or 10) sends 16-message bursts as fast as the server takes them, at most "
                        + "%,d messages ahead of the slowest member that does not send; deliveries are what the members counted, "
                        + "over %.1f s after %.1f s warm-up; Confab and NATS echo each message to its sender (counted), IRC does "
                        + "not, so at N members Confab and NATS deliver N copies of each message and IRC N-1. **Latency**: one "
                        + "sender at 1,000 msg/s, send time (intended, no coordinated omission) in the text, read by the listeners "
                        + "from the bytes after `ts:`; %.0f s measured after %.0f s warm-up; HdrHistogram. **TLS columns** "
                        + "(the first fan-out row and the latency): every server takes TLS 1.3 only and the same raw load "
                        + "clients speak it (`TlsChannel`: the JDK's `SSLEngine`, read by the same selector thread; every "
                        + "certificate accepted, the product pins the host's key): Confab's host as it ships (TLS is its "
                        + "default), InspIRCd with its `ssl_gnutls` module, NATS with its `tls` block (TLS after its plain "
                        + "`INFO` line); the peers with a throwaway P-256 certificate from `openssl`. Ratios: Confab plain over "
                        + "the best peer (InspIRCd or NATS: the higher throughput, the lower latency) and over the floor; for "
                        + "latency below 1 is better.%n%n",
                rounds,
                rounds == 1 ? "" : "s",
                FanOut.WINDOW,
                measure / 1000.0,
                warm / 1000.0,
                latencyMeasure / 1000.0,
                latencyWarm / 1000.0));
    }

    private void perRound(List<String> columns, int rounds, List<String> roundLoads) {
        md.append("### Peers: each round\n\n| Round (load average before -> after) | Workload | ");
        md.append(String.join(" | ", columns)).append(" | Confab / best peer | Confab / floor |\n|---|---|");
        md.append("---:|".repeat(columns.size() + 2)).append('\n');
        for (int r = 0; r < rounds; r++) {
            for (Row row : rows.values()) {
                int round = r;
                md.append("| ")
                        .append(r + 1)
                        .append(" (")
                        .append(roundLoads.get(r))
                        .append(") | ")
                        .append(row.name());
                for (String c : columns) {
                    md.append(" | ").append(row.format(row.get(c, r)));
                }
                md.append(" | ")
                        .append(ratio(row, c -> row.get(c, round)))
                        .append(" | ")
                        .append(floorRatio(row, c -> row.get(c, round)))
                        .append(" |\n");
            }
        }
        md.append('\n');
    }

    private void medians(List<String> columns, int rounds) {
        md.append("### Peers: medians of ")
                .append(rounds)
                .append(rounds == 1 ? " round" : " rounds")
                .append("\n\n| Workload | ")
                .append(String.join(" | ", columns))
                .append(" | Confab / best peer | Confab / floor |\n|---|")
                .append("---:|".repeat(columns.size() + 2))
                .append('\n');
        for (Row row : rows.values()) {
            md.append("| ").append(row.name());
            for (String c : columns) {
                md.append(" | ").append(row.format(row.median(c)));
            }
            md.append(" | **")
                    .append(ratio(row, row::median))
                    .append("** | ")
                    .append(floorRatio(row, row::median))
                    .append(" |\n");
        }
        md.append('\n');
    }

    /** The best peer's figure for a row (highest throughput, lowest latency), NaN if no peer ran. */
    private static double best(Row row, ToDoubleFunction<String> value) {
        double best = Double.NaN;
        for (Wire p : PEERS) {
            double v = value.applyAsDouble(p.label);
            if (!Double.isNaN(v) && (Double.isNaN(best) || (row.higherIsBetter() ? v > best : v < best))) {
                best = v;
            }
        }
        return best;
    }

    private static String ratio(Row row, ToDoubleFunction<String> value) {
        return ratioText(value.applyAsDouble(Wire.CONFAB.label), best(row, value));
    }

    private static String floorRatio(Row row, ToDoubleFunction<String> value) {
        return ratioText(value.applyAsDouble(Wire.CONFAB.label), value.applyAsDouble(Wire.FLOOR.label));
    }

    private static String ratioText(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    private void detailsTable() {
        if (details.isEmpty()) {
            return;
        }
        md.append("### Peers: what differs per delivery (fan-out, first row above, medians)\n\n")
                .append("| Server | Echo to the sender | Deliveries per message | Bytes per delivery | Messages/s in | "
                        + "Server CPU (cores) | Server CPU ns per delivery | Load CPU (cores) |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (var e : details.entrySet()) {
            List<Peers.Fan> fs = e.getValue();
            double dpm = median(fs, Peers.Fan::deliveriesPerMessage);
            double cores = median(fs, Peers.Fan::serverCores);
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.2f | %.0f B | %s | %.2f | %s | %.2f |%n",
                    e.getKey(),
                    e.getKey().startsWith(Wire.IRC.label) ? "no (IRC never echoes a PRIVMSG)" : "yes",
                    dpm,
                    median(fs, Peers.Fan::bytesPerDelivery),
                    BenchRunner.num(median(fs, Peers.Fan::messagesPerSec)),
                    cores,
                    BenchRunner.num(median(fs, f -> f.serverCores() * 1e9 / f.deliveriesPerSec())),
                    median(fs, Peers.Fan::loadCores)));
        }
        md.append('\n');
    }

    private static double median(List<Peers.Fan> fs, ToDoubleFunction<Peers.Fan> f) {
        return median(fs.stream().mapToDouble(f));
    }

    /** The median of the values that are not NaN; NaN if there are none. */
    static double median(DoubleStream values) {
        double[] v = values.filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private Map<Wire, Peers.Ramp> ramp(List<Wire> servers) {
        Map<Wire, Peers.Ramp> out = new LinkedHashMap<>();
        if (Boolean.getBoolean("bench.skipRamp")) {
            md.append("### Peers: join ramp\n\nLeft out of this run (`-Dbench.skipRamp=true`).\n\n");
            return out;
        }
        int n = Integer.getInteger("bench.members", smoke ? 100 : 10_000);
        int connectors = Integer.getInteger("bench.connectors", 64);
        long limit = Long.getLong("bench.rampLimitSecs", smoke ? 60 : 1500);
        String load = BenchRunner.loadAverage();
        // the quick ones first; Confab's takes minutes today
        for (Wire w : List.of(Wire.NATS, Wire.IRC, Wire.CONFAB)) {
            if (servers.contains(w)) {
                Peers.Ramp r = attempt(w.label + " ramp", () -> Peers.ramp(w, n, connectors, limit, jfr));
                if (r != null) {
                    out.put(w, r);
                    System.out.println("peers ramp: " + w.label + ": " + r);
                }
            }
        }
        md.append(String.format(
                Locale.ROOT,
                "### Peers: join ramp to %,d idle members (once, at the end)%n%n"
                        + "%d connector threads join members one after the other, each join waiting for its confirmation "
                        + "(Confab: the `welcome`; InspIRCd: `001`, then `JOIN #bench` and the end of NAMES, 366; NATS: the "
                        + "`PONG` after `SUB`); joining stops after %d s. (64, not section 3's 8: InspIRCd completes "
                        + "registrations on its once-a-second timer, so its joins/s is bounded by the joins in flight; "
                        + "Confab's and NATS's are bounded by CPU.) Joined members stay connected and keep being read. "
                        + "RSS: the server's VmRSS once it has sent nothing for 2 s, minus before the first join, per member. "
                        + "Bytes: everything the members received from their first connect until then (member lists, join "
                        + "announcements). Confab: plain host. Load average before: %s.%n%n"
                        + "| Server | Members | Ramp | Joins/s (all) | first 10%% | last 10%% | last / first | RSS per member "
                        + "| RSS before -> after | Bytes the members received |%n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n",
                n,
                connectors,
                limit,
                load));
        for (var e : out.entrySet()) {
            Peers.Ramp r = e.getValue();
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %.1f s | %s | %s | %s | %.2f | %.1f KiB | %s -> %s | %s |%n",
                    e.getKey().label,
                    r.members(),
                    r.secs(),
                    BenchRunner.num(r.joinsPerSec()),
                    BenchRunner.num(r.firstJoinsPerSec()),
                    BenchRunner.num(r.lastJoinsPerSec()),
                    r.lastJoinsPerSec() / r.firstJoinsPerSec(),
                    r.rssPerMemberKiB(),
                    BenchRunner.mib(r.rssBefore()),
                    BenchRunner.mib(r.rssAfter()),
                    bytes(r.bytes())));
        }
        md.append('\n');
        return out;
    }

    private static String bytes(long b) {
        return b >= 1e9
                ? String.format(Locale.ROOT, "%.2f GB", b / 1e9)
                : b >= 1e6
                        ? String.format(Locale.ROOT, "%.1f MB", b / 1e6)
                        : String.format(Locale.ROOT, "%.1f kB", b / 1e3);
    }

    /** The best peer's TLS median for a row, NaN if none ran. */
    private static double bestTls(Row row) {
        return best(row, label -> row.median(label + TLS_SUFFIX));
    }

    private void targets(Map<Wire, Peers.Ramp> ramps) {
        md.append(
                "### Peers: issue 18's targets (medians, ratios within this run)\n\n| Target | Measured | Met? |\n|---|---|---|\n");
        for (Row row : rows.values()) {
            double c = row.median(Wire.CONFAB.label);
            double best = best(row, row::median);
            if (row.name().startsWith("fan-out")) {
                md.append(BenchRunner.target(
                        row.name() + ", plain: >= 1.2x the best peer",
                        ratioText(c, best) + "x",
                        !Double.isNaN(best) && c >= 1.2 * best));
                double t = row.median(CONFAB_TLS);
                if (!Double.isNaN(t)) {
                    md.append(BenchRunner.target(
                            row.name() + ", TLS: >= 0.8x the best peer's plain figure",
                            ratioText(t, best) + "x (the best peer over TLS: " + ratioText(t, bestTls(row)) + "x)",
                            !Double.isNaN(best) && t >= 0.8 * best));
                }
            } else if (!row.name().endsWith("p99.9")) {
                md.append(BenchRunner.target(
                        row.name() + ", plain: <= the best peer's",
                        row.format(c) + " vs " + row.format(best) + " (" + ratioText(c, best) + "x)",
                        !Double.isNaN(best) && c <= best));
                double t = row.median(CONFAB_TLS);
                if (row.name().endsWith("p99") && !Double.isNaN(t)) {
                    md.append(BenchRunner.target(
                            row.name() + ", TLS: <= 1.5x the best peer's plain p99",
                            row.format(t) + " (" + ratioText(t, best) + "x; the best peer over TLS: "
                                    + row.format(bestTls(row)) + ", " + ratioText(t, bestTls(row)) + "x)",
                            !Double.isNaN(best) && t <= 1.5 * best));
                }
            }
        }
        Peers.Ramp c = ramps.get(Wire.CONFAB);
        Peers.Ramp irc = ramps.get(Wire.IRC);
        if (c != null) {
            if (irc != null) {
                md.append(BenchRunner.target(
                        "joins/s >= 10x InspIRCd's",
                        String.format(
                                Locale.ROOT,
                                "%s vs %s (%.2fx)",
                                BenchRunner.num(c.joinsPerSec()),
                                BenchRunner.num(irc.joinsPerSec()),
                                c.joinsPerSec() / irc.joinsPerSec()),
                        c.joinsPerSec() >= 10 * irc.joinsPerSec()));
            }
            md.append(BenchRunner.target(
                    "joins flat: last 10% >= 0.8x first 10%",
                    String.format(Locale.ROOT, "%.2fx", c.lastJoinsPerSec() / c.firstJoinsPerSec()),
                    c.lastJoinsPerSec() >= 0.8 * c.firstJoinsPerSec()));
            double bestRss = ramps.entrySet().stream()
                    .filter(e -> PEERS.contains(e.getKey()))
                    .mapToDouble(e -> e.getValue().rssPerMemberKiB())
                    .min()
                    .orElse(Double.NaN);
            md.append(BenchRunner.target(
                    "RSS per member <= the best peer's",
                    String.format(Locale.ROOT, "%.1f KiB vs %.1f KiB", c.rssPerMemberKiB(), bestRss),
                    !Double.isNaN(bestRss) && c.rssPerMemberKiB() <= bestRss));
        }
        md.append('\n');
    }

    /** The peers' versions as their programs print them, or that they are not installed. */
    private static String peerVersions() {
        return (PeerServer.available(Wire.IRC) ? PeerServer.version(Wire.IRC) : "InspIRCd not installed") + ", "
                + (PeerServer.available(Wire.NATS) ? PeerServer.version(Wire.NATS) : "NATS not installed");
    }
}
