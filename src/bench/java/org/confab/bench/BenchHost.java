package org.confab.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.confab.net.HostConfig;
import org.confab.net.HostSecurity;
import org.confab.net.RoomHost;

/**
 * The headless host for benchmarks: the real {@link RoomHost} in its own JVM. By default it is
 * the product default, TLS 1.3 with a fresh (ephemeral) identity, and prints {@code fp <base64url>}
 * (the room key a client pins) before {@code ... on port N} (the same shape as {@code confab host});
 * with {@code --insecure} it is plain TCP ({@link HostSecurity#insecure()}, no fp line). Then it
 * answers commands on stdin: {@code heap} (full GC, then the used heap in bytes), {@code quit}.
 *
 * <p>The per-member rate limit ({@link HostConfig#DEFAULT_RATE_PER_SECOND} = 20/s) would make
 * every throughput figure a figure of the limiter, so benchmark hosts raise it to
 * {@link #BENCH_RATE} per second with the same burst ({@code --rate N} overrides). History stays in
 * memory (no history file), as for a host started without one.
 *
 * <p>Arguments: {@code --port P --name X --max-members N [--send-queue Q] [--insecure] [--rate N]
 * [--history-file F]} (a history file: the store a host with one uses, each event fsynced before it is fanned out;
 * the profile of issue 18 measures its cost).
 */
public final class BenchHost {
    /** The rate limit of benchmark hosts: far above anything one member can send here. */
    static final int BENCH_RATE = 10_000_000;

    private BenchHost() {}

    public static void main(String[] args) throws Exception {
        int port = 0;
        String name = "bench";
        int maxMembers = 256;
        int sendQueue = HostConfig.DEFAULT_SEND_QUEUE;
        boolean insecure = false;
        int rate = BENCH_RATE;
        boolean fsync = true; // --no-fsync: what the fsyncs cost (the product's --sync normal)
        Path historyFile = null; // the product's default store: SQLite, every event fsynced before fan-out
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--name" -> name = args[++i];
                case "--max-members" -> maxMembers = Integer.parseInt(args[++i]);
                case "--send-queue" -> sendQueue = Integer.parseInt(args[++i]);
                case "--insecure" -> insecure = true;
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--history-file" -> historyFile = Path.of(args[++i]);
                case "--no-fsync" -> fsync = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        HostConfig base = HostConfig.defaults(name, port);
        HostConfig config = base.withLimits(base.maxFrame(), base.history(), maxMembers, sendQueue)
                .withRateLimit(rate, rate)
                .withHistoryFile(historyFile)
                .withFsync(fsync);
        RoomHost host = new RoomHost(config, insecure ? HostSecurity.insecure() : HostSecurity.ephemeral(), null);
        var bound = host.start();
        if (host.fingerprint() != null) {
            System.out.println("fp " + host.fingerprint().base64url());
        }
        System.out.println("Confab bench host hosting \"" + name + "\" on port " + bound.getPort() + " pid "
                + ProcessHandle.current().pid());
        System.out.flush();
        Commands.serve(host::close);
    }

    /** The tiny stdin protocol shared by the bench host and the floor relay. */
    static final class Commands {
        private Commands() {}

        static void serve(Runnable onQuit) throws Exception {
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                switch (line.trim()) {
                    case "heap" -> {
                        for (int i = 0; i < 3; i++) {
                            System.gc();
                        }
                        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                        System.out.println("heap used " + heap.getUsed() + " committed " + heap.getCommitted()
                                + " threads " + Thread.activeCount());
                        System.out.flush();
                    }
                    case "quit" -> {
                        onQuit.run();
                        System.exit(0);
                    }
                    default -> {
                        System.out.println("unknown command");
                        System.out.flush();
                    }
                }
            }
            onQuit.run();
            System.exit(0);
        }
    }
}
