package org.confab.ui.notify;

import java.util.function.Consumer;

/**
 * Shows notifications through the operating system and tells when the person clicks one.
 *
 * <p>{@link #notify(Notification)} never blocks on the system and never throws: a notifier whose
 * system went away drops notifications (it logs that once). Get one with {@link Notifiers#system}
 * (off the FX thread) or {@link Notifiers#systemAsync}.
 */
public interface Notifier extends AutoCloseable {
    /** Shows {@code notification}, replacing the previous one of the same conversation where it can. */
    void notify(Notification notification);

    /**
     * Adds a listener told the conversation key of a notification the person clicked. It is called
     * on a thread of the notifier (not the FX thread): hop to the FX thread before touching the UI.
     */
    void onActivated(Consumer<String> listener);

    /** Releases the connection to the system; later notifications are dropped. Idempotent. */
    @Override
    void close();

    /** A notifier that shows nothing: where the system has no notification service. */
    Notifier NONE = new Notifier() {
        @Override
        public void notify(Notification notification) {}

        @Override
        public void onActivated(Consumer<String> listener) {}

        @Override
        public void close() {}

        @Override
        public String toString() {
            return "no desktop notifications";
        }
    };
}
