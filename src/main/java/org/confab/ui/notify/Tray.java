package org.confab.ui.notify;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Confab's icon in the system tray, while the app runs: its menu shows what is unread, opens the
 * window (or one conversation) and quits. With a tray, closing the window while hosting can leave
 * the rooms running ({@code MainWindow}); without one ({@link #NONE}), the window only minimizes.
 *
 * <p>Listeners are called on a thread of the tray (AWT's, not the FX thread): hop to the FX thread
 * before touching the UI. Every method returns at once and never throws.
 */
public interface Tray extends AutoCloseable {
    /** A conversation with unread messages, as the tray menu lists it. */
    record Unread(String key, String name, int count, boolean mentioned) {
        public Unread {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(name, "name");
        }
    }

    /** True if an icon is in the tray: the window may hide, the person has a way back. */
    boolean present();

    /** What the menu and the tooltip show from now on (conversations with unread messages, best first). */
    void unread(List<Unread> unread);

    /**
     * Adds a listener for "open": a conversation's key from its menu entry, or null for the window
     * as it was (the icon itself, "Open Confab").
     */
    void onOpen(Consumer<String> listener);

    /** Adds a listener for "Quit Confab" in the menu. */
    void onQuit(Runnable listener);

    /** Removes the icon (a tray icon left behind keeps AWT, and so the JVM, alive). Idempotent. */
    @Override
    void close();

    /** No tray: this desktop has none, or it is not reachable. */
    Tray NONE = new Tray() {
        @Override
        public boolean present() {
            return false;
        }

        @Override
        public void unread(List<Unread> unread) {}

        @Override
        public void onOpen(Consumer<String> listener) {}

        @Override
        public void onQuit(Runnable listener) {}

        @Override
        public void close() {}

        @Override
        public String toString() {
            return "no system tray";
        }
    };
}
