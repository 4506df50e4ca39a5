package org.confab.net;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.confab.core.RoomEvent;
import org.confab.protocol.ErrorCode;

/** Records what a client hears; tests wait on it with generous timeouts instead of sleeping. */
class RecordingLinkListener implements LinkListener {
    final List<RoomEvent> events = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    final List<String> typing = new CopyOnWriteArrayList<>();
    final CountDownLatch disconnected = new CountDownLatch(1);
    volatile Disconnect why;
    private final Object lock = new Object();

    @Override
    public void event(RoomEvent event) {
        events.add(event);
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    @Override
    public void typing(String nick) {
        typing.add(nick);
    }

    @Override
    public void error(ErrorCode code, String text) {
        errors.add(code.wire() + ": " + text);
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    @Override
    public void disconnected(Disconnect why) {
        this.why = why;
        disconnected.countDown();
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Wakes those waiting (a subclass recorded something else). */
    void poke() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Waits until {@code condition} holds for the recorded events; false on timeout. */
    boolean await(Predicate<List<RoomEvent>> condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (lock) {
            while (!condition.test(events)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return true;
        }
    }

    /** Waits until at least {@code n} errors were recorded; false on timeout. */
    boolean awaitErrors(int n, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (lock) {
            while (errors.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return true;
        }
    }

    List<RoomEvent.Posted> messages() {
        return events.stream()
                .filter(e -> e instanceof RoomEvent.Posted)
                .map(e -> (RoomEvent.Posted) e)
                .toList();
    }

    boolean awaitMessages(int n, long seconds) throws InterruptedException {
        return await(
                ev -> ev.stream().filter(e -> e instanceof RoomEvent.Posted).count() >= n, seconds);
    }
}
