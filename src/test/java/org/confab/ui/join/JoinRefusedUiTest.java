package org.confab.ui.join;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.core.InviteLink;
import org.confab.core.Moderation;
import org.confab.net.HostConfig;
import org.confab.net.JoinOptions;
import org.confab.net.RoomConnection;
import org.confab.net.RoomHost;
import org.confab.net.TestMember;
import org.confab.store.DataDirs;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.room.RoomViewModel;
import org.confab.ui.shell.MainWindow;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Joining a port where nobody listens shows the "refused" sentence in the dialog, no crash; a
 * taken nickname gets a suggestion; a banned member is told so by the host, in the dialog.
 */
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

    @Test
    void aBannedMemberIsToldWhyInTheDialogAndItStaysUsable(FxRobot robot) throws Exception {
        // this test's member key (a ban holds by key as well as by nickname) lives in its own folder
        String dataDirBefore = System.getProperty(DataDirs.PROPERTY);
        System.setProperty(DataDirs.PROPERTY, home.resolve("data").toString());
        var config = HostConfig.defaults("Lab", 0).withBindAddress(InetAddress.getLoopbackAddress());
        try (var host = new RoomHost(config, null)) {
            int port = host.start().getPort();
            InviteLink link = new InviteLink("127.0.0.1", port, host.fingerprint());
            RoomConnection henry = TestMember.join(
                    port,
                    "henry",
                    JoinOptions.pinned(host.fingerprint()).withOwnerToken(host.ownerToken()),
                    Duration.ofSeconds(10),
                    HostConfig.DEFAULT_IDLE_TIMEOUT,
                    (e, cid) -> {});
            Fx.run(() -> window.openJoinDialog(link));
            Fx.await(
                    "join dialog",
                    10,
                    () -> robot.lookup("#nickField").tryQuery().isPresent());
            Fx.run(() -> robot.lookup("#nickField").queryAs(TextField.class).setText("mallory"));
            robot.clickOn("#joinButton");
            Fx.await(
                    "mallory in Lab",
                    20,
                    () -> window.room() != null
                            && window.room().stateProperty().get() == RoomViewModel.State.CONNECTED);

            String banned = "You are banned from this room by henry: trolling.";
            // the host (henry) bans her; she leaves the dead room and tries again from the dialog
            assertThat(henry.moderate(Moderation.Action.BAN, "mallory", "trolling", 0))
                    .isTrue();
            Fx.await(
                    "mallory is out",
                    20,
                    () -> window.room().stateProperty().get() == RoomViewModel.State.DISCONNECTED);
            assertThat(Fx.call(() -> window.room().disconnectTextProperty().get()))
                    .isEqualTo("You were banned from this room by the host (henry): trolling");
            // Reconnect in the banner: the host's refusal, and no retrying by itself
            Fx.run(() -> ((Button) window.stage().getScene().lookup("#reconnectButton")).fire());
            Fx.await(
                    "refused on reconnecting",
                    20,
                    () -> window.room().stateProperty().get() == RoomViewModel.State.DISCONNECTED
                            && window.room().disconnectTextProperty().get().equals(banned),
                    () -> window.room().stateProperty().get() + " "
                            + window.room().disconnectTextProperty().get());
            Fx.run(window::leaveRoom);
            Fx.run(() -> window.openJoinDialog(link));
            Fx.await(
                    "join dialog again",
                    10,
                    () -> robot.lookup("#nickField").tryQuery().isPresent());
            Fx.run(() -> robot.lookup("#nickField").queryAs(TextField.class).setText("mallory"));
            robot.clickOn("#joinButton");
            Fx.await(
                    "the host's refusal in the dialog",
                    20,
                    () -> robot.lookup("#errorLabel")
                            .queryAs(Label.class)
                            .getText()
                            .equals(banned),
                    () -> robot.lookup("#errorLabel").queryAs(Label.class).getText());
            assertThat(Fx.call(() ->
                            robot.lookup("#errorLabel").queryAs(Label.class).isVisible()))
                    .isTrue();
            assertThat(Fx.call(() -> window.room())).as("not joined").isNull();
            assertThat(Fx.call(() -> Window.getWindows().stream()
                            .filter(w -> w instanceof Stage && w.isShowing())
                            .count()))
                    .as("no error window besides the main window and the dialog")
                    .isEqualTo(2);

            // the dialog is usable: another nickname (the ban holds by key too), the same sentence
            assertThat(Fx.call(() ->
                            robot.lookup("#joinButton").queryAs(Button.class).isDisabled()))
                    .isFalse();
            robot.doubleClickOn("#nickField").write("marlowe");
            assertThat(Fx.call(() ->
                            robot.lookup("#nickField").queryAs(TextField.class).getText()))
                    .isEqualTo("marlowe");
            assertThat(Fx.call(() ->
                            robot.lookup("#errorLabel").queryAs(Label.class).getText()))
                    .as("a changed field clears the old error")
                    .isEmpty();
            robot.clickOn("#joinButton");
            Fx.await(
                    "refused again",
                    20,
                    () -> robot.lookup("#errorLabel")
                            .queryAs(Label.class)
                            .getText()
                            .equals(banned),
                    () -> robot.lookup("#errorLabel").queryAs(Label.class).getText());
            assertThat(Fx.call(() -> window.room())).isNull();
            assertThat(Fx.call(() ->
                            robot.lookup("#joinButton").queryAs(Button.class).isDisabled()))
                    .isFalse();
            robot.clickOn("#cancelButton");
            Fx.await(
                    "the dialog closes",
                    10,
                    () -> robot.lookup("#nickField").tryQuery().isEmpty());
            henry.close();
        } finally {
            if (dataDirBefore == null) {
                System.clearProperty(DataDirs.PROPERTY);
            } else {
                System.setProperty(DataDirs.PROPERTY, dataDirBefore);
            }
        }
    }
}
