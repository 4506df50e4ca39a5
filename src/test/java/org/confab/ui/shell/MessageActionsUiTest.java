package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.core.InviteLink;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.emoji.Emoji;
import org.confab.ui.emoji.EmojiText;
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
 * Two windows, driven as people do: bob fixes a typo with Up in the empty composer, alice replies
 * to his message and reacts to it from its menu, bob deletes it from its menu (after the
 * question): each side sees the edit, the quote, the reaction chip and the deletion.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class MessageActionsUiTest {
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

    private static Optional<ChatItem.Message> message(RoomViewModel vm, String sender) {
        return Fx.call(() -> vm.messages().stream()
                .filter(i -> i instanceof ChatItem.Message m && m.sender().equals(sender) && !m.unconfirmed())
                .map(i -> (ChatItem.Message) i)
                .reduce((a, b) -> b));
    }

    /** The list cell that shows the message from {@code sender} reading {@code text}. */
    private static Node cell(MainWindow w, String text) {
        return Fx.call(() -> w.stage().getScene().getRoot().lookupAll(".chat-cell").stream()
                .filter(n -> n instanceof ListCell<?> c
                        && c.getItem() instanceof ChatItem.Message m
                        && m.text().equals(text))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row reading " + text)));
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

    private static void type(MainWindow w, String text) {
        Fx.run(() -> ((TextArea) w.stage().getScene().lookup("#input")).setText(text));
    }

    private void send(FxRobot robot, MainWindow w) {
        front(w);
        Fx.run(() -> w.stage().getScene().lookup("#input").requestFocus());
        robot.clickOn(Fx.call(() -> w.stage().getScene().lookup("#input")));
        robot.type(KeyCode.ENTER);
    }

    @Test
    void editReplyReactAndDeleteAcrossTwoWindows(FxRobot robot) {
        HostFlow.host(robot, alice, "Design", "alice");
        InviteLink link = Fx.call(() -> alice.room().address());
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
        RoomViewModel atAlice = Fx.call(() -> alice.room());
        RoomViewModel atBob = Fx.call(() -> bob.room());

        // bob writes with a typo, then Up in the empty composer takes it back for an edit
        type(bob, "the mockups are redy");
        Fx.await(
                "alice sees bob typing",
                20,
                () -> ((Label) alice.stage().getScene().lookup("#typingLine"))
                                .getText()
                                .equals("bob is typing…")
                        && alice.stage().getScene().lookup("#typingLine").isVisible());
        send(robot, bob);
        Fx.await("alice has it", 20, () -> message(atAlice, "bob").isPresent());
        Fx.await(
                "his message ends it",
                10,
                () -> atAlice.typingTextProperty().get().isEmpty());
        Fx.await("bob's own row is confirmed", 20, () -> message(atBob, "bob").isPresent());
        robot.type(KeyCode.UP);
        Fx.await("editing", 10, () -> atBob.editingProperty().get() != null);
        assertThat(Fx.call(() -> ((Label) bob.stage().getScene().lookup(".composer-context-title")).getText()))
                .isEqualTo("Editing your message");
        type(bob, "the mockups are ready");
        send(robot, bob);
        Fx.await(
                "alice sees the edit",
                20,
                () -> message(atAlice, "bob")
                        .map(m -> m.text().equals("the mockups are ready")
                                && m.extras().edited())
                        .orElse(false),
                () -> "alice's row " + message(atAlice, "bob") + ", bob's composer says "
                        + atBob.lastErrorProperty().get() + ", editing "
                        + atBob.editingProperty().get());
        Fx.await(
                "the edited mark",
                10,
                () -> cell(alice, "the mockups are ready")
                        .lookup(".edited-mark")
                        .isVisible());
        assertThat(Fx.call(() -> atBob.editingProperty().get())).isNull();

        // alice replies from the message's menu
        front(alice);
        Menus.menuOn(robot, () -> cell(alice, "the mockups are ready").lookup(".msg-time"), "Reply");
        Fx.await("replying", 10, () -> atAlice.replyingToProperty().get() != null);
        type(alice, "great, merging");
        send(robot, alice);
        Fx.await(
                "bob sees the reply with its quote",
                20,
                () -> message(atBob, "alice")
                        .map(m -> m.extras().replyTo() > 0
                                && "bob".equals(m.extras().quoteSender())
                                && "the mockups are ready".equals(m.extras().quoteText()))
                        .orElse(false),
                () -> "bob has " + message(atBob, "alice"));
        Fx.await(
                "the quote is shown",
                10,
                () -> cell(bob, "great, merging").lookup(".reply-quote").isVisible());

        // alice reacts 👍 from the menu: bob sees the chip, with who
        Menus.menuOn(robot, () -> cell(alice, "the mockups are ready").lookup(".msg-time"), "React");
        // the menu shows the emoji as an image, with its name
        Menus.clickMenu(
                robot, EmojiText.standard().index().of("👍").map(Emoji::name).orElseThrow());
        Fx.await(
                "bob sees the reaction",
                20,
                () -> message(atBob, "bob")
                        .map(m -> m.extras().reactions().size() == 1
                                && m.extras().reactions().getFirst().by().equals(List.of("alice")))
                        .orElse(false));
        Fx.await("a chip", 10, () -> cell(bob, "the mockups are ready").lookup(".reaction-chip") != null);
        ToggleButton chip =
                (ToggleButton) Fx.call(() -> cell(bob, "the mockups are ready").lookup(".reaction-chip"));
        assertThat(Fx.call(chip::getUserData)).isEqualTo("👍 1");
        assertThat(Fx.call(() -> chip.lookup(".emoji")))
                .as("the emoji as its image")
                .isNotNull();
        assertThat(Fx.call(chip::isSelected)).as("not bob's").isFalse();
        assertThat(Fx.call(() -> chip.getTooltip().getText())).isEqualTo("alice reacted with 👍");

        // bob deletes his message from its menu, after the question
        front(bob);
        Menus.menuOn(robot, () -> cell(bob, "the mockups are ready").lookup(".msg-time"), "Delete");
        Fx.await("asked", 10, () -> question() != null);
        Fx.run(() -> ((Button) question()
                        .lookupButton(question().getButtonTypes().stream()
                                .filter(b -> b.getButtonData() == ButtonBar.ButtonData.OK_DONE)
                                .findFirst()
                                .orElseThrow()))
                .fire());
        Fx.await(
                "alice sees it deleted",
                20,
                () -> message(atAlice, "bob").map(m -> m.extras().deleted()).orElse(false));
        assertThat(message(atAlice, "bob").orElseThrow().extras().reactions())
                .as("its reactions go with it")
                .isEmpty();
        Fx.await(
                "alice's reply no longer quotes it",
                10,
                () -> message(atAlice, "alice")
                        .map(m -> !m.extras().quoteText().contains("mockups"))
                        .orElse(false));
        assertThat(Fx.call(() -> atAlice.messages().stream()
                        .filter(i -> i instanceof ChatItem.Message m && m.text().contains("mockups"))
                        .count()))
                .as("the text is gone from alice's list")
                .isZero();
    }

    private static DialogPane question() {
        return Window.getWindows().stream()
                .filter(w -> w.isShowing() && w.getScene().getRoot() instanceof DialogPane)
                .map(w -> (DialogPane) w.getScene().getRoot())
                .filter(p -> "deleteMessage".equals(p.getId()))
                .findFirst()
                .orElse(null);
    }
}
