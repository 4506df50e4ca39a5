package org.confab.ui.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link Notifier} for tests: records what it is asked to show, and lets a test click a
 * notification ({@link #activate}) as the person would.
 */
public final class RecordingNotifier implements Notifier {
    private final Object lock = new Object();
    private final List<Notification> shown = new ArrayList<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private boolean closed;

    @Override
    public void notify(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        synchronized (lock) {
            if (closed) {
                return;
            }
            shown.add(notification);
            lock.notifyAll();
        }
    }

    @Override
    public void onActivated(Consumer<String> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }

    /** Everything shown so far, oldest first. */
    public List<Notification> notifications() {
        synchronized (lock) {
            return List.copyOf(shown);
        }
    }

    /** The latest notification, or null if none was shown. */
    public Notification last() {
        synchronized (lock) {
            return shown.isEmpty() ? null : shown.getLast();
        }
    }

    /** Those shown for {@code conversationKey}, oldest first. */
    public List<Notification> notificationsOf(String conversationKey) {
        synchronized (lock) {
            return shown.stream()
                    .filter(n -> n.conversationKey().equals(conversationKey))
                    .toList();
        }
    }

    /** Waits until at least {@code count} notifications were shown; false on timeout. */
    public boolean awaitCount(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (shown.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Clicks a notification of {@code conversationKey}: tells every listener, on this thread. */
    public void activate(String conversationKey) {
        for (Consumer<String> listener : listeners) {
            listener.accept(conversationKey);
        }
    }

    /** How many listeners {@link #onActivated} added. */
    public int listenerCount() {
        return listeners.size();
    }

    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Forgets what was shown (listeners stay). */
    public void clear() {
        synchronized (lock) {
            shown.clear();
        }
    }
}
