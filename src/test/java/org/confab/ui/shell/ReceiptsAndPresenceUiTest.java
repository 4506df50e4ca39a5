package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.RoomConnection.MessageState;
import org.confab.net.RoomHost;
import org.confab.store.DataDirs;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.notify.Notification;
import org.confab.ui.notify.RecordingNotifier;
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
 * Two windows in one room (a host without a window): alice's link to the host can hold the host's
 * answers back. Her message shows one tick while the host has not answered, two once it has, and
 * "Seen by bob" once bob has read it; while bob has read receipts off, his reading tells nobody.
 * Then alice goes away, busy, back: bob's member list says so, with her away message, and while she
 * is busy no message of bob's (not even one that names her) raises a notification at hers.
 * Receipts off hold in a direct conversation as well.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class ReceiptsAndPresenceUiTest {
    @TempDir
    Path home;

    private final List<MainWindow> windows = new ArrayList<>();
    private final RecordingNotifier aliceNotifications = new RecordingNotifier();
    private RoomHost host;
    private HeldLink link;
    private Theme theme;
    private String dataDirBefore;

    @Start
    void start(Stage stage) {
        // this test's caches, outboxes and member keys live in its own folder
        dataDirBefore = System.getProperty(DataDirs.PROPERTY);
        System.setProperty(DataDirs.PROPERTY, home.resolve("data").toString());
        theme = new Theme(Settings.inMemory());
        theme.install();
    }

    @AfterEach
    void stop() throws Exception {
        Fx.run(() -> windows.forEach(w -> w.stage().close()));
        if (link != null) {
            link.close();
        }
        if (host != null) {
            host.close();
        }
        if (dataDirBefore == null) {
            System.clearProperty(DataDirs.PROPERTY);
        } else {
            System.setProperty(DataDirs.PROPERTY, dataDirBefore);
        }
    }

    private MainWindow window(Settings settings) {
        return Fx.call(() -> {
            MainWindow w = new MainWindow(new Stage(), settings, theme);
            w.setKnownRooms(new KnownRooms(home.resolve("known-rooms")));
            w.show();
            w.stage().setX(0);
            w.stage().setY(0);
            windows.add(w);
            return w;
        });
    }

    private void join(FxRobot robot, MainWindow w, InviteLink to, String nick) {
        Fx.run(() -> w.openJoinDialog(to));
        Fx.await("join dialog", 10, () -> robot.lookup("#nickField").tryQuery().isPresent());
        Fx.run(() -> robot.lookup("#nickField").queryAs(TextField.class).setText(nick));
        Fx.run(() -> robot.lookup("#joinButton").queryAs(Button.class).fire());
        Fx.await(
                nick + " in the room",
                20,
                () -> w.room() != null && w.room().stateProperty().get() == RoomViewModel.State.CONNECTED);
    }

    /** Beyond the right edge of the test display (1440 wide). */
    private static final double OFF_SCREEN = 3000;

    /**
     * Puts {@code w} in front with the focus (a click in its composer), the other window off the
     * screen and without it: on a display without a window manager raising is not ordered with the
     * robot's clicks.
     */
    private void focus(FxRobot robot, MainWindow w) {
        Fx.run(() -> {
            for (MainWindow other : windows) {
                if (other != w) {
                    other.stage().setX(OFF_SCREEN);
                }
            }
            w.stage().setX(0);
            w.stage().toFront();
            w.stage().requestFocus();
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(Fx.call(() -> in(w, "#input")));
        Fx.await(
                "the focus in " + Fx.call(() -> w.room().nickProperty().get()) + "'s window",
                10,
                () -> w.stage().isFocused()
                        && windows.stream()
                                .filter(o -> o != w)
                                .noneMatch(o -> o.stage().isFocused()));
    }

    private static Node in(MainWindow w, String selector) {
        return Fx.call(() -> w.stage().getScene().lookup(selector));
    }

    /** Writes {@code text} in {@code w}'s composer and presses Send (the focus stays where it is). */
    private static void send(MainWindow w, String text) {
        Fx.run(() -> {
            ((TextArea) in(w, "#input")).setText(text);
            ((Button) in(w, "#sendButton")).fire();
        });
    }

    private static ChatItem.Message message(MainWindow w, String text) {
        return Fx.call(() -> w.room().messages().stream()
                .filter(i -> i instanceof ChatItem.Message m && m.text().equals(text))
                .map(i -> (ChatItem.Message) i)
                .findFirst()
                .orElse(null));
    }

    private static ChatItem.Message message(RoomViewModel vm, String text) {
        return Fx.call(() -> vm.messages().stream()
                .filter(i -> i instanceof ChatItem.Message m && m.text().equals(text))
                .map(i -> (ChatItem.Message) i)
                .findFirst()
                .orElse(null));
    }

    /** {@code w}'s direct conversation with {@code with}, or null. */
    private static RoomViewModel direct(MainWindow w, String with) {
        return Fx.call(() -> w.conversations().stream()
                .filter(vm -> with.equals(vm.directWithProperty().get()))
                .findFirst()
                .orElse(null));
    }

    /** Turns read receipts on or off in {@code w}'s Settings dialog, then closes it. */
    private static void receipts(FxRobot robot, MainWindow w, boolean on) {
        Fx.run(w::openSettings);
        Fx.await("settings", 10, () -> robot.lookup("#sendReceipts").tryQuery().isPresent());
        Fx.run(() -> {
            CheckBox receipts = robot.lookup("#sendReceipts").queryAs(CheckBox.class);
            assertThat(receipts.isSelected()).isNotEqualTo(on);
            receipts.fire();
            receipts.getScene().getWindow().hide();
        });
    }

    /** The delivery mark beside our message {@code text} in {@code w}, or null while its row is not shown. */
    private static Label mark(MainWindow w, String text) {
        return Fx.call(() -> w.stage().getScene().getRoot().lookupAll(".chat-cell").stream()
                .filter(n -> n instanceof ListCell<?> c
                        && c.isVisible()
                        && c.getItem() instanceof ChatItem.Message m
                        && m.text().equals(text))
                .findFirst()
                .map(n -> (Label) n.lookup(".delivery-mark"))
                .orElse(null));
    }

    /** What the mark beside {@code text} shows: its state classes, ticks and tooltip, e.g. "delivered seen, 2 ticks: Seen by bob". */
    private static String markShows(MainWindow w, String text) {
        return Fx.call(() -> {
            Label mark = mark(w, text);
            if (mark == null || !mark.isVisible()) {
                return "no mark";
            }
            long ticks = ((HBox) mark.getGraphic())
                    .getChildren().stream().filter(Node::isVisible).count();
            String states = String.join(
                    " ",
                    mark.getStyleClass().stream()
                            .filter(c -> List.of("pending", "sent", "delivered", "failed", "seen")
                                    .contains(c))
                            .toList());
            return states + ", " + ticks + (ticks == 1 ? " tick: " : " ticks: ") + mark.getAccessibleText();
        });
    }

    /** The status tag on {@code nick}'s row of {@code w}'s member list and its tooltip, "" when none is shown. */
    private static String statusTag(MainWindow w, String nick) {
        return Fx.call(() -> w.stage().getScene().getRoot().lookupAll(".member-cell").stream()
                .filter(n -> n instanceof ListCell<?> c && nick.equals(c.getItem()))
                .findFirst()
                .map(n -> (Label) n.lookup(".status-tag"))
                .map(tag -> tag.isVisible()
                        ? tag.getText() + " (" + tag.getTooltip().getText() + ")"
                        : "")
                .orElse("no row for " + nick));
    }

    @Test
    void ticksThenSeenByBobAndAwayBusyBackInTheMemberList(FxRobot robot) throws Exception {
        host = new RoomHost(HostConfig.defaults("Ops", 0).withBindAddress(InetAddress.getLoopbackAddress()), null);
        int port = host.start().getPort();
        link = new HeldLink(port);
        MainWindow alice = window(Settings.inMemory());
        Fx.run(() -> alice.setNotifier(aliceNotifications));
        Settings bobs = Settings.inMemory();
        bobs.put(SettingsDialog.SEND_RECEIPTS, "false"); // Settings › Privacy: read receipts off
        MainWindow bob = window(bobs);
        join(robot, alice, new InviteLink("127.0.0.1", link.port(), host.fingerprint()), "alice");
        join(robot, bob, new InviteLink("127.0.0.1", port, host.fingerprint()), "bob");
        RoomViewModel roomAtAlice = Fx.call(alice::room);
        Fx.await("alice sees bob", 20, () -> roomAtAlice.members().contains("bob"));

        // the host's answers to alice are held: her message has gone out, one tick
        focus(robot, alice);
        link.hold();
        send(alice, "lunch at noon?");
        Fx.await(
                "sent, not yet answered",
                20,
                () -> message(alice, "lunch at noon?") != null
                        && message(alice, "lunch at noon?").delivery() == MessageState.SENT,
                () -> String.valueOf(message(alice, "lunch at noon?")));
        Fx.await(
                "one tick",
                10,
                () -> markShows(alice, "lunch at noon?").equals("sent, 1 tick: Sent: waiting for the host"),
                () -> markShows(alice, "lunch at noon?"));

        // the answer comes: two ticks
        link.release();
        Fx.await(
                "delivered",
                20,
                () -> markShows(alice, "lunch at noon?").equals("delivered, 2 ticks: Delivered to the room"),
                () -> markShows(alice, "lunch at noon?"));

        // bob reads it with read receipts off, then answers: his answer reaches alice, and no
        // "seen" came before it (a receipt would have gone out at once: he had sent none yet)
        focus(robot, bob);
        Fx.await("bob has it", 20, () -> message(bob, "lunch at noon?") != null);
        send(bob, "sure");
        Fx.await("alice has bob's answer", 20, () -> message(alice, "sure") != null);
        assertThat(markShows(alice, "lunch at noon?")).isEqualTo("delivered, 2 ticks: Delivered to the room");
        assertThat(Fx.call(() -> roomAtAlice.seenBy(message(alice, "lunch at noon?"))))
                .isEmpty();

        // bob turns read receipts on in Settings; alice's next message is seen by him at once
        receipts(robot, bob, true);
        focus(robot, bob);
        send(alice, "see you there");
        Fx.await(
                "seen by bob",
                20,
                () -> markShows(alice, "see you there").equals("delivered seen, 2 ticks: Seen by bob"),
                () -> markShows(alice, "see you there"));
        assertThat(markShows(alice, "lunch at noon?"))
                .as("reading the newest reads what came before")
                .isEqualTo("delivered seen, 2 ticks: Seen by bob");
        focus(robot, alice);
        robot.moveTo(mark(alice, "see you there"));
        Fx.await(
                "the tooltip under the pointer",
                10,
                () -> Window.getWindows().stream()
                        .anyMatch(w -> w instanceof Tooltip t
                                && t.isShowing()
                                && t.getText().equals("Seen by bob")));
        focus(robot, bob); // bob in front again: alice is not looking at the room

        // alice away, with a message: bob's list says so
        send(alice, "/away gone for lunch");
        Fx.await(
                "away at bob's",
                20,
                () -> statusTag(bob, "alice").equals("away (alice is away: gone for lunch)"),
                () -> statusTag(bob, "alice"));
        assertThat(statusTag(alice, "bob")).isEmpty();

        // alice busy: her window raises nothing for bob's messages, not even one naming her
        send(alice, "/dnd");
        Fx.await(
                "busy at bob's",
                20,
                () -> statusTag(bob, "alice").equals("busy (alice does not want to be disturbed)"),
                () -> statusTag(bob, "alice"));
        aliceNotifications.clear();
        send(bob, "anyone around?");
        send(bob, "alice, are you coming?");
        Fx.await(
                "alice has both, her mention counted",
                20,
                () -> message(alice, "alice, are you coming?") != null
                        && message(alice, "anyone around?") != null
                        && roomAtAlice.mentionsProperty().get() == 1);
        assertThat(aliceNotifications.notifications()).isEmpty();

        // back: the tag goes, and the next message is notified (and only it)
        send(alice, "/back");
        Fx.await("no tag at bob's", 20, () -> statusTag(bob, "alice").isEmpty(), () -> statusTag(bob, "alice"));
        send(bob, "alice?");
        assertThat(aliceNotifications.awaitCount(1, Duration.ofSeconds(20))).isTrue();
        assertThat(aliceNotifications.notifications())
                .extracting(Notification::title, Notification::sender, Notification::text)
                .containsExactly(tuple("Ops", "bob", "alice?"));
        assertThat(Fx.call(() -> alice.stage().isFocused()))
                .as("alice was never looking")
                .isFalse();

        // notifications turned off by hand (the bell) stay off through /away and /back
        Fx.run(() -> ((ToggleButton) in(alice, "#doNotDisturb")).fire());
        send(alice, "/away brb");
        Fx.await("away again at bob's", 20, () -> statusTag(bob, "alice").startsWith("away"));
        send(bob, "while she is away");
        send(alice, "/back");
        Fx.await("back again at bob's", 20, () -> statusTag(bob, "alice").isEmpty());
        send(bob, "now she is back");
        Fx.await("alice has both", 20, () -> message(alice, "now she is back") != null);
        assertThat(Fx.call(() -> ((ToggleButton) in(alice, "#doNotDisturb")).isSelected()))
                .as("the bell as she left it")
                .isTrue();
        Fx.run(() -> ((ToggleButton) in(alice, "#doNotDisturb")).fire());
        send(bob, "bell on");
        assertThat(aliceNotifications.awaitCount(2, Duration.ofSeconds(20))).isTrue();
        assertThat(aliceNotifications.notifications())
                .extracting(Notification::text)
                .containsExactly("alice?", "bell on");
    }

    @Test
    void readReceiptsOffHoldInADirectConversationToo(FxRobot robot) throws Exception {
        host = new RoomHost(HostConfig.defaults("Ops", 0).withBindAddress(InetAddress.getLoopbackAddress()), null);
        int port = host.start().getPort();
        InviteLink ops = new InviteLink("127.0.0.1", port, host.fingerprint());
        MainWindow alice = window(Settings.inMemory());
        Settings bobs = Settings.inMemory();
        bobs.put(SettingsDialog.SEND_RECEIPTS, "false");
        MainWindow bob = window(bobs);
        join(robot, alice, ops, "alice");
        join(robot, bob, ops, "bob");
        Fx.await("alice sees bob", 20, () -> alice.room().members().contains("bob"));

        // alice writes to bob privately; bob opens the conversation, reads, answers
        focus(robot, alice);
        send(alice, "/msg bob are you free at 3?");
        Fx.await("a conversation with alice at bob's", 20, () -> direct(bob, "alice") != null);
        RoomViewModel dmAtBob = direct(bob, "alice");
        Fx.await("bob has it", 20, () -> message(dmAtBob, "are you free at 3?") != null);
        focus(robot, bob);
        Fx.run(() -> bob.showConversation(bob.conversations().indexOf(dmAtBob)));
        Fx.await("read at bob's", 10, () -> dmAtBob.unreadProperty().get() == 0);
        send(bob, "yes, see you");
        RoomViewModel dmAtAlice = direct(alice, "bob");
        Fx.await("alice has the answer", 20, () -> message(dmAtAlice, "yes, see you") != null);
        // a direct receipt goes out at once (no pacing): it would have come before the answer
        ChatItem.Message asked = message(dmAtAlice, "are you free at 3?");
        assertThat(asked.delivery()).isEqualTo(MessageState.DELIVERED);
        assertThat(Fx.call(() -> dmAtAlice.seenBy(asked)))
                .as("bob's receipts are off")
                .isEmpty();

        // receipts on: alice's next line there is seen by him
        receipts(robot, bob, true);
        focus(robot, bob);
        Fx.run(() -> alice.showConversation(alice.conversations().indexOf(dmAtAlice)));
        send(alice, "great");
        Fx.await(
                "seen by bob",
                20,
                () -> message(dmAtAlice, "great") != null
                        && dmAtAlice.seenBy(message(dmAtAlice, "great")).equals(List.of("bob")));
    }
}
