package org.confab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Readouts from /proc (Linux): CPU time and resident memory of a process. */
final class Proc {
    private static final long CLK_TCK = clockTicks();

    private Proc() { }

    /** utime + stime of {@code pid}, in nanoseconds. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the ")" of the command name: state is field 3, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1_000_000_000L / CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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

    private static long clockTicks() {
        try {
            var p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | InterruptedException | RuntimeException e) {
            return 100;
        }
    }
}
