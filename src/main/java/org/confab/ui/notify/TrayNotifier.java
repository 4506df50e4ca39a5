package org.confab.ui.notify;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The fallback where there is no freedesktop notification service (Windows, macOS): each
 * notification as a balloon of Confab's tray icon ({@link AppTray}). A click on the balloon reaches
 * the tray's {@link Tray#onOpen} listeners with the conversation's key (the window listens there
 * anyway), not this notifier's. The tray icon is the app's, and stays when this notifier closes.
 */
public final class TrayNotifier implements Notifier {
    private final AppTray tray;
    private volatile boolean closed;

    TrayNotifier(AppTray tray) {
        this.tray = Objects.requireNonNull(tray, "tray");
    }

    @Override
    public void notify(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        if (!closed) {
            // a balloon is plain text: no markup to escape
            tray.balloon(
                    notification.conversationKey(),
                    NotificationText.summary(notification),
                    NotificationText.body(notification));
        }
    }

    @Override
    public void onActivated(Consumer<String> listener) {
        Objects.requireNonNull(listener, "listener"); // clicks arrive through the tray's onOpen
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "desktop notifications through the system tray";
    }
}
