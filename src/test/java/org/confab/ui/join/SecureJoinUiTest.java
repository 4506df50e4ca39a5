package org.confab.ui.join;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.HostSecurity;
import org.confab.net.RoomHost;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
import org.confab.ui.common.SafetyCodes;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.room.RoomViewModel;
import org.confab.ui.shell.MainWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Joining encrypted rooms as a person does: an invite link with the key joins without a
 * question; without it the safety code is shown once (the host shows the same), trusted, then
 * remembered; a changed key is a hard warning; a password room asks for the password.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class SecureJoinUiTest {
    @TempDir
    Path home;

    private MainWindow window;
    private MainWindow alice;
    private KnownRooms known;
    private Theme theme;
    private RoomHost host;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.show();
    }

    private void useKnownRooms() {
        known = new KnownRooms(home.resolve("known-rooms"));
        window.setKnownRooms(known);
    }

    @AfterEach
    void stop() {
        Fx.run(() -> {
            for (Window w : Window.getWindows().stream().toList()) {
                if (w != window.stage() && w instanceof Stage s && (alice == null || s != alice.stage())) {
                    s.close();
                }
            }
            window.leaveRoom();
            if (alice != null) {
                alice.leaveRoom();
                alice.stage().close();
            }
        });
        if (host != null) {
            host.close();
        }
    }

    private RoomHost startHost(HostSecurity security, int port) throws Exception {
        var h = new RoomHost(
                HostConfig.defaults("Vault", port).withBindAddress(InetAddress.getLoopbackAddress()), security, null);
        h.start();
        return h;
    }

    private void join(FxRobot robot, InviteLink link, String nick) {
        Fx.run(() -> window.openJoinDialog(link));
        Fx.await("join dialog", 10, () -> robot.lookup("#nickField").tryQuery().isPresent());
        Fx.run(() -> robot.lookup("#nickField").queryAs(TextField.class).setText(nick));
        Fx.run(() -> robot.lookup("#joinButton").queryAs(Button.class).fire());
    }

    private static <T extends Node> T find(FxRobot robot, String id, Class<T> type) {
        return Fx.call(() -> robot.lookup(id).tryQueryAs(type).orElse(null));
    }

    private static boolean showing(FxRobot robot, String id) {
        return Fx.call(() -> robot.lookup(id)
                .tryQuery()
                .map(n -> n.getScene() != null
                        && n.getScene().getWindow() != null
                        && n.getScene().getWindow().isShowing())
                .orElse(false));
    }

    private String chip() {
        return chip(window);
    }

    /** What the room header says about encryption, as one line. */
    static String chip(MainWindow w) {
        return Fx.call(() -> {
            var scene = w.stage().getScene();
            String code = ((Label) scene.lookup("#securityCode")).getText();
            String label = ((Label) scene.lookup("#securityLabel")).getText();
            return code.isEmpty() ? label : label + " " + code;
        });
    }

    @Test
    void anInviteLinkWithTheKeyJoinsWithoutAQuestion(FxRobot robot) throws Exception {
        useKnownRooms();
        host = startHost(HostSecurity.ephemeral(), 0);
        join(robot, new InviteLink("127.0.0.1", host.port(), host.fingerprint()), "ann");
        Fx.await("in the room", 20, () -> window.room() != null);
        assertThat(showing(robot, "#trustCode")).isFalse();
        assertThat(chip()).isEqualTo("Encrypted " + host.fingerprint().safetyCode());
        assertThat(window.room().address().fingerprint()).isEqualTo(host.fingerprint());
        assertThat(known.lookup("127.0.0.1", host.port())).contains(host.fingerprint());
    }

    @Test
    void firstVisitShowsTheHostsSafetyCodeThenRemembersIt(FxRobot robot) throws Exception {
        useKnownRooms();
        // alice hosts from her own window
        Fx.run(() -> {
            alice = new MainWindow(new Stage(), Settings.inMemory(), theme);
            alice.setBindAddress(InetAddress.getLoopbackAddress());
            alice.show();
            alice.openHostDialog();
        });
        Fx.await("host dialog", 10, () -> robot.lookup("#roomField").tryQuery().isPresent());
        Fx.run(() -> {
            robot.lookup("#roomField").queryAs(TextField.class).setText("Design");
            robot.lookup("#nickField").queryAs(TextField.class).setText("alice");
            robot.lookup("#portField").queryAs(TextField.class).setText("0");
            robot.lookup("#startButton").queryAs(Button.class).fire();
        });
        Fx.await(
                "room running",
                20,
                () -> "Enter room"
                        .equals(robot.lookup("#startButton")
                                .queryAs(Button.class)
                                .getText()));
        String dialogCode =
                Fx.call(() -> robot.lookup("#safetyCode").queryAs(Label.class).getText());
        Fx.run(() -> robot.lookup("#startButton").queryAs(Button.class).fire());
        Fx.await("alice in her room", 10, () -> alice.room() != null);
        int port = alice.hostedPort();
        Fingerprint key = Fx.call(() -> alice.room().fingerprintProperty().get());
        String alicesChip = chip(alice);
        assertThat(alicesChip).isEqualTo("Encrypted " + key.safetyCode());
        assertThat(dialogCode).isEqualTo(key.safetyCode());

        // first visit, without the key: the question, with Cancel as the default answer
        join(robot, new InviteLink("127.0.0.1", port), "bob");
        Fx.await("trust dialog", 20, () -> showing(robot, "#trustCode"));
        String shown = find(robot, "#trustCode", Label.class).getText();
        assertThat(SafetyCodes.digits(shown)).isEqualTo(SafetyCodes.digits(alicesChip.replace("Encrypted ", "")));
        assertThat(Fx.call(() -> find(robot, "#trustCancel", Button.class).isDefaultButton()))
                .isTrue();
        assertThat(Fx.call(() -> find(robot, "#trustButton", Button.class).isDefaultButton()))
                .isFalse();
        String header = Fx.call(() ->
                ((DialogPane) find(robot, "#trustCode", Label.class).getScene().getRoot()).getHeaderText());
        assertThat(header).isEqualTo("First time joining 127.0.0.1:" + port);
        Fx.run(() -> find(robot, "#trustCancel", Button.class).fire());
        Fx.await(
                "not trusted, said inline",
                10,
                () -> robot.lookup("#errorLabel").queryAs(Label.class).getText().contains("did not trust"));
        assertThat(window.room()).isNull();
        assertThat(known.lookup("127.0.0.1", port)).isEmpty();

        // again, and trust it
        Fx.run(() -> robot.lookup("#joinButton").queryAs(Button.class).fire());
        Fx.await("trust dialog again", 20, () -> showing(robot, "#trustCode"));
        robot.clickOn("#trustButton");
        Fx.await("bob in the room", 20, () -> window.room() != null);
        assertThat(known.lookup("127.0.0.1", port)).contains(key);
        assertThat(chip()).isEqualTo(alicesChip);
        Fx.await("alice sees bob", 10, () -> alice.room().members().contains("bob"));

        // the second visit asks nothing
        Fx.run(window::leaveRoom);
        join(robot, new InviteLink("127.0.0.1", port), "bob");
        Fx.await("bob back in the room", 20, () -> window.room() != null);
        assertThat(showing(robot, "#trustCode")).isFalse();
    }

    @Test
    void aChangedKeyIsAHardWarning(FxRobot robot) throws Exception {
        useKnownRooms();
        host = startHost(HostSecurity.ephemeral(), 0);
        int port = host.port();
        Fingerprint before = host.fingerprint();
        join(robot, new InviteLink("127.0.0.1", port, before), "carol");
        Fx.await("in the room", 20, () -> window.room() != null);
        Fx.run(window::leaveRoom);
        host.close();

        // the same address now shows another key (an impostor, or a reinstalled host)
        host = startHost(HostSecurity.ephemeral(), port);
        Fingerprint now = host.fingerprint();
        join(robot, new InviteLink("127.0.0.1", port), "carol");
        Fx.await("warning", 20, () -> showing(robot, "#newCode"));
        assertThat(find(robot, "#oldCode", Label.class).getText()).isEqualTo(before.safetyCode());
        assertThat(find(robot, "#newCode", Label.class).getText()).isEqualTo(now.safetyCode());
        assertThat(Fx.call(() -> find(robot, "#dontJoinButton", Button.class).isDefaultButton()))
                .isTrue();
        assertThat(Fx.call(() -> find(robot, "#trustNewButton", Button.class).isDisabled()))
                .as("trusting the new key needs the box ticked")
                .isTrue();
        assertThat(Fx.call(() -> find(robot, "#newCode", Label.class)
                        .getScene()
                        .getRoot()
                        .getStyleClass()))
                .contains("key-changed");
        robot.clickOn("#dontJoinButton");
        Fx.await(
                "said inline",
                10,
                () -> robot.lookup("#errorLabel").queryAs(Label.class).getText().contains("key has changed"));
        assertThat(window.room()).isNull();
        assertThat(host.members()).isEmpty();
        assertThat(known.lookup("127.0.0.1", port)).contains(before);

        // deliberately: tick the box, trust the new key
        Fx.run(() -> robot.lookup("#joinButton").queryAs(Button.class).fire());
        Fx.await("warning again", 20, () -> showing(robot, "#newCode"));
        robot.clickOn("#keyCheckedBox");
        Fx.await(
                "box ticked",
                5,
                () -> find(robot, "#keyCheckedBox", CheckBox.class).isSelected());
        robot.clickOn("#trustNewButton");
        Fx.await("in the room", 20, () -> window.room() != null);
        assertThat(known.lookup("127.0.0.1", port)).contains(now);
    }

    @Test
    void aPasswordRoomAsksForThePasswordAndReconnectsWithoutAsking(FxRobot robot) throws Exception {
        useKnownRooms();
        HostSecurity security = HostSecurity.ephemeral().withPassword("hunter2");
        host = startHost(security, 0);
        int port = host.port();
        join(robot, new InviteLink("127.0.0.1", port, host.fingerprint()), "dan");
        Fx.await(
                "password field",
                20,
                () -> showing(robot, "#passwordField")
                        && robot.lookup("#passwordField")
                                .queryAs(PasswordField.class)
                                .isVisible());
        PasswordField pw = find(robot, "#passwordField", PasswordField.class);
        Fx.await("password field focused", 10, pw::isFocused);
        assertThat(Fx.call(
                        () -> robot.lookup("#passwordHint").queryAs(Label.class).getText()))
                .contains("needs a password");

        Fx.run(() -> pw.setText("hunter3"));
        Fx.run(() -> robot.lookup("#joinButton").queryAs(Button.class).fire());
        Fx.await(
                "wrong password said",
                20,
                () -> robot.lookup("#passwordError")
                        .queryAs(Label.class)
                        .getText()
                        .contains("Wrong password"));
        assertThat(window.room()).isNull();

        Fx.run(() -> pw.setText("hunter2"));
        Fx.run(() -> robot.lookup("#joinButton").queryAs(Button.class).fire());
        Fx.await("in the room", 20, () -> window.room() != null);
        assertThat(Fx.call(
                        () -> window.stage().getScene().lookup("#passwordBadge").isVisible()))
                .isTrue();

        // the room restarts (same key, same password): Reconnect asks nothing
        host.close();
        Fx.await("disconnected", 20, () -> window.room().stateProperty().get() == RoomViewModel.State.DISCONNECTED);
        host = startHost(security, port);
        Fx.run(() -> ((Button) window.stage().getScene().lookup("#reconnectButton")).fire());
        Fx.await("reconnected", 20, () -> window.room().stateProperty().get() == RoomViewModel.State.CONNECTED);
        assertThat(host.members()).containsExactly("dan");
    }

    @Test
    void aPlainRoomIsMarkedNotEncrypted(FxRobot robot) throws Exception {
        useKnownRooms();
        window.setInsecure(true); // as -Dconfab.insecure=true does
        host = startHost(HostSecurity.insecure(), 0);
        join(robot, new InviteLink("127.0.0.1", host.port()), "fay");
        Fx.await("in the room", 20, () -> window.room() != null);
        assertThat(chip()).isEqualTo("Not encrypted");
        assertThat(Fx.call(
                        () -> window.stage().getScene().lookup("#securityChip").getStyleClass()))
                .contains("insecure");
        assertThat(Fx.call(
                        () -> window.stage().getScene().lookup("#securityChip").isVisible()))
                .isTrue();
    }

    @Test
    void theHostsOwnJoinUsesTheRoomPassword(FxRobot robot) {
        Fx.run(window::openHostDialog);
        Fx.await("host dialog", 10, () -> robot.lookup("#roomField").tryQuery().isPresent());
        Fx.run(() -> {
            robot.lookup("#roomField").queryAs(TextField.class).setText("Locked");
            robot.lookup("#nickField").queryAs(TextField.class).setText("erin");
            robot.lookup("#portField").queryAs(TextField.class).setText("0");
            robot.lookup("#passwordField").queryAs(PasswordField.class).setText("s3cret");
            robot.lookup("#startButton").queryAs(Button.class).fire();
        });
        Fx.await(
                "room running",
                20,
                () -> "Enter room"
                        .equals(robot.lookup("#startButton")
                                .queryAs(Button.class)
                                .getText()));
        assertThat(Fx.call(() ->
                        robot.lookup("#passwordBadge").queryAs(Label.class).isVisible()))
                .isTrue();
        Fx.run(() -> robot.lookup("#startButton").queryAs(Button.class).fire());
        Fx.await("in the room", 10, () -> window.room() != null);
        assertThat(window.room().passwordProtectedProperty().get()).isTrue();
        assertThat(Fx.call(
                        () -> window.stage().getScene().lookup("#passwordBadge").isVisible()))
                .isTrue();
        assertThat(chip()).startsWith("Encrypted ");
    }
}
