package org.confab.net.discovery;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Asks for the details (SRV, TXT, addresses) of services heard by name only, off JmDNS's event
 * thread: JmDNS's {@code requestServiceInfo} waits for the answer (200 ms at the least; in 3.6.1
 * its three-argument form waits 6 s whatever timeout it is given), so asking on the thread that
 * delivers events would hold every later event back behind each name that never resolves (a
 * flood of bare PTR records). Here {@link #ask} returns at once; a few threads ask, each name once
 * while it waits, and at most {@code maxWaiting} names wait: under a flood the oldest are dropped
 * (asked again if announced again), so a room heard last is still asked about soon.
 */
final class Resolutions implements AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();

    Resolutions(int threads, int maxWaiting) {
        this.pool = new ThreadPoolExecutor(
                threads,
                threads,
                1,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(maxWaiting),
                Thread.ofPlatform()
                        .name("confab-discovery-resolve")
                        .daemon(true)
                        .factory(),
                (r, ex) -> {
                    if (ex.isShutdown()) {
                        return;
                    }
                    if (ex.getQueue().poll() instanceof Ask oldest) {
                        waiting.remove(oldest.key); // dropped: a new announcement asks again
                    }
                    ex.execute(r);
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code request} (which may block) on a resolver thread soon, unless one for {@code key}
     * waits already; never blocks.
     */
    void ask(String key, Runnable request) {
        Objects.requireNonNull(request, "request");
        if (!waiting.add(key)) {
            return;
        }
        try {
            pool.execute(new Ask(key, request));
        } catch (RejectedExecutionException e) {
            waiting.remove(key); // closed
        }
    }

    /** How many requests wait for a thread (not counting those running). */
    int waiting() {
        return pool.getQueue().size();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private final class Ask implements Runnable {
        private final String key;
        private final Runnable request;

        Ask(String key, Runnable request) {
            this.key = key;
            this.request = request;
        }

        @Override
        public void run() {
            waiting.remove(key); // from here on, a new announcement of the name asks again
            try {
                request.run();
            } catch (RuntimeException e) {
                // a name JmDNS cannot ask about: ignored
            }
        }
    }
}
