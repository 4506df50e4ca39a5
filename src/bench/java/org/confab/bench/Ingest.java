package org.confab.bench;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;

/**
 * Issue 18's ingest workload: one sender posts as fast as the host accepts, each message with its
 * own client id (so the host looks each one up, as for a real client), to a host with a history
 * file (the default: every event durable before anyone sees it) and to the same host without one
 * ({@code --no-save}: history in memory), rounds interleaved; a few listeners receive every
 * message, so fan-out is part of it. Raw members over plain TCP ({@code --insecure}); the sender
 * keeps at most {@link #WINDOW} messages in flight (sent, not yet echoed back to it and to every
 * listener). Posted messages/s are the sender's own echoes counted over the measured time: a
 * message is echoed only once it is posted (for the history file: once it is durable).
 */
final class Ingest {
    /** Messages in flight at most: below the host's per-member send queue, so nobody is cut. */
    static final int WINDOW = 1024;

    static final int BURST = 16;

    /** One round: messages posted per second, host CPU in cores. */
    record Round(double messagesPerSec, double hostCores) {}

    private Ingest() {}

    /** Runs the rounds and returns the block for docs/benchmarks.md (between the ingest markers). */
    static String run(boolean smoke, boolean jfr, String generatedBy) throws Exception {
        int rounds = Integer.getInteger("bench.ingestRounds", smoke ? 1 : 3);
        int listeners = Integer.getInteger("bench.ingestListeners", 4);
        int textBytes = 128;
        long warm = Long.getLong("bench.warmMs", smoke ? 500 : 2000);
        long measure = Long.getLong("bench.measureMs", smoke ? 1000 : 5000);
        String loadBefore = BenchRunner.loadAverage();
        List<Round> saved = new ArrayList<>();
        List<Round> unsaved = new ArrayList<>();
        var rows = new StringBuilder();
        for (int r = 1; r <= rounds; r++) {
            Round s = round("ingest-saved-" + r, true, listeners, textBytes, warm, measure, jfr);
            Round u = round("ingest-nosave-" + r, false, listeners, textBytes, warm, measure, jfr);
            saved.add(s);
            unsaved.add(u);
            String row = String.format(
                    Locale.ROOT,
                    "| %d | %s | %.2f | %s | %.2f | %.2fx |",
                    r,
                    BenchRunner.num(s.messagesPerSec()),
                    s.hostCores(),
                    BenchRunner.num(u.messagesPerSec()),
                    u.hostCores(),
                    s.messagesPerSec() / u.messagesPerSec());
            System.out.println(row);
            rows.append(row).append('\n');
        }
        double ms = median(saved.stream().mapToDouble(Round::messagesPerSec).toArray());
        double mu = median(unsaved.stream().mapToDouble(Round::messagesPerSec).toArray());
        double ratio = ms / mu;
        var md = new StringBuilder();
        md.append("### Ingest: one sender, history file vs `--no-save`\n\n");
        md.append(generatedBy).append("\n\n");
        md.append("One raw sender posts " + textBytes + " B messages as fast as the host accepts (each with its own "
                + "client id, at most " + WINDOW + " in flight: sent and not yet echoed to it and to every listener), "
                + listeners + " raw listeners receive every message; plain TCP (`--insecure`), rate limit raised. "
                + "`saved`: the host with a history file (SQLite, the default: nothing is fanned out before it is "
                + "durable); `--no-save`: the same host with its history in memory. Rounds interleaved, each host a "
                + "fresh JVM (and a fresh file), " + warm / 1000.0 + " s warm-up, " + measure / 1000.0
                + " s measured; posted messages/s are the sender's own echoes. Host CPU in cores (of "
                + Runtime.getRuntime().availableProcessors() + "). Load average before: " + loadBefore + ", after: "
                + BenchRunner.loadAverage() + ".\n\n");
        md.append("| Round | saved msgs/s | Host CPU | `--no-save` msgs/s | Host CPU | saved / `--no-save` |\n");
        md.append("|---:|---:|---:|---:|---:|---:|\n");
        md.append(rows);
        md.append(String.format(
                Locale.ROOT,
                "| median | %s | | %s | | **%.2fx** |\n\n",
                BenchRunner.num(ms),
                BenchRunner.num(mu),
                ratio));
        md.append(BenchRunner.target(
                        "ingest with a history file >= 0.5x `--no-save` (issue 18)",
                        String.format(Locale.ROOT, "%.2fx", ratio),
                        ratio >= 0.5)
                .replaceFirst("^", "| Target | Figure | Met? |\n|---|---|---|\n"));
        md.append('\n');
        String block = md.toString();
        System.out.println(block);
        return block;
    }

    private static Round round(
            String label, boolean save, int listeners, int textBytes, long warmMs, long measureMs, boolean jfr)
            throws Exception {
        HostProcess host;
        if (save) {
            Path file = Files.createDirectories(Path.of("target", "bench")).resolve(label + ".db");
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
            host = HostProcess.confab(label, jfr, listeners + 1, "--insecure", "--history-file", file.toString());
        } else {
            host = HostProcess.confab(label, jfr, listeners + 1, "--insecure");
        }
        List<RawMember> members = new ArrayList<>();
        var stop = new AtomicBoolean();
        Thread keeper = null;
        Thread senderThread = null;
        try {
            RawMember sender = RawMember.join(host.port, "sender", true, RawMember.MESSAGE, 64 * 1024);
            members.add(sender);
            for (int i = 0; i < listeners; i++) {
                members.add(RawMember.join(host.port, "l" + i, true, RawMember.MESSAGE, 64 * 1024));
            }
            keeper = FanOut.Keeper.start(members, stop);
            String text = FanOut.text(textBytes);
            senderThread = Thread.ofPlatform().name("ingest-sender").start(() -> {
                long sent = 0;
                var burst = new ByteArrayOutputStream();
                while (!stop.get()) {
                    while (sent - min(members) > WINDOW - BURST && !stop.get()) {
                        LockSupport.parkNanos(20_000);
                    }
                    burst.reset();
                    for (int i = 0; i < BURST; i++) {
                        burst.writeBytes(JsonCodec.encode(new Message.Send(text, "c" + (sent + i)))
                                .encode());
                    }
                    if (!sender.tryWrite(burst.toByteArray())) {
                        return;
                    }
                    sent += BURST;
                }
            });
            Thread.sleep(warmMs);
            long c0 = sender.counted();
            long h0 = Proc.cpuNanos(host.pid());
            long t0 = System.nanoTime();
            Thread.sleep(measureMs);
            long c1 = sender.counted();
            long h1 = Proc.cpuNanos(host.pid());
            long t1 = System.nanoTime();
            double secs = (t1 - t0) / 1e9;
            if (sender.ended() || members.stream().anyMatch(RawMember::ended)) {
                throw new IllegalStateException(label + ": a member was cut during the round");
            }
            return new Round((c1 - c0) / secs, (h1 - h0) / 1e9 / secs);
        } finally {
            stop.set(true);
            if (senderThread != null) {
                senderThread.join(10_000);
            }
            if (keeper != null) {
                keeper.interrupt();
            }
            host.kill();
            members.forEach(RawMember::close);
        }
    }

    private static long min(List<RawMember> members) {
        long m = Long.MAX_VALUE;
        for (RawMember r : members) {
            m = Math.min(m, r.counted());
        }
        return m;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
