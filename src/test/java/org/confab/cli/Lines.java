package org.confab.cli;

import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Collects output lines (as a Writer, or fed by a reader thread) so tests await them without
 * sleeping. {@link #await} moves a cursor forward through the lines; {@link #all} only looks.
 */
final class Lines extends Writer {
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private int cursor;

    @Override
    public synchronized void write(char[] cbuf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = cbuf[i];
            if (c == '\n') {
                add(partial.toString());
                partial.setLength(0);
            } else if (c != '\r') {
                partial.append(c);
            }
        }
    }

    synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    /** The next line after the cursor that matches, within the timeout; null on timeout. */
    synchronized String await(Predicate<String> p, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            while (cursor < lines.size()) {
                String line = lines.get(cursor++);
                if (p.test(line)) {
                    return line;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    /** Every line so far. */
    synchronized List<String> all() {
        return List.copyOf(lines);
    }
}
