package org.confab.ui.notify;

/**
 * Shows on the app's taskbar or dock icon that messages are waiting: a count badge, and "urgent"
 * (the icon asks for attention) where the desktop has that. Get one with {@link
 * Attentions#system()} (off the FX thread) or {@link Attentions#systemAsync()}.
 *
 * <p>{@link #unread} never blocks on the system and never throws; the system is told only when
 * what it shows changes. A system that went away makes later calls no-ops (logged once).
 */
public interface Attention extends AutoCloseable {
    /**
     * The number of unread messages, and whether one of them wants the person now (a mention, a
     * direct message). {@code count} 0 (or less) clears the badge and the urgency.
     */
    void unread(int count, boolean urgent);

    /** Clears what this showed where it can, and releases the system. Idempotent. */
    @Override
    void close();

    /** Shows nothing: where the desktop has no badge. */
    Attention NONE = new Attention() {
        @Override
        public void unread(int count, boolean urgent) {}

        @Override
        public void close() {}

        @Override
        public String toString() {
            return "no taskbar badge";
        }
    };
}
