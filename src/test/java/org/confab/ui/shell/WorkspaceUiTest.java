package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.confab.core.InviteLink;
import org.confab.net.RoomConnection;
import org.confab.net.TestMember;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.notify.Notification;
import org.confab.ui.notify.RecordingAttention;
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

/**
 * Several conversations in one window: alice hosts two rooms and joins a third that bob hosts in a
 * second window. Messages in a conversation she is not looking at raise its unread count (and its
 * mention badge when they name her) in the rail and the window title; switching shows it and
 * clears them; each conversation keeps its draft; leaving one leaves the others connected.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class WorkspaceUiTest {
    private MainWindow alice;
    private MainWindow bob;
    private Theme theme;
    private RoomConnection carol;
    /** What alice's desktop would have shown. */
    private final RecordingNotifier notifications = new RecordingNotifier();
    /** The taskbar badge alice's desktop would have shown. */
    private final RecordingAttention badge = new RecordingAttention();
    /** How often her notification sound played (on in her settings). */
    private final AtomicInteger rings = new AtomicInteger();

    @TempDir
    Path home;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        theme = new Theme(settings);
        theme.install();
        alice = new MainWindow(stage, settings, theme);
        alice.setBindAddress(InetAddress.getLoopbackAddress());
        alice.setNotifier(notifications);
        alice.setAttention(badge);
        alice.setSound(rings::incrementAndGet);
        settings.put("notify.sound", "true");
        alice.show();
    }

    @AfterEach
    void closeWindows() {
        if (carol != null) {
            carol.close();
        }
        Fx.run(() -> {
            if (bob != null) {
                bob.stage().close();
            }
            alice.stage().close();
        });
    }

    private static RoomViewModel conversation(MainWindow w, String name) {
        return Fx.call(() -> w.conversations().stream()
                .filter(c -> c.roomNameProperty().get().equals(name))
                .findFirst()
                .orElseThrow());
    }

    private static List<String> texts(RoomViewModel vm) {
        return Fx.call(() -> vm.messages().stream()
                .filter(i -> i instanceof ChatItem.Message)
                .map(i -> ((ChatItem.Message) i).text())
                .toList());
    }

    private static String statusText(MainWindow w) {
        return ((Label) w.stage().getScene().lookup("#statusText")).getText();
    }

    /** The rail's rows: name and badge ("" when none), in order. */
    private static List<String> rail(MainWindow w) {
        return Fx.call(() -> w.stage().getScene().getRoot().lookupAll(".conversation-row").stream()
                .map(n -> {
                    Label name = (Label) n.lookup(".conversation-name");
                    Label badge = (Label) n.lookup(".unread-badge");
                    return name.getText() + (badge.isVisible() ? " [" + badge.getText() + "]" : "");
                })
                .toList());
    }

    @Test
    void hostTwoJoinAThirdAndFollowUnreadAcrossThem(FxRobot robot) throws Exception {
        HostFlow.host(robot, alice, "Design", "alice");
        HostFlow.host(robot, alice, "Lunch", "alice");
        int designPort = Fx.call(() -> {
            alice.showConversation(0);
            return alice.hostedPort();
        });

        // bob hosts "Ops" in his own window; alice joins it with his invite link (it carries the key)
        Fx.run(() -> {
            bob = new MainWindow(new Stage(), Settings.inMemory(), theme);
            bob.setBindAddress(InetAddress.getLoopbackAddress());
            bob.show();
            bob.stage().setX(alice.stage().getX() + 80);
        });
        HostFlow.host(robot, bob, "Ops", "bob");
        InviteLink ops = Fx.call(() -> bob.room().address());
        Fx.run(() -> {
            alice.setKnownRooms(new KnownRooms(home.resolve("known-rooms")));
            alice.openJoinDialog(ops);
        });
        Fx.await("join dialog", 10, () -> robot.lookup("#joinButton").tryQuery().isPresent());
        Fx.run(() -> {
            robot.lookup("#nickField").queryAs(TextField.class).setText("alice");
            robot.lookup("#joinButton").queryAs(Button.class).fire();
        });
        Fx.await("alice in three conversations", 20, () -> alice.conversations().size() == 3);
        assertThat(Fx.call(() -> alice.room().roomNameProperty().get())).isEqualTo("Ops");
        assertThat(rail(alice)).containsExactly("Design", "Lunch", "Ops");
        RoomViewModel design = conversation(alice, "Design");
        RoomViewModel opsRoom = conversation(alice, "Ops");
        Fx.await(
                "all three connected",
                20,
                () -> alice.conversations().stream()
                        .allMatch(c -> c.stateProperty().get() == RoomViewModel.State.CONNECTED));

        Fx.await(
                "the status bar follows the shown room, not the finished join",
                10,
                () -> statusText(alice).equals("Connected to " + ops.address() + " as alice"),
                () -> statusText(alice));

        // alice looks at Ops, in front of her
        Fx.run(() -> alice.stage().requestFocus());
        robot.clickOn(Fx.call(() -> alice.stage().getScene().lookup("#input")));
        Fx.await("alice's window has the focus", 10, () -> alice.stage().isFocused());

        // carol writes in Design, which alice is not looking at: unread, and a mention
        carol = TestMember.join(
                designPort, "carol", design.fingerprintProperty().get(), (e, cid) -> {});
        carol.send("morning all");
        carol.send("alice, can you review the mockups?");
        Fx.await("Design has two unread", 20, () -> design.unreadProperty().get() == 2);
        assertThat(Fx.call(() -> design.mentionsProperty().get())).isEqualTo(1);
        assertThat(rail(alice)).containsExactly("Design [@ 2]", "Lunch", "Ops");
        assertThat(notifications.awaitCount(2, Duration.ofSeconds(10))).isTrue();
        assertThat(notifications.notifications())
                .extracting(Notification::title, Notification::sender, Notification::text)
                .containsExactly(
                        tuple("Design", "carol", "morning all"),
                        tuple("Design", "carol", "alice, can you review the mockups?"));
        Fx.await("the title counts them", 10, () -> alice.stage().getTitle().equals("(2) Ops — Confab"));
        Fx.await(
                "the taskbar badge counts them, urgent for the mention",
                10,
                () -> badge.now().equals("2!"));
        assertThat(rings.get()).as("a sound with each notification").isEqualTo(2);

        // bob writes in Ops, which she is looking at: nothing unread there
        Fx.run(() -> {
            TextArea input = (TextArea) bob.stage().getScene().lookup("#input");
            input.setText("deploy at 3");
            ((Button) bob.stage().getScene().lookup("#sendButton")).fire();
        });
        Fx.await("alice sees bob's line in Ops", 20, () -> texts(opsRoom).contains("deploy at 3"));
        assertThat(Fx.call(() -> opsRoom.unreadProperty().get())).isZero();
        assertThat(notifications.notifications())
                .as("nothing for the room in front of her")
                .hasSize(2);

        // a draft stays with its conversation
        Fx.run(() -> ((TextArea) alice.stage().getScene().lookup("#input")).setText("half-written in Ops"));

        // a click on a notification shows its conversation
        Fx.run(() -> alice.showConversation(1));
        notifications.activate(notifications.last().conversationKey());
        Fx.await("Design shown from its notification", 10, () -> alice.room() == design);
        Fx.run(() -> alice.showConversation(2));

        // Ctrl+1 shows Design: its messages are read now
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.CONTROL);
        Fx.await("Design shown", 10, () -> alice.room() == design);
        Fx.await("Design read", 10, () -> design.unreadProperty().get() == 0);
        Fx.await(
                "the badge clears",
                10,
                () -> badge.now().equals("0"),
                () -> badge.badges().toString());
        assertThat(rail(alice)).containsExactly("Design", "Lunch", "Ops");
        assertThat(Fx.call(() -> alice.stage().getTitle())).isEqualTo("Design — Confab");
        assertThat(texts(design)).contains("morning all", "alice, can you review the mockups?");
        int marker = Fx.call(design::newSinceIndex);
        assertThat(Fx.call(() -> design.messages().get(marker + 1)))
                .as("\"New since\" stands above the first message that came while away")
                .isInstanceOfSatisfying(
                        ChatItem.Message.class, m -> assertThat(m.text()).isEqualTo("morning all"));
        Fx.await("the marker in view", 10, () -> {
            var flow = (VirtualFlow<?>)
                    alice.stage().getScene().lookup("#messageList").lookup(".virtual-flow");
            return flow.getFirstVisibleCell() != null
                    && flow.getFirstVisibleCell().getIndex() <= marker
                    && flow.getLastVisibleCell().getIndex() >= marker;
        });
        assertThat(Fx.call(() -> ((TextArea) alice.stage().getScene().lookup("#input")).getText()))
                .isEmpty();

        // Alt+Down twice: Lunch, then Ops, with its draft
        robot.press(KeyCode.ALT, KeyCode.DOWN).release(KeyCode.DOWN, KeyCode.ALT);
        Fx.await("Lunch shown", 10, () -> alice.room().roomNameProperty().get().equals("Lunch"));
        robot.press(KeyCode.ALT, KeyCode.DOWN).release(KeyCode.DOWN, KeyCode.ALT);
        Fx.await("Ops shown", 10, () -> alice.room() == opsRoom);
        assertThat(Fx.call(() -> ((TextArea) alice.stage().getScene().lookup("#input")).getText()))
                .isEqualTo("half-written in Ops");

        // stopping Lunch leaves the other two connected
        Fx.run(() -> {
            alice.showConversation(1);
            alice.leaveRoom();
        });
        Fx.await("two conversations left", 10, () -> alice.conversations().size() == 2);
        assertThat(rail(alice)).containsExactly("Design", "Ops");
        // Design on mentions only, then do-not-disturb: counted, notified only as they allow
        Fx.run(() -> design.alertsProperty().set(RoomViewModel.Alerts.MENTIONS));
        notifications.clear();
        carol.send("still here?");
        Fx.await("Design still receives", 20, () -> texts(design).contains("still here?"));
        carol.send("alice?");
        assertThat(notifications.awaitCount(1, Duration.ofSeconds(10))).isTrue();
        assertThat(notifications.notifications())
                .as("mentions only: the line that names her")
                .extracting(Notification::text)
                .containsExactly("alice?");
        Fx.run(() -> ((ToggleButton) alice.stage().getScene().lookup("#doNotDisturb")).fire());
        carol.send("alice, one more thing");
        Fx.await("counted", 20, () -> texts(design).contains("alice, one more thing"));
        assertThat(notifications.notifications()).as("do not disturb").hasSize(1);
        assertThat(rings.get()).as("no sound either").isEqualTo(3);
        Fx.run(() -> ((ToggleButton) alice.stage().getScene().lookup("#doNotDisturb")).fire());
        assertThat(Fx.call(() -> opsRoom.stateProperty().get())).isEqualTo(RoomViewModel.State.CONNECTED);
        assertThat(Fx.call(() -> design.stateProperty().get())).isEqualTo(RoomViewModel.State.CONNECTED);
        // Ctrl+K finds a conversation by a part of its name
        Fx.run(() -> alice.showConversation(1));
        robot.press(KeyCode.CONTROL, KeyCode.K).release(KeyCode.K, KeyCode.CONTROL);
        Fx.await(
                "the switcher",
                10,
                () -> robot.lookup("#switcherField").tryQuery().isPresent());
        robot.write("desi");
        Fx.await(
                "one match",
                10,
                () -> robot.lookup("#switcherList").queryListView().getItems().size() == 1);
        robot.press(KeyCode.ENTER).release(KeyCode.ENTER);
        Fx.await("Design shown from the switcher", 10, () -> alice.room() == design);

        // renaming from the composer, as in the terminal client: only in this conversation
        Fx.run(() -> {
            alice.showConversation(1);
            ((TextArea) alice.stage().getScene().lookup("#input")).setText("/nick alicia");
            ((Button) alice.stage().getScene().lookup("#sendButton")).fire();
        });
        Fx.await("renamed in Ops", 20, () -> opsRoom.nickProperty().get().equals("alicia"));
        Fx.await("bob sees the new name", 20, () -> bob.room().members().contains("alicia"));
        assertThat(Fx.call(() -> design.nickProperty().get())).isEqualTo("alice");
        assertThat(texts(opsRoom)).as("the command is not sent as a message").doesNotContain("/nick alicia");
        Node rail = Fx.call(() -> alice.stage().getScene().lookup("#conversations"));
        assertThat(rail).as("the rail while conversations are open").isNotNull();
    }
}
