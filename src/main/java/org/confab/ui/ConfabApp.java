package org.confab.ui;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.confab.core.InviteLink;
import org.confab.store.AppDirs;
import org.confab.ui.common.ErrorHandler;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.emoji.EmojiIndex;
import org.confab.ui.notify.AppTray;
import org.confab.ui.notify.Attention;
import org.confab.ui.notify.Attentions;
import org.confab.ui.notify.Notifier;
import org.confab.ui.notify.Notifiers;
import org.confab.ui.notify.Sound;
import org.confab.ui.notify.Tray;
import org.confab.ui.shell.MainWindow;

/**
 * The desktop app. {@link #launchGui(String)} opens the main window (and, given a
 * {@code confab://HOST:PORT} link, the Join dialog prefilled); {@link #launchSmoke()} opens it,
 * reports the time to the first frame and exits, for packaging checks.
 */
public final class ConfabApp extends Application {
    private static volatile String startLink;
    private static volatile boolean smoke;

    private MainWindow window;
    private Sound sound;

    /** Opens the desktop app; returns when the last window closed. {@code link} may be null. */
    public static void launchGui(String link) {
        startLink = link;
        smoke = false;
        Application.launch(ConfabApp.class);
    }

    /**
     * Opens the main window, prints the line {@code first-frame} in the first pulse after the window
     * is shown, then {@code first-frame-ms=<N>} (milliseconds from JVM start to that pulse), and
     * exits the JVM with status 0.
     */
    public static void launchSmoke() {
        smoke = true;
        startLink = null;
        Application.launch(ConfabApp.class);
        System.exit(0);
    }

    @Override
    public void start(Stage stage) {
        Settings settings =
                smoke ? Settings.inMemory() : Settings.file(AppDirs.config().resolve("settings.properties"));
        // the emoji index (1.3 MB of metadata) loads off the FX thread, before the first room needs it
        Thread.ofVirtual().name("confab-emoji-index").start(EmojiIndex::standard);
        Theme theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        new ErrorHandler(window.dialogs()).install();
        window.show();
        if (smoke) {
            reportFirstFrame(stage);
            return;
        }
        // the window may hide in the tray while rooms run: the app ends when the window says so
        Platform.setImplicitExit(false);
        window.setOnQuit(Platform::exit);
        window.setBrowser(url -> getHostServices().showDocument(url)); // links in messages
        // the tray icon and the desktop's notification service, found off the FX thread (AWT starts
        // there; a bus may be slow): missing ones are no error
        MainWindow shown = window;
        Thread.ofPlatform().name("confab-desktop-start").daemon(true).start(() -> {
            Tray tray = AppTray.createOrNone();
            Platform.runLater(() -> shown.setTray(tray));
            Notifier n = Notifiers.system(tray);
            Platform.runLater(() -> shown.setNotifier(n));
            Attention badge = Attentions.system();
            Platform.runLater(() -> shown.setAttention(badge));
        });
        sound = Sound.create();
        window.setSound(sound::play);
        String link = startLink;
        if (link != null && !link.isBlank()) {
            Platform.runLater(() -> openLink(link));
        }
    }

    private void openLink(String link) {
        InviteLink parsed;
        try {
            parsed = InviteLink.parse(link);
        } catch (IllegalArgumentException e) {
            window.dialogs().error("Cannot open this link", "“" + link + "” is not a Confab link. " + e.getMessage());
            return;
        }
        window.openJoinDialog(parsed);
    }

    private static void reportFirstFrame(Stage stage) {
        AtomicBoolean done = new AtomicBoolean();
        Runnable[] listener = new Runnable[1];
        listener[0] = () -> {
            if (done.compareAndSet(false, true)) {
                long now = System.currentTimeMillis();
                // first the bare marker, so a launcher script can time exec -> first frame from
                // outside; then the JVM's own figure (reading the JVM start time loads
                // java.management, ~40 ms, which is why it comes second)
                System.out.println("first-frame");
                System.out.flush();
                long ms = now - ManagementFactory.getRuntimeMXBean().getStartTime();
                System.out.println("first-frame-ms=" + ms);
                System.out.flush();
                stage.getScene().removePostLayoutPulseListener(listener[0]);
                Platform.runLater(Platform::exit);
            }
        };
        stage.getScene().addPostLayoutPulseListener(listener[0]);
        stage.getScene().getRoot().requestLayout(); // make sure a pulse follows the show
    }

    @Override
    public void stop() {
        if (window != null) {
            window.shutdown();
        }
        if (sound != null) {
            sound.close();
        }
    }
}
