package org.confab.net.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Network namespaces ({@code ip netns}) joined by veth pairs whose both ends live in namespaces,
 * and processes started inside them with discovery on (there only): no multicast ever reaches this
 * machine's real interfaces. {@link #close} ends every process and deletes every namespace; call it
 * from {@code @AfterEach}, so it also runs when a test fails. Needs root and iproute2.
 */
final class NetnsFixture implements AutoCloseable {
    /** How long any one awaited thing (an output line, a process's end, a command) may take. */
    static final long WAIT_S = 30;

    private final Path tmp;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Proc> procs = new CopyOnWriteArrayList<>();

    /** @param tmp the test's temporary directory (profiles of the processes it starts) */
    NetnsFixture(Path tmp) {
        this.tmp = tmp;
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static boolean hasIp() {
        return Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"));
    }

    /** A namespace with its loopback up; deleted by {@link #close}. */
    String ns(String name) throws Exception {
        run("ip", "netns", "add", name);
        namespaces.add(name);
        run("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /** A veth pair from one namespace to another, addressed and up, once both ends have carrier. */
    static void veth(String left, String leftNs, String leftIp, String right, String rightNs, String rightIp)
            throws Exception {
        // both ends are created inside namespaces: the pair never exists in the real network
        run("ip", "link", "add", left, "netns", leftNs, "type", "veth", "peer", "name", right, "netns", rightNs);
        run("ip", "-n", leftNs, "addr", "add", leftIp, "dev", left);
        run("ip", "-n", rightNs, "addr", "add", rightIp, "dev", right);
        run("ip", "-n", leftNs, "link", "set", left, "up");
        run("ip", "-n", rightNs, "link", "set", right, "up");
        awaitCarrier(leftNs, left);
        awaitCarrier(rightNs, right);
    }

    /** Waits until the link has carrier (LOWER_UP), as Java's isUp() needs; a veth gets it a moment after "up". */
    private static void awaitCarrier(String ns, String dev) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!run("ip", "-n", ns, "link", "show", "dev", dev).contains("LOWER_UP")) {
            assertThat(System.nanoTime()).as("%s in %s has no carrier", dev, ns).isLessThan(end);
            Thread.onSpinWait();
        }
    }

    /** Runs a command to its end; fails the test unless it exits with 0. Its output. */
    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(WAIT_S, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
        return out;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code confab ARGS} (the shaded jar) inside a namespace, with a profile of its own. */
    Proc confab(String ns, String label, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                java(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                System.getProperty("confab.jar")));
        cmd.add("--profile");
        cmd.add(tmp.resolve("profile-" + label).toString());
        cmd.addAll(List.of(args));
        return start(ns, label, cmd, Map.of());
    }

    /**
     * Starts a process inside a namespace, discovery on (there only), with these environment
     * variables added. Ended by {@link #close} if the test has not ended it.
     */
    Proc start(String ns, String label, List<String> command, Map<String, String> env) throws Exception {
        assertThat(namespaces).contains(ns);
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(command);
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(Discovery.ENV);
        pb.environment().putAll(env);
        Proc p = new Proc(label, pb.start());
        procs.add(p);
        return p;
    }

    /** Kills every process started (and its children), then deletes the namespaces and checks they are gone. */
    @Override
    public void close() throws Exception {
        for (Proc p : procs) {
            p.kill();
        }
        for (String n : namespaces) {
            run("ip", "netns", "del", n);
        }
        for (String n : namespaces) {
            assertThat(Files.exists(Path.of("/run/netns", n)))
                    .as("namespace %s deleted", n)
                    .isFalse();
        }
    }

    /** A process and its output lines (stdout and stderr), read on a thread of their own. */
    static final class Proc {
        private final String label;
        private final Process process;
        private final BlockingQueue<Line> unread = new LinkedBlockingQueue<>();
        private final List<String> all = new CopyOnWriteArrayList<>();
        private final Thread reader;
        private volatile long matchedAt;

        private record Line(String text, long nanos) {}

        Proc(String label, Process process) {
            this.label = label;
            this.process = process;
            this.reader = Thread.ofPlatform().daemon(true).name("it-" + label).start(() -> {
                try (var r =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        all.add(l);
                        unread.add(new Line(l, System.nanoTime()));
                    }
                } catch (IOException e) {
                    // process gone
                }
            });
        }

        /** The next line (from now on) that matches, within the generous {@link #WAIT_S}. */
        String await(Predicate<String> match) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (System.nanoTime() < end) {
                Line l = unread.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (l != null && match.test(l.text())) {
                    matchedAt = l.nanos();
                    return l.text();
                }
            }
            throw new AssertionError(
                    label + ": no matching line within " + WAIT_S + " s; output:\n" + String.join("\n", all));
        }

        /** When the line {@link #await} returned last was read ({@link System#nanoTime()}). */
        long matchedAt() {
            return matchedAt;
        }

        /** Every line so far, after the process ended (waits for the end of its output). */
        List<String> lines() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            return List.copyOf(all);
        }

        /** Every line so far, while it runs. */
        List<String> linesSoFar() {
            return List.copyOf(all);
        }

        int waitFor() throws InterruptedException {
            assertThat(process.waitFor(WAIT_S, TimeUnit.SECONDS))
                    .as(label + " ended")
                    .isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            return process.exitValue();
        }

        /** SIGTERM to the process in the namespace (ip netns exec runs it as itself: exec). */
        void terminate() {
            process.destroy();
        }

        void kill() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(WAIT_S, TimeUnit.SECONDS);
        }
    }
}
