package org.confab.ui.notify;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The part every {@link Attention} shares: tells its {@link Display} what to show on a daemon
 * thread of its own, only when that changes, and always the latest (calls made while the thread is
 * busy, or the system hangs, fold into one). A display that fails turns it off, logged once.
 */
final class AttentionUpdates implements Attention {
    /** How long {@link #close()} waits for the badge to be cleared and the system released. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

    /** What a badge shows: never urgent without a count. */
    record Unread(int count, boolean urgent) {
        static final Unread NONE = new Unread(0, false);

        static Unread of(int count, boolean urgent) {
            return count <= 0 ? NONE : new Unread(count, urgent);
        }
    }

    /** The system's side; called on the updates thread only, one call at a time. */
    interface Display {
        void show(Unread unread) throws Exception;

        /** After the last {@link #show}: releases the system. */
        default void close() {}
    }

    private final Display display;
    private final String what;
    private final Consumer<String> log;
    private final ExecutorService thread;
    private final AtomicReference<Unread> wanted = new AtomicReference<>(); // null: nothing asked yet
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean off = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Unread shown; // on the updates thread only; null: nothing shown yet

    /**
     * @param threadName the updates thread's name
     * @param what what the log line calls it, e.g. "the taskbar badge"
     */
    AttentionUpdates(String threadName, Display display, String what, Consumer<String> log) {
        this.display = Objects.requireNonNull(display, "display");
        this.what = Objects.requireNonNull(what, "what");
        this.log = Objects.requireNonNull(log, "log");
        this.thread = Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().name(threadName).daemon(true).unstarted(r));
    }

    @Override
    public void unread(int count, boolean urgent) {
        if (closed.get() || off.get()) {
            return;
        }
        Unread next = Unread.of(count, urgent);
        if (next.equals(wanted.getAndSet(next))) {
            return;
        }
        if (scheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::update);
            } catch (RejectedExecutionException e) {
                scheduled.set(false); // closed meanwhile
            }
        }
    }

    /**
     * Clears the badge (if it shows something) and releases the system, waiting up to {@link
     * #CLOSE_WAIT} for that; a system that hangs is left to its daemon thread. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    if (!off.get() && shown != null && !shown.equals(Unread.NONE)) {
                        display.show(Unread.NONE);
                    }
                } catch (Exception | LinkageError e) {
                    // closing: the badge goes with the app anyway
                } finally {
                    display.close();
                }
            });
            thread.shutdown();
            thread.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // already shut down
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The system went away (the bus closed the connection): later calls are no-ops. */
    void lost(Throwable why) {
        fail(why);
    }

    /** Completes once everything asked before it has reached the display (tests). */
    CompletableFuture<Void> sync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            thread.execute(() -> done.complete(null));
        } catch (RejectedExecutionException e) {
            done.complete(null); // closed: nothing more will be shown
        }
        return done;
    }

    boolean isOff() {
        return off.get();
    }

    /** On the updates thread. */
    private void update() {
        scheduled.set(false); // a call from now on schedules another update
        if (closed.get() || off.get()) {
            return;
        }
        Unread next = wanted.get();
        if (next == null || next.equals(shown)) {
            return;
        }
        try {
            display.show(next);
            shown = next;
        } catch (Exception | LinkageError e) {
            fail(e);
        }
    }

    private void fail(Throwable e) {
        if (off.compareAndSet(false, true) && !closed.get()) {
            log.accept("confab: " + what + " is off: " + e);
        }
    }
}
