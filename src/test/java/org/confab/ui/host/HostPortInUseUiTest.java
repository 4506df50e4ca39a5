package org.confab.ui.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.shell.MainWindow;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Hosting on a port that is taken: the host's sentence appears under the port field, no crash. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class HostPortInUseUiTest {
    private MainWindow window;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        Theme theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.setBindAddress(InetAddress.getLoopbackAddress());
        window.show();
    }

    @Test
    void portInUseIsShownInline(FxRobot robot) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Fx.run(window::openHostDialog);
            Fx.await(
                    "host dialog",
                    10,
                    () -> robot.lookup("#roomField").tryQuery().isPresent());
            Fx.run(() -> {
                robot.lookup("#roomField").queryAs(TextField.class).setText("Busy");
                robot.lookup("#nickField").queryAs(TextField.class).setText("erin");
                robot.lookup("#portField").queryAs(TextField.class).setText(Integer.toString(taken.getLocalPort()));
            });
            robot.clickOn("#startButton");
            Fx.await(
                    "failure shown",
                    20,
                    () -> robot.lookup("#portError").queryAs(Label.class).isVisible());
            assertThat(Fx.call(() ->
                            robot.lookup("#portError").queryAs(Label.class).getText()))
                    .contains("already in use");
            assertThat(Fx.call(() ->
                            robot.lookup("#startButton").queryAs(Button.class).getText()))
                    .isEqualTo("Try again");
            assertThat(Fx.call(() -> ((Label) window.stage().getScene().lookup("#statusText")).getText()))
                    .startsWith("Hosting failed");
            assertThat(window.room()).isNull();

            // fix the port and try again: the same dialog starts the room
            Fx.run(() -> robot.lookup("#portField").queryAs(TextField.class).setText("0"));
            assertThat(Fx.call(() ->
                            robot.lookup("#portError").queryAs(Label.class).isVisible()))
                    .isFalse();
            robot.clickOn("#startButton");
            Fx.await(
                    "room running",
                    20,
                    () -> "Enter room"
                            .equals(robot.lookup("#startButton")
                                    .queryAs(Button.class)
                                    .getText()));
            robot.clickOn("#startButton");
            Fx.await("in the room", 10, () -> window.room() != null);
            assertThat(window.hostedPort()).isPositive().isNotEqualTo(taken.getLocalPort());
            Fx.run(window::leaveRoom);
        }
    }
}
