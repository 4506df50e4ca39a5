package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.core.InviteLink;
import org.confab.core.Moderation;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
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
import org.testfx.util.WaitForAsyncUtils;

/**
 * Two windows, driven as people do: alice hosts, bob joins. Alice writes to bob privately from
 * his row in the member list: a conversation "alice" appears in bob's sidebar with an unread
 * count, the room's stream never shows it, and bob answers there. Then alice, the host, sets the
 * topic (bob's header shows it), makes bob a moderator (his tag), and removes him: bob's window
 * says so and does not reconnect by itself.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class DirectAndModerationUiTest {
    private MainWindow alice;
    private MainWindow bob;
    private Theme theme;

    @TempDir
    Path home;

    @Start
    void start(Stage stage) {
        theme = new Theme(Settings.inMemory());
        theme.install();
        alice = new MainWindow(stage, Settings.inMemory(), theme);
        alice.setBindAddress(InetAddress.getLoopbackAddress());
        alice.show();
        aliceX = stage.getX();
    }

    /** Where the first window was put (it is moved off the screen while the second one is used). */
    private double aliceX;

    @AfterEach
    void close() {
        Fx.run(() -> {
            // the first window is the test run's own stage, used again by the next test class:
            // back on the screen where it was
            alice.stage().setX(aliceX);
            if (bob != null) {
                bob.stage().close();
            }
            alice.stage().close();
        });
    }

    /**
     * Makes {@code w} the window clicks land in: the two overlap, and raising a window on a
     * display without a window manager is not ordered with the robot's clicks, so the other one
     * steps off the screen while this one is used (its scene still works for the assertions).
     */
    private void front(MainWindow w) {
        MainWindow other = w == alice ? bob : alice;
        Fx.run(() -> {
            if (other != null) {
                other.stage().setX(OFF_SCREEN);
            }
            w.stage().setX(0);
            w.stage().toFront();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Beyond the right edge of the test display (1440 wide). */
    private static final double OFF_SCREEN = 3000;

    private void send(FxRobot robot, MainWindow w, String text) {
        front(w);
        Fx.run(() -> {
            ((TextArea) w.stage().getScene().lookup("#input")).setText(text);
            w.stage().getScene().lookup("#input").requestFocus();
        });
        robot.clickOn(Fx.call(() -> w.stage().getScene().lookup("#input")));
        robot.type(KeyCode.ENTER);
    }

    private static boolean shows(RoomViewModel vm, String text) {
        return Fx.call(() -> vm.messages().stream()
                .anyMatch(i -> i instanceof ChatItem.Message m && m.text().equals(text) && !m.unconfirmed()));
    }

    private static Optional<RoomViewModel> direct(MainWindow w, String with) {
        return Fx.call(() -> w.conversations().stream()
                .filter(vm -> with.equals(vm.directWithProperty().get()))
                .findFirst());
    }

    private static Node memberRow(MainWindow w, String nick) {
        return Fx.call(() -> w.stage().getScene().getRoot().lookupAll(".member-cell").stream()
                .filter(n -> n instanceof ListCell<?> c && nick.equals(c.getItem()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no member row " + nick)));
    }

    @Test
    void aDirectConversationThenTopicRolesAndRemoval(FxRobot robot) {
        HostFlow.host(robot, alice, "Design", "alice");
        InviteLink link = Fx.call(() -> alice.room().address());
        RoomViewModel roomAtAlice = Fx.call(() -> alice.room());
        Fx.run(() -> {
            bob = new MainWindow(new Stage(), Settings.inMemory(), theme);
            bob.setKnownRooms(new KnownRooms(home.resolve("known-rooms")));
            bob.show();
            bob.stage().setX(alice.stage().getX() + 60);
            bob.openJoinDialog(link);
        });
        Fx.await("join dialog", 10, () -> robot.lookup("#joinButton").tryQuery().isPresent());
        Fx.run(() -> {
            robot.lookup("#nickField").queryAs(TextField.class).setText("bob");
            robot.lookup("#joinButton").queryAs(Button.class).fire();
        });
        Fx.await(
                "bob in Design",
                20,
                () -> bob.room() != null && bob.room().stateProperty().get() == RoomViewModel.State.CONNECTED);
        RoomViewModel roomAtBob = Fx.call(() -> bob.room());
        Fx.await("alice sees bob", 20, () -> Fx.call(() -> roomAtAlice.members().contains("bob")));

        // alice: bob's row › Message privately, then writes there
        front(alice);
        Menus.menuOn(robot, () -> memberRow(alice, "bob"), "Message privately");
        Fx.await(
                "alice's conversation with bob is shown",
                10,
                () -> Fx.call(() -> alice.room() != roomAtAlice
                        && "bob".equals(alice.room().directWithProperty().get())));
        assertThat(Fx.call(() -> ((Label) alice.stage().getScene().lookup(".header-subtitle")).getText()))
                .isEqualTo("Direct message in Design · the room's host can read it");
        send(robot, alice, "are you free at 3?");
        Fx.await(
                "a conversation with alice at bob's",
                20,
                () -> direct(bob, "alice").isPresent());
        RoomViewModel dmAtBob = direct(bob, "alice").orElseThrow();
        Fx.await("bob has it there", 20, () -> shows(dmAtBob, "are you free at 3?"));
        assertThat(Fx.call(() -> dmAtBob.unreadProperty().get())).isEqualTo(1);
        assertThat(Fx.call(() -> dmAtBob.mentionsProperty().get()))
                .as("a direct message counts as a mention")
                .isEqualTo(1);
        assertThat(shows(roomAtBob, "are you free at 3?"))
                .as("never in the room's stream")
                .isFalse();
        assertThat(shows(roomAtAlice, "are you free at 3?")).isFalse();

        // bob opens it from his sidebar and answers
        int index = Fx.call(() -> bob.conversations().indexOf(dmAtBob));
        Fx.run(() -> {
            bob.stage().toFront();
            bob.showConversation(index);
        });
        Fx.await("read", 10, () -> Fx.call(() -> dmAtBob.unreadProperty().get()) == 0);
        send(robot, bob, "yes, see you");
        RoomViewModel dmAtAlice = direct(alice, "bob").orElseThrow();
        Fx.await("alice has the answer", 20, () -> shows(dmAtAlice, "yes, see you"));
        assertThat(shows(roomAtAlice, "yes, see you")).isFalse();

        // back in the room, alice (the host) sets the topic and names bob a moderator
        int room = Fx.call(() -> alice.conversations().indexOf(roomAtAlice));
        Fx.run(() -> {
            alice.stage().toFront();
            alice.showConversation(room);
        });
        Fx.run(() -> bob.showConversation(bob.conversations().indexOf(roomAtBob)));
        send(robot, alice, "/topic Ship the beta");
        Fx.await(
                "bob's header shows the topic",
                20,
                () -> Fx.call(() -> "Ship the beta"
                                .equals(((Label) bob.stage().getScene().lookup(".header-topic")).getText())
                        && bob.stage().getScene().lookup(".header-topic").isVisible()));
        Menus.menuOn(robot, () -> memberRow(alice, "bob"), "Make moderator");
        Fx.await(
                "the command is in the composer",
                10,
                () -> Fx.call(() -> roomAtAlice.draftProperty().get()).equals("/mod bob"));
        robot.clickOn(Fx.call(() -> alice.stage().getScene().lookup("#input")));
        robot.type(KeyCode.ENTER);
        Fx.await(
                "bob is a moderator",
                20,
                () -> Fx.call(() -> roomAtBob.myRoleProperty().get()) == Moderation.Role.MODERATOR);
        Fx.await(
                "his tag at alice's",
                10,
                () -> Fx.call(() -> memberRow(alice, "bob").lookup(".role-tag") instanceof Label l
                        && l.isVisible()
                        && l.getText().equals("mod")));

        // a moderator may delete anyone's message, from its menu
        send(robot, alice, "an accidental paste");
        Fx.await("bob has it", 20, () -> shows(roomAtBob, "an accidental paste"));
        front(bob);
        Menus.menuOn(
                robot,
                () -> Fx.call(() -> bob.stage().getScene().getRoot().lookupAll(".chat-cell").stream()
                                .filter(n -> n instanceof ListCell<?> c
                                        && c.getItem() instanceof ChatItem.Message m
                                        && m.text().equals("an accidental paste"))
                                .findFirst()
                                .orElseThrow())
                        .lookup(".msg-time"),
                "Copy link to message"); // the link opens this room at the message
        String toMessage = Fx.call(() -> Clipboard.getSystemClipboard().getString());
        assertThat(InviteLink.messageOf(toMessage)).isPositive();
        assertThat(InviteLink.parse(toMessage).sameAddress(link)).isTrue();
        Fx.run(() -> bob.openLink(URI.create(toMessage)));
        assertThat(Fx.call(() -> bob.room())).isSameAs(roomAtBob);
        Menus.menuOn(
                robot,
                () -> Fx.call(() -> bob.stage().getScene().getRoot().lookupAll(".chat-cell").stream()
                                .filter(n -> n instanceof ListCell<?> c
                                        && c.getItem() instanceof ChatItem.Message m
                                        && m.text().equals("an accidental paste"))
                                .findFirst()
                                .orElseThrow())
                        .lookup(".msg-time"),
                "Delete (moderator)");
        Fx.await(
                "asked",
                10,
                () -> Fx.call(() -> Window.getWindows().stream()
                        .anyMatch(w -> w.isShowing()
                                && w.getScene().getRoot() instanceof DialogPane p
                                && "deleteMessage".equals(p.getId()))));
        robot.type(KeyCode.TAB); // Cancel is the default: to Delete
        Fx.run(() -> Window.getWindows().stream()
                .filter(w -> w.isShowing()
                        && w.getScene().getRoot() instanceof DialogPane p
                        && "deleteMessage".equals(p.getId()))
                .map(w -> (DialogPane) w.getScene().getRoot())
                .findFirst()
                .ifPresent(p -> ((Button) p.lookupButton(p.getButtonTypes().stream()
                                .filter(b -> b.getButtonData() == ButtonBar.ButtonData.OK_DONE)
                                .findFirst()
                                .orElseThrow()))
                        .fire()));
        Fx.await(
                "deleted at alice's",
                20,
                () -> Fx.call(() -> roomAtAlice.messages().stream()
                        .anyMatch(i ->
                                i instanceof ChatItem.Message m && m.extras().deleted())));

        // the host removes him: bob is told, and stays disconnected
        send(robot, alice, "/kick bob enough for today");
        Fx.await(
                "bob is out",
                20,
                () -> Fx.call(() -> roomAtBob.stateProperty().get()) == RoomViewModel.State.DISCONNECTED);
        assertThat(Fx.call(() -> roomAtBob.disconnectTextProperty().get()))
                .isEqualTo("You were removed from this room by the host (alice): enough for today");
        Fx.await(
                "gone from alice's list",
                20,
                () -> !Fx.call(() -> roomAtAlice.members().contains("bob")));
    }
}
