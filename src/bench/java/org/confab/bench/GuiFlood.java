package org.confab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.confab.net.RoomConnection;
import org.confab.net.TestMember;

/**
 * Workload 4: a burst of messages into a displayed room view of the real desktop UI. Three
 * processes: the host ({@link BenchHost}, TLS, the product default; its per-member send queue raised
 * to {@link #HOST_SEND_QUEUE} frames so that a GUI client that reads slower than the flood is not
 * cut: the burst is then queued at the host, as it would be on a busy LAN); the GUI process
 * ({@code org.confab.ui.room.GuiFloodMain} under {@code xvfb-run -a} when there is no display: a real
 * {@code RoomConnection} whose listener is the UI's {@code FxBridge} feeding a {@code RoomViewModel}
 * shown by a {@code RoomView}); and this load process, whose {@code RoomConnection} floods the room.
 *
 * <p>Burst: {@code burst} 128-byte messages sent as fast as the host takes them; measured in the
 * GUI process from "go": until its client has received them all, until the view model's list holds
 * them all, and until a layout pulse shows the last one; plus the worst delay of a
 * {@code runLater} probe during the burst. Two bursts: the first meets a cold JVM (its worst and p99
 * probe delay are kept), the figures are from the second. Memory: then {@code total - 2 burst} more, and the GUI
 * process's used heap after full GC, against the same figure before the flood.
 */
final class GuiFlood {
    static final int HOST_SEND_QUEUE = 2_000_000;
    /** The installed app's GC (packaging/installer.properties, javaOptions); heap sizes left to the JVM, as the launcher does. */
    static final List<String> GUI_FLAGS = List.of("-XX:+UseSerialGC");

    record Result(
            int burst,
            double receivedMs,
            double listMs,
            double laidOutMs,
            double worstFxMs,
            long probes,
            long drains,
            int total,
            long heapBefore,
            long heapAfter,
            int items,
            boolean encrypted,
            double drainMs,
            double drainCpuMs,
            double layoutMs,
            double layoutCpuMs,
            double p99FxMs,
            String guiThreads,
            boolean niced,
            double coldWorstFxMs,
            double coldP99FxMs) {
        double bytesPerMessage() {
            return (heapAfter - heapBefore) / (double) total;
        }
    }

    private GuiFlood() {}

    /**
     * @param niced the host and the flooder run at {@code nice 19} (the flooder in a process of its
     *     own, {@link FloodMain}): a stand-in for them being other computers, so that what is left is
     *     the GUI process's own delay; otherwise all three compete for the 2 cores at equal priority
     */
    static Result run(int burst, int total, long timeoutSecs, boolean jfr, boolean niced) throws Exception {
        HostProcess host = HostProcess.start(
                niced ? "gui-niced-host" : "gui-host",
                BenchHost.class,
                false,
                "--port",
                "0",
                "--name",
                "bench",
                "--max-members",
                "8",
                "--send-queue",
                Integer.toString(HOST_SEND_QUEUE));
        Process gui = null;
        RoomConnection flooder = null;
        Process floodProc = null;
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        try {
            if (niced && !Proc.renice(host.pid(), 19)) {
                throw new IOException("could not renice the host (renice missing?)");
            }
            gui = new ProcessBuilder(guiCommand(
                            jfr ? "gui.jfr" : null,
                            List.of("-Dgui.burstTimeoutSecs=" + timeoutSecs),
                            "org.confab.ui.room.GuiFloodMain",
                            Integer.toString(host.port),
                            host.fingerprint == null ? "-" : host.fingerprint.base64url()))
                    .redirectError(dir.resolve("gui.err").toFile())
                    .start();
            var lines = lines(gui);
            var stdin = new PrintStream(gui.getOutputStream(), true, StandardCharsets.UTF_8);
            Map<String, String> ready = fields(await(lines, "ready", 120));
            Flood flood;
            if (niced) {
                floodProc = new ProcessBuilder(List.of(
                                "nice",
                                "-n",
                                "19",
                                Path.of(System.getProperty("java.home"), "bin", "java")
                                        .toString(),
                                "-Xmx512m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                FloodMain.class.getName(),
                                Integer.toString(host.port),
                                host.fingerprint == null ? "-" : host.fingerprint.base64url()))
                        .redirectError(dir.resolve("gui-flooder.err").toFile())
                        .start();
                var fout =
                        new BufferedReader(new InputStreamReader(floodProc.getInputStream(), StandardCharsets.UTF_8));
                var fin = new PrintStream(floodProc.getOutputStream(), true, StandardCharsets.UTF_8);
                String r = fout.readLine();
                if (r == null || !r.equals("flooder ready")) {
                    throw new IOException("flooder did not start; see target/bench/gui-flooder.err");
                }
                flood = n -> {
                    fin.println("flood " + n);
                    String l = fout.readLine();
                    if (l == null || !l.equals("flooded " + n)) {
                        throw new IOException("flooder failed: " + l + "; see target/bench/gui-flooder.err");
                    }
                };
            } else {
                RoomConnection f = TestMember.join(
                        host.port,
                        "flood",
                        host.joinOptions(),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(60),
                        (e, cid) -> {});
                flooder = f;
                String text = FanOut.text(128);
                flood = n -> flood(f, text, n);
            }
            // the first burst meets a cold JVM (JIT compiling as it goes); its worst delay is reported, the rest are
            // from a second one
            stdin.println("go " + burst);
            await(lines, "armed", 60);
            flood.send(burst);
            Map<String, String> cold = fields(await(lines, "burst", timeoutSecs + 30));
            stdin.println("go " + burst);
            await(lines, "armed", 60);
            long guiPid = gui.descendants()
                    .filter(ph -> ph.info().command().orElse("").endsWith("/java"))
                    .mapToLong(ProcessHandle::pid)
                    .findFirst()
                    .orElse(gui.pid());
            Map<String, Long> cpu0 = Proc.threadCpu(guiPid);
            long w0 = System.nanoTime();
            flood.send(burst);
            Map<String, String> b = fields(await(lines, "burst", timeoutSecs + 30));
            double wall = (System.nanoTime() - w0) / 1e9;
            Map<String, Long> cpu1 = Proc.threadCpu(guiPid);
            var threads = new ArrayList<String>();
            cpu1.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - cpu0.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                    .limit(6)
                    .forEach(e ->
                            threads.add(String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e9 / wall)));
            if (total > 2 * burst) {
                stdin.println("go " + (total - 2 * burst));
                await(lines, "armed", 60);
                flood.send(total - 2 * burst);
                await(lines, "burst", timeoutSecs + 30);
            }
            stdin.println("heap");
            Map<String, String> h = fields(await(lines, "heap", 300));
            stdin.println("quit");
            return new Result(
                    burst,
                    d(b, "receivedMs"),
                    d(b, "listMs"),
                    d(b, "laidOutMs"),
                    d(b, "worstFxMs"),
                    Long.parseLong(b.get("probes")),
                    Long.parseLong(b.get("drains")),
                    total,
                    Long.parseLong(ready.get("heap")),
                    Long.parseLong(h.get("used")),
                    Integer.parseInt(h.get("items")),
                    Boolean.parseBoolean(ready.get("encrypted")),
                    d(b, "drainMs"),
                    d(b, "drainCpuMs"),
                    d(b, "layoutMs"),
                    d(b, "layoutCpuMs"),
                    d(b, "p99FxMs"),
                    String.join(", ", threads),
                    niced,
                    d(cold, "worstFxMs"),
                    d(cold, "p99FxMs"));
        } finally {
            if (flooder != null) {
                flooder.close();
            }
            if (floodProc != null) {
                floodProc.destroy();
                floodProc.waitFor(10, TimeUnit.SECONDS);
            }
            if (gui != null && !gui.waitFor(20, TimeUnit.SECONDS)) {
                gui.descendants().forEach(ProcessHandle::destroy);
                gui.destroy();
                gui.waitFor(10, TimeUnit.SECONDS);
            }
            host.kill();
        }
    }

    interface Flood {
        void send(int n) throws Exception;
    }

    /**
     * Sends n messages as a person's client does (each saved in the outbox, then sent as the
     * host's pace allows), keeping at most {@link #IN_FLIGHT} undelivered so the outbox does not
     * grow without bound; returns once all n are written.
     */
    static void flood(RoomConnection c, String text, int n) {
        for (int i = 0; i < n; i++) {
            while (c.undelivered() >= IN_FLIGHT) {
                if (c.state() == RoomConnection.State.ENDED) {
                    throw new IllegalStateException("flooder disconnected after " + i + " messages");
                }
                LockSupport.parkNanos(200_000);
            }
            c.send(text);
        }
    }

    /** Messages the flooder keeps written but not yet delivered. */
    static final int IN_FLIGHT = 2_000;

    /**
     * The command of a GUI workload's own JVM: under {@code xvfb-run -a} when there is no display,
     * {@link #GUI_FLAGS} (a GC in {@code BENCH_GUI_FLAGS} replaces the default one), the given
     * properties, JFR into target/bench/{@code jfrFile} unless null, this process's class path.
     */
    static List<String> guiCommand(String jfrFile, List<String> properties, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        if (System.getenv("DISPLAY") == null || System.getenv("DISPLAY").isEmpty()) {
            cmd.addAll(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x800x24"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String extra = System.getenv("BENCH_GUI_FLAGS"); // profiling only, e.g. -Xlog:gc:file=/tmp/gc.log
        boolean otherGc = extra != null && extra.matches(".*-XX:\\+Use\\w+GC.*");
        cmd.addAll(
                otherGc
                        ? GUI_FLAGS.stream().filter(f -> !f.endsWith("GC")).toList()
                        : GUI_FLAGS); // a GC given there replaces the default one
        cmd.addAll(properties);
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        if (jfrFile != null) {
            cmd.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + Path.of("target", "bench", jfrFile).toAbsolutePath());
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The process's standard output, line by line, read on a daemon thread. */
    static LinkedBlockingQueue<String> lines(Process p) {
        var lines = new LinkedBlockingQueue<String>();
        Thread.ofPlatform().daemon(true).name("gui-stdout").start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // ended
            }
        });
        return lines;
    }

    static String await(LinkedBlockingQueue<String> lines, String prefix, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String l = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (l == null) {
                throw new IOException(
                        "GUI process: no '" + prefix + "' line within " + seconds + " s; see its target/bench/*.err");
            }
            if (l.startsWith("failed")) {
                throw new IOException("GUI process " + l + "; see its target/bench/*.err");
            }
            if (l.startsWith(prefix)) {
                return l;
            }
        }
    }

    static Map<String, String> fields(String line) {
        var m = new HashMap<String, String>();
        for (String part : line.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }

    static double d(Map<String, String> m, String k) {
        return Double.parseDouble(m.get(k));
    }
}
