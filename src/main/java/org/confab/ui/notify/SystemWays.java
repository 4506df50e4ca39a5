package org.confab.ui.notify;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * How {@link Notifiers} and {@link Attentions} find the system's way to do something: try each way
 * in order, keep the first that opens, say once why the others failed; and open a session-bus
 * connection that may hang without waiting for it past a timeout.
 */
final class SystemWays {
    private SystemWays() {}

    /** One way to do it, or an IOException saying why not. */
    @FunctionalInterface
    interface Way<T> {
        T open() throws IOException;
    }

    /**
     * The first way that opens, else {@code none} after telling {@code log} every reason in one
     * line. A way that throws an unchecked exception counts as failed.
     */
    static <T> T first(List<? extends Way<? extends T>> ways, T none, Consumer<String> log) {
        List<String> reasons = new ArrayList<>();
        for (Way<? extends T> way : ways) {
            try {
                T opened = way.open();
                if (opened != null) {
                    return opened;
                }
            } catch (IOException e) {
                reasons.add(e.getMessage());
            } catch (RuntimeException | LinkageError e) {
                reasons.add(e.toString());
            }
        }
        log.accept(String.join("; ", reasons));
        return none;
    }

    /**
     * {@code open} on a daemon thread named {@code thread}, given up after {@code timeout} (a bus
     * that accepts the connection but never answers); what opens after that is closed again. An
     * unchecked failure becomes an IOException starting with {@code failed}.
     */
    static <T extends AutoCloseable> T within(String thread, Duration timeout, String failed, Way<T> open)
            throws IOException {
        CompletableFuture<T> attempt = new CompletableFuture<>();
        Thread.ofPlatform().name(thread).daemon(true).start(() -> {
            try {
                attempt.complete(open.open());
            } catch (IOException | RuntimeException e) {
                attempt.completeExceptionally(e);
            }
        });
        try {
            return attempt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(failed + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            attempt.thenAccept(SystemWays::closeQuietly);
            throw new IOException("the session bus did not answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempt.thenAccept(SystemWays::closeQuietly);
            throw new IOException("interrupted while connecting to the session bus");
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // given up on already
        }
    }
}
