package org.confab.ui.notify;

import java.awt.AWTError;
import java.awt.AWTException;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Image;
import java.awt.SystemTray;
import java.awt.Toolkit;
import java.awt.TrayIcon;
import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The fallback where there is no freedesktop notification service (Windows, macOS): an icon in the
 * system tray that shows each notification as its balloon ({@link TrayIcon#displayMessage}). A click
 * on the balloon or the icon opens the conversation of the latest notification.
 *
 * <p>{@link #create()} starts AWT: call it off the FX thread, and only where there is a display (it
 * checks, and fails instead of touching the toolkit when headless).
 */
public final class TrayNotifier implements Notifier {
    private static final String ICON = "/org/confab/ui/common/icons/confab-32.png";

    private final SystemTray tray;
    private final TrayIcon icon;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private volatile String lastKey;
    private volatile boolean closed;

    private TrayNotifier(SystemTray tray, TrayIcon icon) {
        this.tray = tray;
        this.icon = icon;
        icon.addActionListener(_ -> activated());
    }

    /**
     * Puts Confab's icon in the system tray.
     *
     * @throws IOException where there is no display or no system tray
     */
    public static TrayNotifier create() throws IOException {
        if (GraphicsEnvironment.isHeadless()) {
            throw new IOException("no system tray: headless");
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        boolean x11 = !os.contains("win") && !os.contains("mac");
        if (x11 && isBlank(System.getenv("DISPLAY"))) {
            throw new IOException("no system tray: no X display");
        }
        try {
            if (!SystemTray.isSupported()) {
                throw new IOException("no system tray on this desktop");
            }
            URL url = TrayNotifier.class.getResource(ICON);
            if (url == null) {
                throw new IOException("no system tray icon: missing resource " + ICON);
            }
            Image image = Toolkit.getDefaultToolkit().getImage(url);
            TrayIcon icon = new TrayIcon(image, DbusNotifier.APP_NAME);
            icon.setImageAutoSize(true);
            SystemTray tray = SystemTray.getSystemTray();
            tray.add(icon);
            return new TrayNotifier(tray, icon);
        } catch (AWTException | AWTError | UnsatisfiedLinkError | RuntimeException e) {
            throw new IOException("no system tray (" + e + ")", e);
        }
    }

    @Override
    public void notify(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        if (closed) {
            return;
        }
        lastKey = notification.conversationKey();
        // a balloon is plain text: no markup to escape
        String summary = NotificationText.summary(notification);
        String body = NotificationText.body(notification);
        EventQueue.invokeLater(() -> {
            if (!closed) {
                icon.displayMessage(summary, body, TrayIcon.MessageType.NONE);
            }
        });
    }

    @Override
    public void onActivated(Consumer<String> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // a tray icon left behind would keep AWT, and so the JVM, alive
        EventQueue.invokeLater(() -> tray.remove(icon));
    }

    @Override
    public String toString() {
        return "desktop notifications through the system tray";
    }

    private void activated() {
        String key = lastKey;
        if (key == null || closed) {
            return;
        }
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(key);
            } catch (RuntimeException e) {
                System.err.println("confab: a notification click listener failed:");
                e.printStackTrace(System.err);
            }
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
