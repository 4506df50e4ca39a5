package org.confab.ui.notify;

import java.awt.AWTError;
import java.awt.AWTException;
import java.awt.Color;
import java.awt.EventQueue;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.RenderingHints;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.event.ActionEvent;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * {@link Tray} through {@code java.awt.SystemTray} (Windows, macOS, and Linux desktops with an
 * XEmbed tray: KDE, Xfce, Cinnamon, MATE, GNOME with the AppIndicator extension). The icon shows a
 * dot while something is unread; its tooltip says how much; its menu lists the conversations with
 * unread messages, "Open Confab" and "Quit Confab". It also shows the balloons of {@link
 * TrayNotifier} where there is no notification service.
 *
 * <p>{@link #create()} starts AWT: call it off the FX thread, and only where there is a display (it
 * checks, and fails instead of touching the toolkit when headless).
 */
public final class AppTray implements Tray {
    private static final String ICON = "/org/confab/ui/common/icons/confab-32.png";
    /** A balloon clicked within this time opens its conversation; later, the icon opens the window. */
    private static final long BALLOON_MS = 60_000;

    private static final int MAX_LISTED = 9;

    private final SystemTray tray;
    private final TrayIcon icon;
    private final BufferedImage plain;
    private final BufferedImage dotted;
    private final List<Consumer<String>> openListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> quitListeners = new CopyOnWriteArrayList<>();
    private volatile String balloonKey;
    private volatile long balloonAt;
    private volatile boolean closed;

    private AppTray(SystemTray tray, TrayIcon icon, BufferedImage plain, BufferedImage dotted) {
        this.tray = tray;
        this.icon = icon;
        this.plain = plain;
        this.dotted = dotted;
        icon.addActionListener(_ -> activated());
    }

    /**
     * Puts Confab's icon in the system tray.
     *
     * @throws IOException where there is no display or no system tray
     */
    public static AppTray create() throws IOException {
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
            BufferedImage plain;
            try (InputStream in = AppTray.class.getResourceAsStream(ICON)) {
                if (in == null) {
                    throw new IOException("no system tray icon: missing resource " + ICON);
                }
                plain = ImageIO.read(in);
            }
            BufferedImage dotted = withDot(plain);
            TrayIcon icon = new TrayIcon(plain, DbusNotifier.APP_NAME);
            icon.setImageAutoSize(true);
            SystemTray tray = SystemTray.getSystemTray();
            AppTray app = new AppTray(tray, icon, plain, dotted);
            icon.setPopupMenu(app.menu(List.of()));
            tray.add(icon);
            return app;
        } catch (AWTException | AWTError | UnsatisfiedLinkError | RuntimeException e) {
            throw new IOException("no system tray (" + e + ")", e);
        }
    }

    /** A Tray, or {@link Tray#NONE} where this desktop has none (why goes to stderr once). */
    public static Tray createOrNone() {
        try {
            return create();
        } catch (IOException e) {
            System.err.println("confab: " + e.getMessage() + ": closing the window cannot keep rooms in the tray");
            return Tray.NONE;
        }
    }

    @Override
    public boolean present() {
        return !closed;
    }

    @Override
    public void unread(List<Unread> unread) {
        List<Unread> list = List.copyOf(Objects.requireNonNull(unread, "unread"));
        int total = list.stream().mapToInt(Unread::count).sum();
        EventQueue.invokeLater(() -> {
            if (closed) {
                return;
            }
            icon.setToolTip(tooltip(total, list.size()));
            icon.setImage(total > 0 ? dotted : plain);
            icon.setPopupMenu(menu(list));
        });
    }

    /** "Confab", "Confab: 1 unread message", "Confab: 12 unread messages in 3 conversations". */
    static String tooltip(int total, int conversations) {
        if (total <= 0) {
            return DbusNotifier.APP_NAME;
        }
        return DbusNotifier.APP_NAME + ": " + total + " unread message" + (total == 1 ? "" : "s")
                + (conversations > 1 ? " in " + conversations + " conversations" : "");
    }

    /** "Design team: 3 unread", "Design team: 3 unread, you were mentioned" (plain text: AWT draws no markup). */
    static String label(Unread u) {
        String name = u.name().replaceAll("\\p{Cntrl}", " ").strip();
        if (name.length() > 40) {
            name = name.substring(0, 39) + "…";
        }
        return name + ": " + u.count() + " unread" + (u.mentioned() ? ", you were mentioned" : "");
    }

    private PopupMenu menu(List<Unread> unread) {
        PopupMenu menu = new PopupMenu();
        MenuItem open = new MenuItem("Open Confab");
        open.addActionListener(_ -> open(null));
        menu.add(open);
        if (!unread.isEmpty()) {
            menu.addSeparator();
            for (Unread u : unread.subList(0, Math.min(MAX_LISTED, unread.size()))) {
                MenuItem item = new MenuItem(label(u));
                item.addActionListener(_ -> open(u.key()));
                menu.add(item);
            }
        }
        menu.addSeparator();
        MenuItem quit = new MenuItem("Quit Confab");
        quit.addActionListener(_ -> quitListeners.forEach(AppTray::safely));
        menu.add(quit);
        return menu;
    }

    @Override
    public void onOpen(Consumer<String> listener) {
        openListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void onQuit(Runnable listener) {
        quitListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** A balloon over the icon (plain text); clicking it soon after opens conversation {@code key}. */
    void balloon(String key, String summary, String body) {
        if (closed) {
            return;
        }
        balloonKey = key;
        balloonAt = System.currentTimeMillis();
        EventQueue.invokeLater(() -> {
            if (!closed) {
                icon.displayMessage(summary, body, TrayIcon.MessageType.NONE);
            }
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        EventQueue.invokeLater(() -> tray.remove(icon));
    }

    @Override
    public String toString() {
        return "the system tray";
    }

    /** The icon (a double click) or a balloon (a click): the balloon's conversation if it is recent. */
    private void activated() {
        String key = balloonKey;
        boolean recent = key != null && System.currentTimeMillis() - balloonAt < BALLOON_MS;
        balloonKey = null;
        open(recent ? key : null);
    }

    private void open(String key) {
        if (closed) {
            return;
        }
        for (Consumer<String> listener : openListeners) {
            safely(() -> listener.accept(key));
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            System.err.println("confab: a tray menu action failed:");
            e.printStackTrace(System.err);
        }
    }

    /** The icon with a small accent dot in its top right corner: something is unread. */
    private static BufferedImage withDot(BufferedImage base) {
        int w = base.getWidth();
        int h = base.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.drawImage(base, 0, 0, null);
            int d = Math.max(6, w * 2 / 5);
            g.setColor(Color.WHITE);
            g.fillOval(w - d - 1, 0, d + 1, d + 1);
            g.setColor(new Color(0xE5, 0x48, 0x4D));
            g.fillOval(w - d, 1, d - 1, d - 1);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** For a test: the menu's entries now. */
    List<String> menuLabels() {
        PopupMenu m = icon.getPopupMenu();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < m.getItemCount(); i++) {
            labels.add(m.getItem(i).getLabel());
        }
        return List.copyOf(labels);
    }

    /** For a test: chooses the menu entry labelled {@code label}, as a click does. */
    void choose(String label) {
        PopupMenu m = icon.getPopupMenu();
        for (int i = 0; i < m.getItemCount(); i++) {
            MenuItem item = m.getItem(i);
            if (label.equals(item.getLabel())) {
                for (var l : item.getActionListeners()) {
                    l.actionPerformed(new ActionEvent(item, ActionEvent.ACTION_PERFORMED, label));
                }
                return;
            }
        }
        throw new IllegalArgumentException("no tray menu entry " + label + " in " + menuLabels());
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** For a test: true while the icon shows no unread dot. */
    boolean isPlain() {
        return icon.getImage() == plain;
    }
}
