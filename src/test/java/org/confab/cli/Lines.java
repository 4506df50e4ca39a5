package org.confab.cli;

import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A Writer that hands every complete line to a queue, so tests await output without sleeping. */
final class Lines extends Writer {
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();

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

    void add(String line) {
        queue.add(line);
    }

    @Override
    public void flush() { }

    @Override
    public void close() { }

    /** Next line matching the predicate within the timeout (lines before it are kept in {@link #seen}); null on timeout. */
    String await(Predicate<String> p, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = queue.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (line == null) {
                return null;
            }
            synchronized (seen) {
                seen.add(line);
            }
            if (p.test(line)) {
                return line;
            }
        }
    }

    /** Every line taken so far by {@link #await}, plus whatever is queued now. */
    List<String> all() {
        synchronized (seen) {
            queue.drainTo(seen);
            return List.copyOf(seen);
        }
    }
}
