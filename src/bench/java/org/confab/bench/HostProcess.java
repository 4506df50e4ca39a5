package org.confab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.confab.core.Fingerprint;
import org.confab.net.JoinOptions;

/** A host (or floor relay) running in its own JVM: started, its port read back, told commands, killed. */
final class HostProcess implements AutoCloseable, BenchServer {
    /** The flags every host JVM gets; reported in docs/benchmarks.md. */
    static final List<String> HOST_FLAGS = List.of("-Xms256m", "-Xmx3g", "-XX:+UseG1GC");

    private static final Pattern PORT = Pattern.compile("port (\\d+)");

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final PrintStream stdin;
    final int port;
    final String label;
    /** The room key a TLS host printed ({@code fp <base64url>}), or null for plain hosts and the floor. */
    final Fingerprint fingerprint;

    private HostProcess(String label, Process process) throws IOException, InterruptedException {
        this.label = label;
        this.process = process;
        this.stdin = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon(true).name("host-stdout-" + label).start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Matcher m = null;
        Fingerprint fp = null;
        while (m == null) {
            String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null) {
                process.destroyForcibly();
                throw new IOException(label + ": no port line within 60 s; see target/bench/" + label + ".err");
            }
            if (l.startsWith("fp ")) {
                fp = Fingerprint.parse(l.substring(3).trim())
                        .orElseThrow(() -> new IOException(label + ": bad fingerprint line"));
                continue;
            }
            Matcher candidate = PORT.matcher(l);
            if (candidate.find()) {
                m = candidate; // other lines (JFR's startup note) are skipped
            }
        }
        this.port = Integer.parseInt(m.group(1));
        this.fingerprint = fp;
    }

    /** How a member joins this host: the printed key pinned (TLS), or plain TCP. */
    JoinOptions joinOptions() {
        return fingerprint == null ? JoinOptions.insecureTcp() : JoinOptions.pinned(fingerprint);
    }

    /**
     * Starts a {@link BenchHost} on a free port for {@code members} (plus a few), with {@code extra}
     * arguments ({@code --insecure} for raw members, which speak plain TCP).
     */
    static HostProcess confab(String label, boolean jfr, int members, String... extra)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(
                List.of("--port", "0", "--name", "bench", "--max-members", Integer.toString(members + 8)));
        args.addAll(List.of(extra));
        return start(label, BenchHost.class, jfr, args.toArray(String[]::new));
    }

    /** Starts {@code mainClass} with this JVM's class path and the host flags. */
    static HostProcess start(String label, Class<?> mainClass, boolean jfr, String... args)
            throws IOException, InterruptedException {
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(HOST_FLAGS);
        String extra = System.getenv("BENCH_HOST_FLAGS"); // profiling only, e.g. -XX:+PreserveFramePointer
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        if (jfr) {
            cmd.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + dir.resolve(label + ".jfr").toAbsolutePath());
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd)
                .redirectError(dir.resolve(label + ".err").toFile());
        return new HostProcess(label, pb.start());
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void stop() throws InterruptedException {
        kill();
    }

    void command(String c) {
        stdin.println(c);
    }

    /** Waits for a stdout line starting with {@code prefix}; null on timeout. */
    String await(String prefix, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            String l = lines.poll(left, TimeUnit.NANOSECONDS);
            if (l != null && l.startsWith(prefix)) {
                return l;
            }
        }
    }

    /** Full GC in the host, then its used heap in bytes. */
    long heapUsed() throws InterruptedException, IOException {
        command("heap");
        String l = await("heap used ", 120, TimeUnit.SECONDS);
        if (l == null) {
            throw new IOException(label + ": no heap answer");
        }
        return Long.parseLong(l.split(" ")[2]);
    }

    @Override
    public void close() throws InterruptedException {
        stdin.println("quit");
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Ends the host at once (SIGTERM, so a JFR recording is still dumped): no orderly goodbyes. */
    void kill() throws InterruptedException {
        Proc.stop(process, 30);
    }

    /** SIGKILL, as a crash or a power cut would stop it: nothing is closed in order. */
    void killNow() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }
}
