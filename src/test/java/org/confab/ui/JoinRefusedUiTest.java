package org.confab.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Joining a port where nobody listens shows the "refused" sentence in the dialog, no crash. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class JoinRefusedUiTest {
    private MainWindow window;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        Theme theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.show();
    }

    @Test
    void refusedIsExplainedInline(FxRobot robot) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        robot.clickOn("#joinCard");
        Fx.await("join dialog", 10, () -> robot.lookup("#hostField").tryQuery().isPresent());
        robot.clickOn("#hostField").write("127.0.0.1:" + port);
        robot.clickOn("#nickField").write("carol");
        assertThat(Fx.call(() -> robot.lookup("#portField").queryAs(TextField.class).getText()))
                .as("host:port pasted in the host field is split on leaving it").isEqualTo(Integer.toString(port));
        robot.clickOn("#joinButton");
        Fx.await("error shown", 20, () -> !robot.lookup("#errorLabel").queryAs(Label.class).getText().isEmpty());
        String error = Fx.call(() -> robot.lookup("#errorLabel").queryAs(Label.class).getText());
        assertThat(error).contains("refused").contains("127.0.0.1:" + port);
        assertThat(Fx.call(() -> robot.lookup("#errorLabel").queryAs(Label.class).isVisible())).isTrue();
        assertThat(window.room()).isNull();
        assertThat(Fx.call(() -> robot.lookup("#joinButton").queryAs(javafx.scene.control.Button.class).isDisabled()))
                .as("the dialog is usable again").isFalse();
        Fx.run(() -> robot.lookup("#hostField").queryAs(TextField.class).getScene().getWindow().hide());
    }
}
