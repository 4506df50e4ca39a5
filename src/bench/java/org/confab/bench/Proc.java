package org.confab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Readouts from /proc (Linux): CPU time and resident memory of a process. */
final class Proc {
    private static final long CLK_TCK = clockTicks();

    private Proc() {}

    /** utime + stime of {@code pid}, in nanoseconds. */
    static long cpuNanos(long pid) {
        try {
            return statCpuNanos(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of a {@code /proc/.../stat} line, in nanoseconds. */
    private static long statCpuNanos(String stat) {
        // fields after the ")" of the command name: state is field 3, utime 14, stime 15
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1_000_000_000L / CLK_TCK;
    }

    /** VmRSS of {@code pid}, in bytes. */
    static long rssBytes(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** CPU nanoseconds (utime + stime) of every thread of {@code pid}, by thread name (same names summed; numbers in names kept). */
    static Map<String, Long> threadCpu(long pid) {
        var m = new TreeMap<String, Long>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    m.merge(
                            stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
                            statCpuNanos(stat),
                            Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or gone
        }
        return m;
    }

    /** Voluntary and involuntary context switches of every thread {@code pid} has now, summed (each a thread waking up or being preempted). */
    static long contextSwitches(long pid) {
        long n = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String l : Files.readAllLines(t.resolve("status"))) {
                        if (l.startsWith("voluntary_ctxt_switches:") || l.startsWith("nonvoluntary_ctxt_switches:")) {
                            n += Long.parseLong(l.replaceAll("[^0-9]", ""));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return n;
    }

    /** SIGTERM to {@code p} by its PID; SIGKILL if it has not ended after {@code secs}. */
    static void stop(Process p, long secs) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(secs, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    /** The first line a command prints (stdout and stderr), e.g. a server's version; "unknown" if it cannot run. */
    static String firstLine(String... cmd) {
        try {
            var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out.lines().findFirst().orElse("unknown");
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    /** Sets the nice value of every thread {@code pid} has now (Linux: nice is per thread); false if it could not. */
    static boolean renice(long pid, int nice) {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            var cmd = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
            tasks.forEach(t -> cmd.add(t.getFileName().toString()));
            var p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException | RuntimeException e) {
            return false;
        }
    }

    private static long clockTicks() {
        try {
            var p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | InterruptedException | RuntimeException e) {
            return 100;
        }
    }
}
