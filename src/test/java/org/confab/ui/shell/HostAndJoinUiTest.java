package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.confab.core.InviteLink;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
import org.confab.ui.common.NetworkAddresses;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.room.ChatItem;
import org.confab.ui.room.RoomViewModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Hosts a room from the start screen (port 0), joins it from a second window in the same JVM by
 * pasting the host's invite link (which carries the room key: no trust question), and checks that
 * a message typed on each side shows up in both lists.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class HostAndJoinUiTest {
    private MainWindow alice;
    private MainWindow bob;
    private Theme theme;

    @TempDir
    Path home;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        theme = new Theme(settings);
        theme.install();
        alice = new MainWindow(stage, settings, theme);
        alice.setBindAddress(InetAddress.getLoopbackAddress());
        alice.show();
    }

    @AfterEach
    void closeWindows() {
        Fx.run(() -> {
            if (bob != null) {
                bob.stage().close();
            }
            alice.leaveRoom();
        });
    }

    @Test
    void hostJoinAndChat(FxRobot robot) {
        // host from the start screen
        Fx.settled("host card", () -> robot.lookup("#hostCard").tryQuery().orElse(null));
        robot.clickOn("#hostCard");
        Fx.await("host dialog", 10, () -> robot.lookup("#roomField").tryQuery().isPresent());
        robot.clickOn("#roomField").write("Test room");
        Fx.run(() -> robot.lookup("#nickField").queryAs(TextField.class).clear()); // the default nickname
        robot.clickOn("#nickField").write("alice");
        Fx.run(() -> robot.lookup("#portField").queryAs(TextField.class).setText("0"));
        robot.clickOn("#startButton");
        Fx.await(
                "room running",
                20,
                () -> "Enter room"
                        .equals(robot.lookup("#startButton")
                                .queryAs(Button.class)
                                .getText()));
        assertThat(robot.lookup("#copy-0").tryQuery())
                .as("an address with a copy button")
                .isPresent();
        // the link shown (and copied) names every address of this computer, the first row's first
        InviteLink shown = InviteLink.parse(Fx.call(
                () -> robot.lookup("#inviteField").queryAs(TextField.class).getText()));
        assertThat(shown.fingerprint()).isNotNull();
        assertThat(shown.candidates())
                .containsExactlyElementsOf(NetworkAddresses.forPort(shown.port()).stream()
                        .map(e -> e.link().candidates().getFirst())
                        .limit(InviteLink.MAX_CANDIDATES)
                        .toList());
        robot.clickOn("#startButton");
        Fx.await("alice in her room", 10, () -> alice.room() != null);
        int port = alice.hostedPort();
        assertThat(port).isPositive();
        assertThat(alice.stage().getTitle()).isEqualTo("Test room — Confab");

        // a second window joins
        Fx.run(() -> {
            bob = new MainWindow(new Stage(), Settings.inMemory(), theme);
            bob.setKnownRooms(new KnownRooms(home.resolve("known-rooms")));
            bob.show();
            bob.stage().setX(alice.stage().getX() + 60);
            bob.openJoinDialog(null);
        });
        InviteLink invite = Fx.call(() -> alice.room().address());
        assertThat(invite.fingerprint())
                .as("the host's invite link carries the room key")
                .isNotNull();
        assertThat(invite.format()).startsWith("confab://127.0.0.1:" + port + "/?fp=");
        Fx.await("join dialog", 10, () -> robot.lookup("#hostField").tryQuery().isPresent());
        // a multi-address link whose first address is dead: the Join dialog keeps and tries them all
        int closed;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String multi = InviteLink.of(
                        List.of(
                                new InviteLink.Candidate("127.0.0.1", closed),
                                new InviteLink.Candidate("127.0.0.1", port)),
                        invite.fingerprint())
                .format();
        Fx.run(() -> robot.lookup("#hostField").queryAs(TextField.class).setText(multi));
        Fx.run(() -> robot.lookup("#nickField").queryAs(TextField.class).clear()); // the default nickname
        robot.clickOn("#nickField").write("bob");
        assertThat(Fx.call(() ->
                        robot.lookup("#hostField").queryAs(TextField.class).getText()))
                .as("the pasted link is split into host and port")
                .isEqualTo("127.0.0.1");
        robot.clickOn("#joinButton");
        Fx.await("bob in the room", 20, () -> bob.room() != null);
        Fx.await("alice sees bob", 10, () -> alice.room().members().contains("bob"));

        // each side types and sends with Enter
        typeInto(robot, alice, "hello from alice");
        typeInto(robot, bob, "hi alice, bob here");

        for (MainWindow w : new MainWindow[] {alice, bob}) {
            Fx.await(
                    "both messages in " + w.room().nickProperty().get() + "'s list",
                    20,
                    () -> texts(w).containsAll(List.of("hello from alice", "hi alice, bob here")));
        }
        assertThat(Fx.call(() -> ((TextArea) in(alice, "#input")).getText())).isEmpty();
        @SuppressWarnings("unchecked")
        ListView<ChatItem> list = (ListView<ChatItem>) in(bob, "#messageList");
        assertThat(Fx.call(() -> list.getItems().stream()
                        .filter(i -> i instanceof ChatItem.Message m && m.own())
                        .map(i -> ((ChatItem.Message) i).text())
                        .toList()))
                .containsExactly("hi alice, bob here");
        assertThat(Fx.call(() -> alice.room().messages().stream()
                        .filter(i -> i instanceof ChatItem.Message m && !m.own())
                        .map(i -> ((ChatItem.Message) i).sender())
                        .toList()))
                .containsExactly("bob");

        // the host stops hosting (confirming first): she is back at the start, bob is told
        Fx.run(() -> {
            alice.stage().toFront();
            alice.stage().requestFocus();
        });
        robot.clickOn(in(alice, "#leaveButton"));
        Fx.await(
                "confirmation",
                10,
                () -> robot.lookup(".dialog-pane .button").queryAll().size() >= 2);
        Button stop = robot.lookup(".dialog-pane .button").<Button>queryAll().stream()
                .filter(b -> "Stop hosting".equals(b.getText()))
                .findFirst()
                .orElseThrow();
        robot.clickOn(stop);
        Fx.await("alice back at the start", 10, () -> alice.room() == null && in(alice, "#hostCard") != null);
        assertThat(Fx.call(() -> alice.stage().getTitle())).isEqualTo("Confab");
        Fx.await(
                "bob told the room closed",
                20,
                () -> bob.room().stateProperty().get() == RoomViewModel.State.DISCONNECTED);
        assertThat(Fx.call(() -> ((Label) in(bob, "#bannerText")).getText())).contains("closed the room");
        assertThat(Fx.call(() -> bob.stage().getTitle())).isEqualTo("Test room (disconnected) — Confab");

        // Ctrl+L leaves, even with the focus in the (disabled) composer's window
        Fx.run(() -> {
            bob.stage().toFront();
            bob.stage().requestFocus();
        });
        Fx.await("bob's window focused", 10, () -> bob.stage().isFocused());
        robot.clickOn(in(bob, "#headerTitle")); // a harmless spot: makes the X server agree about focus
        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL);
        Fx.await("bob back at the start", 10, () -> bob.room() == null);
    }

    /** Brings the window to the front, focuses its composer, types and presses Enter. */
    private static void typeInto(FxRobot robot, MainWindow w, String text) {
        TextArea input = (TextArea) in(w, "#input");
        Fx.run(() -> {
            w.stage().toFront();
            w.stage().requestFocus();
        });
        robot.clickOn(input);
        Fx.await("composer focused", 10, () -> input.isFocused() && w.stage().isFocused());
        robot.write(text).type(KeyCode.ENTER);
        Fx.await("draft sent", 10, () -> input.getText().isEmpty());
    }

    private static List<String> texts(MainWindow w) {
        return w.room().messages().stream()
                .filter(i -> i instanceof ChatItem.Message)
                .map(i -> ((ChatItem.Message) i).text())
                .toList();
    }

    private static Node in(MainWindow w, String id) {
        return Fx.call(() -> w.stage().getScene().lookup(id));
    }
}
