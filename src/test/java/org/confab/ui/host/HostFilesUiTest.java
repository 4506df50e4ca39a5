package org.confab.ui.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.confab.net.HostConfig;
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

/**
 * The Host dialog's file switch and limits do what {@code confab host --no-files / --max-file-size
 * / --file-quota} do: the room runs with them, a size that is no size is refused inline, and the
 * choices are remembered for the next room (and a room hosted again on start).
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class HostFilesUiTest {
    private final Settings settings = Settings.inMemory();
    private MainWindow window;

    @Start
    void start(Stage stage) {
        Theme theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.setBindAddress(InetAddress.getLoopbackAddress());
        window.show();
    }

    @AfterEach
    void close() {
        Fx.run(() -> {
            window.leaveRoom();
            window.stage().close();
        });
    }

    @Test
    void filesSwitchAndLimitsReachTheRoomAndAreRemembered(FxRobot robot) {
        open(robot);
        CheckBox files = robot.lookup("#filesCheck").queryAs(CheckBox.class);
        TextField max = robot.lookup("#maxFileSizeField").queryAs(TextField.class);
        TextField quota = robot.lookup("#fileQuotaField").queryAs(TextField.class);
        assertThat(Fx.call(files::isSelected)).as("on by default").isTrue();
        String maxShown = Fx.call(max::getText);
        String quotaShown = Fx.call(quota::getText);
        assertThat(maxShown).isEqualTo("4 GiB");
        assertThat(quotaShown).isEqualTo("20 GiB");

        // a size that is no size: said under the field, the room does not start
        fill(robot, "Files room");
        robot.clickOn(max).eraseText(Fx.call(() -> max.getText().length())).write("lots");
        Fx.run(() -> robot.lookup("#startButton").queryAs(Button.class).fire());
        Label error = robot.lookup("#maxFileSizeError").queryAs(Label.class);
        assertThat(Fx.call(error::getText)).contains("\"lots\" is not a size");
        assertThat(Fx.call(error::isVisible)).isTrue();
        assertThat(Fx.call(() -> window.hostService().getValue())).isNull();

        Fx.run(() -> {
            max.setText("10M");
            quota.setText("1 GiB");
        });
        assertThat(Fx.call(error::isVisible)).isFalse();
        start(robot);
        HostConfig running =
                Fx.call(() -> window.hostService().getValue().host().config());
        assertThat(running.maxFileSize()).isEqualTo(10L << 20);
        assertThat(running.fileQuota()).isEqualTo(1L << 30);
        enter(robot);
        Fx.run(window::leaveRoom);

        // remembered; turned off: the limits are greyed out and the room takes no files
        open(robot);
        assertThat(Fx.call(() -> robot.lookup("#maxFileSizeField")
                        .queryAs(TextField.class)
                        .getText()))
                .isEqualTo("10M");
        CheckBox again = robot.lookup("#filesCheck").queryAs(CheckBox.class);
        robot.clickOn(again);
        assertThat(Fx.call(again::isSelected)).isFalse();
        Node limits = robot.lookup("#fileLimits").query();
        assertThat(Fx.call(limits::isDisabled)).isTrue();
        fill(robot, "No files room");
        start(robot);
        assertThat(Fx.call(() -> window.hostService().getValue().host().config().maxFileSize()))
                .as("--no-files")
                .isZero();
        assertThat(HostViewModel.FileLimits.remembered(settings))
                .as("what a room hosted again on start gets")
                .isEqualTo(new HostViewModel.FileLimits(0, 1L << 30));
        enter(robot);
    }

    private void open(FxRobot robot) {
        Fx.run(window::openHostDialog);
        Fx.await("host dialog", 10, () -> robot.lookup("#filesCheck").tryQuery().isPresent());
    }

    private static void fill(FxRobot robot, String room) {
        Fx.run(() -> {
            robot.lookup("#roomField").queryAs(TextField.class).setText(room);
            robot.lookup("#nickField").queryAs(TextField.class).setText("erin");
            robot.lookup("#portField").queryAs(TextField.class).setText("0");
        });
    }

    private void start(FxRobot robot) {
        Fx.run(() -> robot.lookup("#startButton").queryAs(Button.class).fire());
        Fx.await(
                "room running",
                20,
                () -> "Enter room"
                        .equals(robot.lookup("#startButton")
                                .queryAs(Button.class)
                                .getText()));
    }

    private void enter(FxRobot robot) {
        Fx.run(() -> robot.lookup("#startButton").queryAs(Button.class).fire());
        Fx.await("in the room", 10, () -> window.room() != null);
    }
}
