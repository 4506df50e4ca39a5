package org.confab.ui.notify;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link Tray} for tests: present (so the window may hide in it), records what its menu would
 * list, and lets a test choose "Open" or "Quit" as the person would.
 */
public final class RecordingTray implements Tray {
    private final List<Consumer<String>> openListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> quitListeners = new CopyOnWriteArrayList<>();
    private volatile List<Unread> unread = List.of();
    private volatile boolean closed;

    @Override
    public boolean present() {
        return !closed;
    }

    @Override
    public void unread(List<Unread> now) {
        unread = List.copyOf(now);
    }

    /** What the menu lists now. */
    public List<Unread> unread() {
        return unread;
    }

    @Override
    public void onOpen(Consumer<String> listener) {
        openListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void onQuit(Runnable listener) {
        quitListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** "Open Confab" (null) or a conversation's entry, chosen from the menu (on the calling thread, as AWT's). */
    public void open(String key) {
        openListeners.forEach(l -> l.accept(key));
    }

    /** "Quit Confab", chosen from the menu. */
    public void quit() {
        quitListeners.forEach(Runnable::run);
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
