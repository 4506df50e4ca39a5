package org.confab.ui.join;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.RoomHost;
import org.confab.net.TestMember;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.shell.MainWindow;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Joining a port where nobody listens shows the "refused" sentence in the dialog, no crash. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class JoinRefusedUiTest {
    private MainWindow window;

    @TempDir
    Path home;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        Theme theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.setKnownRooms(new KnownRooms(home.resolve("known-rooms")));
        window.show();
    }

    @Test
    void refusedIsExplainedInline(FxRobot robot) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Fx.settled("join card", () -> robot.lookup("#joinCard").tryQuery().orElse(null));
        robot.clickOn("#joinCard");
        Fx.await("join dialog", 10, () -> robot.lookup("#hostField").tryQuery().isPresent());
        robot.clickOn("#hostField").write("127.0.0.1:" + port);
        Fx.run(() -> robot.lookup("#nickField").queryAs(TextField.class).clear()); // the default nickname
        robot.clickOn("#nickField").write("carol");
        assertThat(Fx.call(() ->
                        robot.lookup("#portField").queryAs(TextField.class).getText()))
                .as("host:port pasted in the host field is split on leaving it")
                .isEqualTo(Integer.toString(port));
        robot.clickOn("#joinButton");
        Fx.await(
                "error shown",
                20,
                () -> !robot.lookup("#errorLabel")
                        .queryAs(Label.class)
                        .getText()
                        .isEmpty());
        String error =
                Fx.call(() -> robot.lookup("#errorLabel").queryAs(Label.class).getText());
        assertThat(error).contains("refused").contains("127.0.0.1:" + port);
        assertThat(Fx.call(
                        () -> robot.lookup("#errorLabel").queryAs(Label.class).isVisible()))
                .isTrue();
        assertThat(window.room()).isNull();
        assertThat(Fx.call(
                        () -> robot.lookup("#joinButton").queryAs(Button.class).isDisabled()))
                .as("the dialog is usable again")
                .isFalse();
        Fx.run(() -> robot.lookup("#hostField")
                .queryAs(TextField.class)
                .getScene()
                .getWindow()
                .hide());
    }

    @Test
    void takenNicknameGetsASuggestionAndTheRetryJoins(FxRobot robot) throws Exception {
        var config = HostConfig.defaults("Lab", 0).withBindAddress(InetAddress.getLoopbackAddress());
        try (var host = new RoomHost(config, null)) {
            int port = host.start().getPort();
            var frank = TestMember.join(port, "frank", host.fingerprint(), (e, cid) -> {});
            Fx.run(() -> window.openJoinDialog(new InviteLink("127.0.0.1", port, host.fingerprint())));
            Fx.await(
                    "join dialog",
                    10,
                    () -> robot.lookup("#nickField").tryQuery().isPresent());
            Fx.run(() -> robot.lookup("#nickField").queryAs(TextField.class).setText("Frank"));
            robot.clickOn("#joinButton");
            Fx.await(
                    "nick error",
                    20,
                    () -> robot.lookup("#nickError").queryAs(Label.class).isVisible());
            TextField nick = robot.lookup("#nickField").queryAs(TextField.class);
            assertThat(Fx.call(() -> nick.getText())).isEqualTo("Frank2");
            assertThat(Fx.call(() ->
                            robot.lookup("#nickError").queryAs(Label.class).getText()))
                    .contains("taken");
            Fx.await("nick field focused", 10, nick::isFocused);
            robot.clickOn("#joinButton");
            Fx.await("joined as the suggestion", 20, () -> window.room() != null);
            assertThat(window.room().nickProperty().get()).isEqualTo("Frank2");
            Fx.run(window::leaveRoom);
            frank.close();
        }
    }
}
