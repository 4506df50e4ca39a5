package org.confab.ui.notify;

import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.awt.Taskbar;
import java.awt.Taskbar.Feature;
import java.io.IOException;
import java.util.Locale;
import java.util.function.Consumer;
import org.confab.ui.notify.AttentionUpdates.Display;
import org.confab.ui.notify.AttentionUpdates.Unread;

/**
 * The fallback where there is no session D-Bus: {@link Taskbar} of AWT, where it has a badge
 * number ({@link Feature#ICON_BADGE_NUMBER}: the Dock on macOS) or an attention request ({@link
 * Feature#USER_ATTENTION}: the Dock icon bounces once when a message turns urgent). AWT starts only
 * here, off the FX thread, never when headless or (X11) without a display.
 */
final class TaskbarAttention {
    private TaskbarAttention() {}

    /**
     * The taskbar's badge on a thread of its own ({@code confab-taskbar}: AWT's Taskbar is never
     * called on the FX thread; on macOS it goes to the AppKit thread, which JavaFX shares).
     *
     * @throws IOException where there is no display or the taskbar has neither feature
     */
    static Attention create() throws IOException {
        if (GraphicsEnvironment.isHeadless()) {
            throw new IOException("no taskbar: headless");
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        boolean x11 = !os.contains("win") && !os.contains("mac");
        String display = System.getenv("DISPLAY");
        if (x11 && (display == null || display.isBlank())) {
            throw new IOException("no taskbar: no X display");
        }
        try {
            if (!Taskbar.isTaskbarSupported()) {
                throw new IOException("no taskbar API (java.awt.Taskbar) on this desktop");
            }
            Taskbar taskbar = Taskbar.getTaskbar();
            boolean badge = taskbar.isSupported(Feature.ICON_BADGE_NUMBER);
            boolean attention = taskbar.isSupported(Feature.USER_ATTENTION);
            if (!badge && !attention) {
                throw new IOException("the taskbar has neither a badge number nor an attention request");
            }
            Display shown = display(
                    badge ? taskbar::setIconBadge : null,
                    attention ? urgent -> taskbar.requestUserAttention(urgent, false) : null);
            return new Updates(new AttentionUpdates("confab-taskbar", shown, "the taskbar badge", System.err::println));
        } catch (AWTError | LinkageError | RuntimeException e) {
            throw new IOException("no taskbar (" + e + ")", e);
        }
    }

    /**
     * What the taskbar is told: the badge text (the count, {@code null} for none) where {@code
     * badge} is given; an attention request when the unread turn urgent, withdrawn when they stop
     * being, where {@code attention} is given.
     */
    static Display display(Consumer<String> badge, Consumer<Boolean> attention) {
        return new Display() {
            private boolean urgent;

            @Override
            public void show(Unread unread) {
                if (badge != null) {
                    badge.accept(unread.count() > 0 ? Integer.toString(unread.count()) : null);
                }
                if (attention != null && unread.urgent() != urgent) {
                    attention.accept(unread.urgent());
                }
                urgent = unread.urgent();
            }
        };
    }

    /** The Attention handed out: its toString says which way it is. */
    private record Updates(AttentionUpdates updates) implements Attention {
        @Override
        public void unread(int count, boolean urgent) {
            updates.unread(count, urgent);
        }

        @Override
        public void close() {
            updates.close();
        }

        @Override
        public String toString() {
            return "taskbar badge through java.awt.Taskbar";
        }
    }
}
