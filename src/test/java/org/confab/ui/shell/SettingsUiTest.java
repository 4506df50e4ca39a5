package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.RadioButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Settings opens with Ctrl+, and from the start screen's gear; each choice applies and is remembered at once. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class SettingsUiTest {
    private final Settings settings = Settings.inMemory();
    private MainWindow window;
    private Theme theme;

    @Start
    void start(Stage stage) {
        theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.show();
    }

    @AfterEach
    void close() {
        Fx.run(() -> {
            theme.setDark(false);
            window.stage().close();
        });
    }

    @Test
    void ctrlCommaOpensSettingsAndEachChoiceIsRemembered(FxRobot robot) {
        Fx.run(() -> {
            window.stage().toFront();
            window.stage().requestFocus();
        });
        Fx.await("main window focused", 10, () -> window.stage().isFocused());
        robot.clickOn("#versionLabel"); // a harmless spot: makes the X server agree about focus
        robot.press(KeyCode.CONTROL, KeyCode.COMMA).release(KeyCode.COMMA, KeyCode.CONTROL);
        Fx.await(
                "settings open",
                10,
                () -> robot.lookup("#settingsDialog").tryQuery().isPresent());

        CheckBox sound = robot.lookup("#notifySound").queryAs(CheckBox.class);
        assertThat(Fx.call(sound::isSelected)).as("the sound is off by default").isFalse();
        robot.clickOn(sound);
        Fx.await("sound on", 10, () -> settings.getBoolean(SettingsDialog.SOUND, false));

        robot.clickOn(robot.lookup("#notifyEnabled").queryAs(CheckBox.class));
        Fx.await("do not disturb", 10, () -> settings.getBoolean("notify.dnd", false));
        assertThat(Fx.call(sound::isDisabled))
                .as("no sound without notifications")
                .isTrue();

        robot.clickOn(robot.lookup("#close-quit").queryAs(RadioButton.class));
        assertThat(settings.get(MainWindow.CLOSE_WHILE_HOSTING, "ask")).isEqualTo("quit");

        robot.clickOn(robot.lookup("#themeDark").queryAs(RadioButton.class));
        Fx.await("dark", 10, () -> theme.isDark());

        robot.clickOn(robot.lookup("#settingsDone").queryAs(Button.class));
        Fx.await("closed", 10, () -> robot.lookup("#settingsDialog").tryQuery().isEmpty());

        // the gear on the start screen opens it again, showing what was chosen
        robot.clickOn(robot.lookup("#settingsButton").queryAs(Button.class));
        Fx.await(
                "settings open again",
                10,
                () -> robot.lookup("#settingsDialog").tryQuery().isPresent());
        assertThat(Fx.call(() ->
                        robot.lookup("#close-quit").queryAs(RadioButton.class).isSelected()))
                .isTrue();
        assertThat(Fx.call(() ->
                        robot.lookup("#notifySound").queryAs(CheckBox.class).isSelected()))
                .isTrue();
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        Fx.await(
                "Esc closes it",
                10,
                () -> robot.lookup("#settingsDialog").tryQuery().isEmpty());
    }
}
