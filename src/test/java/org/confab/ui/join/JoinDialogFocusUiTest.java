package org.confab.ui.join;

import javafx.scene.Node;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.core.InviteLink;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.shell.MainWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** A Join dialog opened from a link puts the cursor where the person types next: the first empty field. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class JoinDialogFocusUiTest {
    private MainWindow window;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        Theme theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.show();
    }

    @AfterEach
    void close() {
        // the dialog first (closing it cancels nothing: no join was started), then the window
        Fx.run(() -> {
            Window.getWindows().stream()
                    .filter(w -> w instanceof Stage
                            && w != window.stage()
                            && w.getScene() != null
                            && w.getScene().lookup("#nickField") != null)
                    .map(w -> (Stage) w)
                    .toList()
                    .forEach(Stage::close);
            window.stage().close();
        });
    }

    private static String focused() {
        return Window.getWindows().stream()
                .filter(w ->
                        w.isShowing() && w.getScene() != null && w.getScene().lookup("#nickField") != null)
                .map(w -> w.getScene().getFocusOwner())
                .filter(n -> n != null)
                .map(Node::getId)
                .findFirst()
                .orElse("(none)");
    }

    @Test
    void aPrefilledAddressWithTheDefaultNicknameFocusesJoin(FxRobot robot) {
        Fx.run(() -> window.openJoinDialog(new InviteLink("192.168.1.20", 4747)));
        Fx.await(
                "the Join button has the focus: Enter joins, nothing to type",
                10,
                () -> "joinButton".equals(focused()),
                JoinDialogFocusUiTest::focused);
    }

    @Test
    void anEmptyDialogFocusesTheAddress(FxRobot robot) {
        Fx.run(() -> window.openJoinDialog(null));
        Fx.await(
                "the address field has the cursor",
                10,
                () -> "hostField".equals(focused()),
                JoinDialogFocusUiTest::focused);
    }
}
