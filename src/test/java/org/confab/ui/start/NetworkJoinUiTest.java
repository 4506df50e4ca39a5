package org.confab.ui.start;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.core.Fingerprint;
import org.confab.net.HostConfig;
import org.confab.net.HostSecurity;
import org.confab.net.RoomHost;
import org.confab.net.TestMember;
import org.confab.net.discovery.NetworkRoom;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
import org.confab.ui.common.SafetyCodes;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
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
 * Joining a room from "Rooms on your network" against a real host over loopback (the
 * announcement is a fake source's, nothing multicasts): one click joins at once, with the
 * nickname last used, and through every announced address; the announced key is not pinned, so a
 * first visit still asks to compare the safety code, and an announcement that claims the key
 * trusted before while the host shows another one still ends in the key-changed warning. A room
 * asking for a password opens the Join dialog at its password, a nickname taken with a suggestion.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class NetworkJoinUiTest {
    @TempDir
    Path home;

    private final FakeRoomSource source = new FakeRoomSource();
    private MainWindow window;
    private KnownRooms known;
    private RoomHost host;
    private final Settings settings = Settings.inMemory();

    @Start
    void start(Stage stage) throws Exception {
        settings.put("nick", "bob"); // the nickname used last time
        Theme theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        known = new KnownRooms(home.resolve("known-rooms"));
        window.setKnownRooms(known);
        window.setRoomSource(source);
        window.show();
        host = new RoomHost(
                HostConfig.defaults("Vault", 0).withBindAddress(InetAddress.getLoopbackAddress()),
                HostSecurity.ephemeral(),
                null);
        host.start();
    }

    @AfterEach
    void stop() {
        Fx.run(() -> {
            for (Window w : Window.getWindows().stream().toList()) {
                if (w != window.stage() && w instanceof Stage s) {
                    s.close();
                }
            }
            window.leaveRoom();
            window.stage().close();
        });
        host.close();
    }

    private Button row(String name) {
        return window.stage().getScene().getRoot().lookupAll(".network-row").stream()
                .filter(b -> b.lookupAll(".network-name").stream()
                        .anyMatch(l -> ((Label) l).getText().equals(name)))
                .map(n -> (Button) n)
                .findFirst()
                .orElse(null);
    }

    private static boolean showing(FxRobot robot, String id) {
        return Fx.call(() -> robot.lookup(id)
                .tryQuery()
                .map(Node::getScene)
                .map(s -> s.getWindow() != null && s.getWindow().isShowing())
                .orElse(false));
    }

    private static boolean joinDialogShown(FxRobot robot) {
        return showing(robot, "#hostField");
    }

    /** The room as announced, with {@code key} as its announced key, at the host's real address. */
    private void announce(Fingerprint key) {
        announce(host, key, "127.0.0.1", host.port());
    }

    /** {@code room} as announced, with {@code key}, at {@code ip} and {@code port} then at the room's real address. */
    private void announce(RoomHost room, Fingerprint key, String ip, int port) {
        Fx.await("browsing", 10, () -> source.openBrowses() == 1);
        NetworkRoom heard = FakeRoomSource.room("Vault", room.roomId(), key, false, 0, null, "127.0.0.1", room.port());
        try {
            heard = new NetworkRoom(
                    heard.ad(),
                    port == room.port()
                            ? heard.addresses()
                            : List.of(new InetSocketAddress(InetAddress.getByName(ip), port), heard.primary()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
        source.rooms(List.of(heard));
        Fx.await("listed", 10, () -> row("Vault") != null);
    }

    /** One click on the row: no Join dialog, no typing. */
    private void joinFromTheList(FxRobot robot) {
        robot.clickOn(Fx.call(() -> row("Vault")));
    }

    @Test
    void aFirstVisitStillComparesTheSafetyCode(FxRobot robot) {
        announce(host.fingerprint()); // the true key, announced: still not a proof
        assertThat(Fx.call(() -> ((Label) row("Vault").lookup(".key-badge")).getText()))
                .isEqualTo("New");
        joinFromTheList(robot);
        Fx.await("trust dialog", 20, () -> showing(robot, "#trustCode"));
        assertThat(SafetyCodes.digits(Fx.call(
                        () -> robot.lookup("#trustCode").queryAs(Label.class).getText())))
                .isEqualTo(SafetyCodes.digits(host.fingerprint().safetyCode()));
        assertThat(joinDialogShown(robot)).as("joined at once, no dialog").isFalse();
        robot.clickOn("#trustButton");
        Fx.await("in the room", 20, () -> window.room() != null);
        assertThat(Fx.call(() -> window.room().nickProperty().get()))
                .as("the nickname used last time")
                .isEqualTo("bob");
        assertThat(known.lookup("127.0.0.1", host.port())).contains(host.fingerprint());
        assertThat(joinDialogShown(robot)).isFalse();
    }

    @Test
    void enterOnARowJoinsThroughEveryAnnouncedAddress(FxRobot robot) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // announced first, refuses: the host's real address must be tried too
        }
        known.trust("127.0.0.1", host.port(), host.fingerprint());
        announce(host, host.fingerprint(), "127.0.0.1", closed);
        Button vault = Fx.call(() -> row("Vault"));
        Fx.run(vault::requestFocus);
        Fx.await("row focused", 10, vault::isFocused);
        robot.type(KeyCode.ENTER);
        Fx.await(
                "in the room",
                20,
                () -> window.room() != null,
                () -> joinDialogShown(robot) ? "the Join dialog opened" : "");
        assertThat(joinDialogShown(robot)).isFalse();
    }

    @Test
    void aTakenNicknameOpensTheDialogWithASuggestion(FxRobot robot) throws Exception {
        known.trust("127.0.0.1", host.port(), host.fingerprint());
        try (var other = TestMember.join(host.port(), "Bob", host.fingerprint(), (e, cid) -> {})) {
            announce(host.fingerprint());
            joinFromTheList(robot);
            Fx.await("the Join dialog", 20, () -> joinDialogShown(robot));
            Fx.await(
                    "the nickname's error",
                    10,
                    () -> Fx.call(() ->
                            robot.lookup("#nickError").queryAs(Label.class).isVisible()));
            assertThat(Fx.call(() ->
                            robot.lookup("#nickField").queryAs(TextField.class).getText()))
                    .isEqualTo("bob2");
            assertThat(Fx.call(() ->
                            robot.lookup("#hostField").queryAs(TextField.class).getText()))
                    .isEqualTo("127.0.0.1");
            Fx.run(() -> robot.lookup("#joinButton").queryAs(Button.class).fire());
            Fx.await("in the room as the suggestion", 20, () -> window.room() != null);
            assertThat(Fx.call(() -> window.room().nickProperty().get())).isEqualTo("bob2");
            Fx.run(window::leaveRoom);
        }
    }

    @Test
    void aPasswordRoomOpensTheDialogAtThePassword(FxRobot robot) throws Exception {
        try (RoomHost locked = new RoomHost(
                HostConfig.defaults("Vault", 0).withBindAddress(InetAddress.getLoopbackAddress()),
                HostSecurity.ephemeral().withPassword("sesame"),
                null)) {
            locked.start();
            known.trust("127.0.0.1", locked.port(), locked.fingerprint());
            announce(locked, locked.fingerprint(), "127.0.0.1", locked.port());
            joinFromTheList(robot);
            Fx.await(
                    "the Join dialog, asking for the password",
                    20,
                    () -> showing(robot, "#passwordField")
                            && Fx.call(
                                    () -> robot.lookup("#passwordBox").query().isVisible()));
            assertThat(Fx.call(() ->
                            robot.lookup("#hostField").queryAs(TextField.class).getText()))
                    .isEqualTo("127.0.0.1");
            assertThat(Fx.call(() ->
                            robot.lookup("#nickField").queryAs(TextField.class).getText()))
                    .isEqualTo("bob");
            Fx.run(() -> {
                robot.lookup("#passwordField").queryAs(PasswordField.class).setText("sesame");
                robot.lookup("#joinButton").queryAs(Button.class).fire();
            });
            Fx.await("in the room", 20, () -> window.room() != null);
            Fx.run(window::leaveRoom);
        }
    }

    @Test
    void anAnnouncementClaimingTheTrustedKeyDoesNotHideAChangedOne(FxRobot robot) throws Exception {
        var trusted = FakeRoomSource.key("the room bob knows");
        known.trust("127.0.0.1", host.port(), trusted);
        announce(trusted); // lies: the host shows another key
        assertThat(Fx.call(() -> ((Label) row("Vault").lookup(".key-badge")).getText()))
                .isEqualTo("Known");
        joinFromTheList(robot);
        Fx.await("key-changed warning", 20, () -> showing(robot, "#newCode"));
        assertThat(Fx.call(() -> robot.lookup("#newCode").queryAs(Label.class).getText()))
                .isEqualTo(host.fingerprint().safetyCode());
        robot.clickOn("#dontJoinButton");
        assertThat(window.room()).isNull();
        assertThat(known.lookup("127.0.0.1", host.port())).contains(trusted);
    }
}
