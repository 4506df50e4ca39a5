package org.confab.ui.notify;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A notification daemon for pictures of the real thing (the screenshot tour): dunst, styled like a
 * desktop's, on a private session bus of its own (never the machine's), drawing on the display of
 * xvfb-run; and a {@link DbusNotifier} connected to it.
 */
public final class DunstDesktop implements AutoCloseable {
    private static final int TIMEOUT_S = 20;

    private final PrivateSessionBus bus;
    private final Process dunst;
    private final DBusConnection probe;
    private final DbusNotifier notifier;

    private DunstDesktop(PrivateSessionBus bus, Process dunst, DBusConnection probe, DbusNotifier notifier) {
        this.bus = bus;
        this.dunst = dunst;
        this.probe = probe;
        this.notifier = notifier;
    }

    /** Starts the bus and dunst; notifications appear at {@code x, y} of the screen, 360 px wide. */
    public static DunstDesktop start(Path dir, int x, int y) throws Exception {
        PrivateSessionBus bus = PrivateSessionBus.start(dir);
        Path dunstrc = dir.resolve("dunstrc");
        Files.writeString(dunstrc, """
                [global]
                    markup = full
                    font = Inter 10
                    width = 360
                    origin = top-left
                    offset = %dx%d
                    padding = 12
                    horizontal_padding = 14
                    frame_width = 1
                    corner_radius = 10
                    separator_height = 0
                    format = "<b>%%s</b>\\n%%b"
                    icon_position = off
                    show_age_threshold = -1
                    show_indicators = false
                [urgency_normal]
                    background = "#ffffff"
                    foreground = "#1c1b22"
                    frame_color = "#d8d6e4"
                    timeout = 0
                """.formatted(x, y));
        ProcessBuilder b = new ProcessBuilder("dunst", "-config", dunstrc.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("dunst.log").toFile());
        b.environment().put("DBUS_SESSION_BUS_ADDRESS", bus.address());
        Process dunst = b.start();
        DBusConnection probe = DBusConnectionBuilder.forAddress(bus.address())
                .withShared(false)
                .build();
        DbusNotifier[] connected = new DbusNotifier[1];
        try {
            WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS, () -> {
                try {
                    connected[0] = DbusNotifier.connect(bus.address());
                    return true;
                } catch (IOException notYet) {
                    return !dunst.isAlive();
                }
            });
        } catch (TimeoutException e) {
            fail("dunst did not answer on its bus within " + TIMEOUT_S + " s");
        }
        if (connected[0] == null) {
            fail("dunst exited: " + Files.readString(dir.resolve("dunst.log")));
        }
        return new DunstDesktop(bus, dunst, probe, connected[0]);
    }

    public Notifier notifier() {
        return notifier;
    }

    /** Waits until dunst shows {@code count} notifications. */
    public void awaitDisplayed(int count) throws Exception {
        Properties p = probe.getRemoteObject(
                FreedesktopNotifications.BUS_NAME, FreedesktopNotifications.OBJECT_PATH, Properties.class);
        try {
            WaitForAsyncUtils.waitFor(
                    TIMEOUT_S,
                    TimeUnit.SECONDS,
                    () -> p.Get("org.dunstproject.cmd0", "displayedLength") instanceof UInt32 u
                            && u.intValue() >= count);
        } catch (TimeoutException e) {
            fail("dunst did not display " + count + " notification(s) within " + TIMEOUT_S + " s");
        }
    }

    @Override
    public void close() throws Exception {
        notifier.close();
        probe.disconnect();
        dunst.destroy();
        if (!dunst.waitFor(10, TimeUnit.SECONDS)) {
            dunst.destroyForcibly();
        }
        bus.close();
    }
}
