package org.confab.ui.shell;

import static org.confab.ui.shell.ScreenshotTourReliability.joinThroughTheDialog;
import static org.confab.ui.shell.ScreenshotTourReliability.settle;
import static org.confab.ui.shell.ScreenshotTourReliability.shoot;

import java.net.InetAddress;
import java.nio.file.Files;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.HostSecurity;
import org.confab.net.RoomConnection;
import org.confab.net.RoomHost;
import org.confab.net.TestMember;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Host dialog with its file switch and limits (docs/screenshots/host-files-*.png), and a room
 * where a member sent hostile text (hostile-*.png): a flood of zero-width characters (hidden, with
 * the note), a message cut with "Show all", and a link whose label hides a right-to-left override;
 * light and dark, at the smallest, default and a large window. Off by default;
 * {@code docs/screenshots/make.sh} runs it.
 */
@Tag("ui")
@Tag("screenshots")
@EnabledIfSystemProperty(named = "confab.screenshots", matches = "true")
@ExtendWith(ApplicationExtension.class)
class ScreenshotTourHostile {
    private record Shot(double w, double h, boolean dark, String suffix) {}

    private static final Shot[] SHOTS = {
        new Shot(1100, 760, false, "light.png"),
        new Shot(1100, 760, true, "dark.png"),
        new Shot(760, 520, false, "min-light.png"),
        new Shot(760, 520, true, "min-dark.png"),
        new Shot(1700, 1050, false, "large-light.png"),
        new Shot(1700, 1050, true, "large-dark.png")
    };

    private Theme theme;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        Settings settings = Settings.inMemory();
        settings.put("window.w", "1100");
        settings.put("window.h", "760");
        theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.setKnownRooms(
                new KnownRooms(Files.createTempDirectory("confab-tour-hostile").resolve("known-rooms")));
        window.setBindAddress(InetAddress.getLoopbackAddress());
        window.show();
    }

    private void size(Shot s) {
        Fx.run(() -> {
            theme.setDark(s.dark());
            window.stage().setWidth(s.w());
            window.stage().setHeight(s.h());
        });
        settle();
    }

    @Test
    void hostDialogAndHostileText(FxRobot robot) throws Exception {
        for (Shot s : SHOTS) {
            size(s);
            Fx.run(window::openHostDialog);
            Fx.await("host dialog", 10, () -> hostDialog() != null);
            Fx.run(() -> {
                Scene d = hostDialog();
                ((TextField) d.lookup("#roomField")).setText("Design team");
                ((TextField) d.lookup("#nickField")).setText("alice");
                ((TextField) d.lookup("#maxFileSizeField")).setText("2G");
                ((TextField) d.lookup("#fileQuotaField")).setText("50G");
            });
            settle();
            ScreenshotTourAbout.shootOver(
                    window.stage().getScene(), Fx.call(ScreenshotTourHostile::hostDialog), "host-files-" + s.suffix());
            Fx.run(() -> hostDialog().getWindow().hide());
        }

        var design = new RoomHost(
                HostConfig.defaults("Design", 0).withBindAddress(InetAddress.getLoopbackAddress()),
                HostSecurity.ephemeral(),
                null);
        int port = design.start().getPort();
        RoomConnection mallory = TestMember.join(port, "mallory", design.fingerprint(), (e, cid) -> {});
        try {
            joinThroughTheDialog(robot, window, new InviteLink("127.0.0.1", port, design.fingerprint()), "bob");
            mallory.send("totally normal message" + "\u200B\u200C\u200D\uFEFF".repeat(2_000) + " nothing to see");
            mallory.send("Your invoice: [invoice\u202Egpj.exe](https://example.com/\u202Eexe.txt)");
            mallory.send(("The quarterly numbers, in full. " + "Revenue went up in the north and down in the south; "
                            + "costs stayed flat. ")
                    .repeat(90));
            Fx.await("three messages", 20, () -> window.room().messages().size() >= 3);
            for (Shot s : SHOTS) {
                size(s);
                Fx.run(() -> {
                    ListView<?> list = (ListView<?>) window.stage().getScene().lookup(".message-list");
                    list.scrollTo(0);
                });
                settle();
                shoot(window.stage().getScene(), "hostile-" + s.suffix());
            }
            Fx.run(window::leaveRoom);
        } finally {
            mallory.close();
            design.close();
        }
    }

    private static Scene hostDialog() {
        return Window.getWindows().stream()
                .filter(w ->
                        w.isShowing() && w.getScene() != null && w.getScene().lookup("#filesCheck") != null)
                .map(Window::getScene)
                .findFirst()
                .orElse(null);
    }
}
