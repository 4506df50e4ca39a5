package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.confab.core.ChatMessage;
import org.confab.core.InviteLink;
import org.confab.net.ChaosProxy;
import org.confab.net.HostConfig;
import org.confab.net.HostSecurity;
import org.confab.net.RoomConnection.MessageState;
import org.confab.net.RoomHost;
import org.confab.store.DataDirs;
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

/**
 * Issue 4 in real windows: a member keeps writing through a dropped link and a host restart
 * (pending → delivered, exactly once on both sides), a reopened window shows the room's past from
 * its cache before the host answers, and the search finds old messages.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class ReliableRoomUiTest {
    @TempDir
    Path home;

    private final List<MainWindow> windows = new ArrayList<>();
    private final List<RoomHost> hosts = new ArrayList<>();
    private ChaosProxy proxy;
    private Theme theme;
    private String dataDirBefore;
    /** One room identity for every run of the host: it comes back with the same key. */
    private final HostSecurity security = HostSecurity.ephemeral();

    @Start
    void start(Stage stage) {
        // this test's caches and outboxes live in its own folder
        dataDirBefore = System.getProperty(DataDirs.PROPERTY);
        System.setProperty(DataDirs.PROPERTY, home.resolve("data").toString());
        Settings settings = Settings.inMemory();
        theme = new Theme(settings);
        theme.install();
    }

    @AfterEach
    void stop() throws Exception {
        Fx.run(() -> windows.forEach(w -> w.stage().close()));
        hosts.forEach(RoomHost::close);
        if (proxy != null) {
            proxy.close();
        }
        if (dataDirBefore == null) {
            System.clearProperty(DataDirs.PROPERTY);
        } else {
            System.setProperty(DataDirs.PROPERTY, dataDirBefore);
        }
    }

    private RoomHost host(int port, Path history) throws Exception {
        var h = new RoomHost(
                HostConfig.defaults("Ops", port)
                        .withBindAddress(InetAddress.getLoopbackAddress())
                        .withHistoryFile(history),
                security,
                null);
        h.start();
        hosts.add(h);
        return h;
    }

    private MainWindow window(double dx) {
        return Fx.call(() -> {
            MainWindow w = new MainWindow(new Stage(), Settings.inMemory(), theme);
            w.setKnownRooms(new KnownRooms(home.resolve("known-rooms")));
            w.show();
            w.stage().setX(40 + dx);
            w.stage().setY(40);
            windows.add(w);
            return w;
        });
    }

    private void join(FxRobot robot, MainWindow w, InviteLink link, String nick) {
        Fx.run(() -> w.openJoinDialog(link));
        Fx.await("join dialog", 10, () -> robot.lookup("#nickField").tryQuery().isPresent());
        Fx.run(() -> robot.lookup("#nickField").queryAs(TextField.class).setText(nick));
        Fx.run(() -> robot.lookup("#joinButton").queryAs(Button.class).fire());
        Fx.await(nick + " in the room", 20, () -> w.room() != null);
    }

    private static void send(MainWindow w, String text) {
        Fx.run(() -> ((TextArea) in(w, "#input")).setText(text));
        Fx.run(() -> ((Button) in(w, "#sendButton")).fire());
    }

    private static List<ChatItem.Message> messages(MainWindow w) {
        return Fx.call(() -> w.room().messages().stream()
                .filter(i -> i instanceof ChatItem.Message)
                .map(i -> (ChatItem.Message) i)
                .toList());
    }

    private static long count(MainWindow w, String text) {
        return messages(w).stream().filter(m -> m.text().equals(text)).count();
    }

    private static ChatItem.Message message(MainWindow w, String text) {
        return messages(w).stream()
                .filter(m -> m.text().equals(text))
                .findFirst()
                .orElse(null);
    }

    private static RoomViewModel.State state(MainWindow w) {
        return Fx.call(() -> w.room().stateProperty().get());
    }

    private static Node in(MainWindow w, String selector) {
        return Fx.call(() -> w.stage().getScene().lookup(selector));
    }

    /** A node matching {@code selector} that is on screen (it and every ancestor visible): list cells keep hidden rows. */
    private static Node shown(MainWindow w, String selector) {
        return Fx.call(() -> w.stage().getScene().getRoot().lookupAll(selector).stream()
                .filter(n -> {
                    for (Node p = n; p != null; p = p.getParent()) {
                        if (!p.isVisible()) {
                            return false;
                        }
                    }
                    return true;
                })
                .findFirst()
                .orElse(null));
    }

    private static String text(MainWindow w, String selector) {
        return Fx.call(() -> ((Label) w.stage().getScene().lookup(selector)).getText());
    }

    @Test
    void aMemberWritesThroughADropAndAHostRestartAndEveryMessageArrivesOnce(FxRobot robot) throws Exception {
        Path history = home.resolve("ops.db");
        RoomHost h1 = host(0, history);
        int port = h1.port();
        proxy = new ChaosProxy(port);
        MainWindow alice = window(0);
        MainWindow bob = window(620);
        join(robot, alice, new InviteLink("127.0.0.1", port, h1.fingerprint()), "alice");
        join(robot, bob, new InviteLink("127.0.0.1", proxy.port(), h1.fingerprint()), "bob");
        send(alice, "before the drop");
        Fx.await("bob has alice's message", 20, () -> count(bob, "before the drop") == 1);
        send(bob, "bob was here");
        Fx.await(
                "bob's message delivered",
                20,
                () -> message(bob, "bob was here") != null
                        && message(bob, "bob was here").delivery() == MessageState.DELIVERED);

        // the link drops: bob's window counts down to the next attempt and keeps its composer
        proxy.down();
        Fx.await("bob reconnecting", 20, () -> state(bob) == RoomViewModel.State.RECONNECTING);
        assertThat(Fx.call(() -> in(bob, "#banner").isVisible())).isTrue();
        Fx.await(
                "a countdown in the banner",
                20,
                () -> text(bob, "#bannerTitle").matches("Connection lost — reconnecting in \\d+ s"));
        assertThat(Fx.call(() -> ((Button) in(bob, "#reconnectButton")).getText()))
                .isEqualTo("Retry now");
        assertThat(Fx.call(() -> bob.stage().getTitle())).isEqualTo("Ops (reconnecting…) — Confab");
        assertThat(Fx.call(() -> in(bob, "#input").isDisabled()))
                .as("offline writing")
                .isFalse();

        // the host stops (alice is told the room closed); bob writes meanwhile
        h1.close();
        Fx.await("alice told the room closed", 20, () -> state(alice) == RoomViewModel.State.DISCONNECTED);
        send(bob, "written while offline");
        Fx.await("the offline message shows as pending", 10, () -> message(bob, "written while offline") != null);
        assertThat(message(bob, "written while offline").delivery()).isEqualTo(MessageState.PENDING);
        Fx.await("a pending mark", 10, () -> shown(bob, ".delivery-mark.pending") != null);

        // the host comes back on the same port with the same history and key
        RoomHost h2 = host(port, history);
        assertThat(h2.roomId()).isEqualTo(h1.roomId());
        proxy.up();
        Fx.run(() -> ((Button) in(bob, "#reconnectButton")).fire()); // "Retry now"
        Fx.await("bob back", 30, () -> state(bob) == RoomViewModel.State.CONNECTED);
        assertThat(Fx.call(() -> in(bob, "#banner").isVisible())).isFalse();
        Fx.await("bob's offline message delivered", 20, () -> {
            ChatItem.Message m = message(bob, "written while offline");
            return m != null && !m.unconfirmed() && m.delivery() == MessageState.DELIVERED;
        });
        Fx.await("a delivered mark", 10, () -> shown(bob, ".delivery-mark.delivered") != null);

        // alice comes back with the banner's Reconnect and resumes where she was
        Fx.run(() -> ((Button) in(alice, "#reconnectButton")).fire());
        Fx.await("alice back", 30, () -> state(alice) == RoomViewModel.State.CONNECTED);
        Fx.await("alice has bob's offline message", 20, () -> count(alice, "written while offline") == 1);
        send(alice, "welcome back");
        Fx.await("bob has alice's new message", 20, () -> count(bob, "welcome back") == 1);
        for (MainWindow w : List.of(alice, bob)) {
            List<String> texts =
                    messages(w).stream().map(ChatItem.Message::text).toList();
            assertThat(texts)
                    .as("every message exactly once, in order")
                    .containsExactly("before the drop", "bob was here", "written while offline", "welcome back");
            List<Long> seqs = messages(w).stream().map(ChatItem.Message::seq).toList();
            assertThat(seqs).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void aReopenedWindowShowsThePastFromItsCacheAtOnceAndSearchFindsIt(FxRobot robot) throws Exception {
        Path history = home.resolve("lunch.db");
        RoomHost h1 = host(0, history);
        int port = h1.port();
        InviteLink link = new InviteLink("127.0.0.1", port, h1.fingerprint());
        MainWindow first = window(0);
        join(robot, first, link, "bob");
        send(first, "the soup was excellent");
        send(first, "see you at noon");
        Fx.await(
                "delivered",
                20,
                () -> message(first, "see you at noon") != null
                        && message(first, "see you at noon").delivery() == MessageState.DELIVERED);
        Fx.run(() -> first.stage().close()); // the app closes
        h1.close(); // and the host is away when it opens again

        MainWindow again = window(80);
        join(robot, again, link, "bob");
        assertThat(messages(again))
                .extracting(ChatItem.Message::text)
                .as("the past, from the cache, with no host to ask")
                .containsExactly("the soup was excellent", "see you at noon");
        assertThat(state(again)).isEqualTo(RoomViewModel.State.RECONNECTING);
        Fx.await("banner while the host is away", 20, () -> in(again, "#banner").isVisible());

        // search (Ctrl+F, type) finds the old message off the FX thread; a click scrolls to it
        Fx.run(() -> {
            again.stage().toFront();
            again.stage().requestFocus();
        });
        robot.clickOn(in(again, "#headerTitle"));
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        Fx.await("search field focused", 10, () -> in(again, "#searchField").isFocused());
        robot.write("soup");
        @SuppressWarnings("unchecked")
        ListView<ChatMessage> results = (ListView<ChatMessage>) in(again, "#searchResults");
        Fx.await(
                "a search result",
                20,
                () -> results.isVisible() && results.getItems().size() == 1);
        assertThat(Fx.call(() -> results.getItems().getFirst().text())).isEqualTo("the soup was excellent");
        assertThat(text(again, "#searchTitle")).isEqualTo("1 result for “soup”");
        Fx.run(() -> {
            results.getSelectionModel().select(0);
            results.getOnMouseClicked().handle(null);
        });
        @SuppressWarnings("unchecked")
        ListView<ChatItem> list = (ListView<ChatItem>) in(again, "#messageList");
        assertThat(Fx.call(() -> list.getSelectionModel().getSelectedItem() instanceof ChatItem.Message m
                        && m.text().equals("the soup was excellent")))
                .isTrue();
        robot.clickOn(in(again, "#searchField"));
        robot.type(KeyCode.ESCAPE);
        Fx.await(
                "search closed",
                10,
                () -> !in(again, "#searchPanel").isVisible()
                        && ((TextField) in(again, "#searchField")).getText().isEmpty());

        // the host returns: the room continues, nothing twice
        host(port, history);
        Fx.run(() -> ((Button) in(again, "#reconnectButton")).fire());
        Fx.await("connected", 30, () -> state(again) == RoomViewModel.State.CONNECTED);
        send(again, "back again");
        Fx.await(
                "delivered after the reopen",
                20,
                () -> message(again, "back again") != null
                        && message(again, "back again").delivery() == MessageState.DELIVERED);
        assertThat(messages(again))
                .extracting(ChatItem.Message::text)
                .containsExactly("the soup was excellent", "see you at noon", "back again");
    }
}
