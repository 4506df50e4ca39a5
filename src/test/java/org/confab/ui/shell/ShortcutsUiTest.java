package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Ctrl+N / Ctrl+J open the dialogs, Esc closes them, Ctrl+Shift+L switches the theme (remembered). */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class ShortcutsUiTest {
    private MainWindow window;
    private Settings settings;
    private Theme theme;

    @Start
    void start(Stage stage) {
        settings = Settings.inMemory();
        theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.show();
    }

    private static boolean dialogOpen(String title) {
        return Window.getWindows().stream()
                .anyMatch(w -> w instanceof Stage s && title.equals(s.getTitle()) && s.isShowing());
    }

    @Test
    void keyboard(FxRobot robot) {
        Fx.run(() -> {
            window.stage().toFront();
            window.stage().requestFocus();
        });
        Fx.await("main window focused", 10, () -> window.stage().isFocused());
        robot.clickOn("#versionLabel"); // a harmless spot: makes the X server agree about focus
        robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
        Fx.await("host dialog", 10, () -> dialogOpen("Host a room"));
        Fx.await(
                "dialog focused",
                10,
                () -> robot.lookup("#roomField")
                        .queryAs(Node.class)
                        .getScene()
                        .getWindow()
                        .isFocused());
        robot.type(KeyCode.ESCAPE);
        Fx.await("host dialog closed by Esc", 10, () -> !dialogOpen("Host a room"));

        Fx.await("main window focused again", 10, () -> window.stage().isFocused());
        robot.clickOn("#versionLabel");
        robot.press(KeyCode.CONTROL, KeyCode.J).release(KeyCode.J, KeyCode.CONTROL);
        Fx.await("join dialog", 10, () -> dialogOpen("Join a room"));
        Fx.await(
                "dialog focused",
                10,
                () -> robot.lookup("#hostField")
                        .queryAs(Node.class)
                        .getScene()
                        .getWindow()
                        .isFocused());
        robot.type(KeyCode.ESCAPE);
        Fx.await("join dialog closed by Esc", 10, () -> !dialogOpen("Join a room"));

        Fx.await("main window focused again", 10, () -> window.stage().isFocused());
        robot.clickOn("#versionLabel");
        boolean wasDark = theme.isDark();
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.L).release(KeyCode.L, KeyCode.SHIFT, KeyCode.CONTROL);
        Fx.await("theme switched", 10, () -> theme.isDark() != wasDark);
        assertThat(settings.getBoolean("theme.dark", wasDark)).isEqualTo(!wasDark);
        assertThat(Fx.call(() -> window.stage().getScene().getRoot().getStyleClass()))
                .contains(wasDark ? "theme-light" : "theme-dark");
        assertThat(new Theme(settings).isDark()).as("remembered").isEqualTo(!wasDark);
        Fx.run(() -> theme.setDark(false));
    }
}
