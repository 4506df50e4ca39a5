package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.confab.net.RoomConnection;
import org.confab.net.RoomHost;
import org.confab.net.TestMember;
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
 * The joined conversations come back when the app starts again: a window that joined a room is
 * closed; a new window on the same settings shows that room at once, from this member's cache,
 * and rejoins it (new messages arrive); a room hosted in the closed window is hosted again only if
 * the person chose so for it.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class ReopenConversationsUiTest {
    private final Settings settings = Settings.inMemory();
    private final Settings hostSettings = Settings.inMemory();
    private RoomConnection carol;
    private MainWindow host;
    private MainWindow alice;
    private MainWindow again;
    private Theme theme;

    @TempDir
    Path home;

    @Start
    void start(Stage stage) {
        theme = new Theme(Settings.inMemory());
        theme.install();
        host = new MainWindow(stage, hostSettings, theme);
        host.setBindAddress(InetAddress.getLoopbackAddress());
        host.show();
    }

    @AfterEach
    void close() {
        if (carol != null) {
            carol.close();
        }
        Fx.run(() -> {
            for (MainWindow w : new MainWindow[] {again, alice, host}) {
                if (w != null && w.stage().isShowing()) {
                    w.stage().close();
                }
            }
        });
    }

    private static List<String> texts(RoomViewModel vm) {
        return Fx.call(() -> vm.messages().stream()
                .filter(i -> i instanceof ChatItem.Message)
                .map(i -> ((ChatItem.Message) i).text())
                .toList());
    }

    private static void say(MainWindow w, String text) {
        Fx.run(() -> {
            ((TextArea) w.stage().getScene().lookup("#input")).setText(text);
            ((Button) w.stage().getScene().lookup("#sendButton")).fire();
        });
    }

    @Test
    void theJoinedConversationsReopenWithTheirHistoryAndRejoin(FxRobot robot) {
        HostFlow.host(robot, host, "Ops", "bob");
        InviteLink ops = Fx.call(() -> host.room().address());

        Fx.run(() -> {
            alice = new MainWindow(new Stage(), settings, theme);
            alice.setKnownRooms(new KnownRooms(home.resolve("known-rooms")));
            alice.setBindAddress(InetAddress.getLoopbackAddress());
            alice.show();
            alice.openJoinDialog(ops);
        });
        Fx.await("join dialog", 10, () -> robot.lookup("#joinButton").tryQuery().isPresent());
        Fx.run(() -> {
            robot.lookup("#nickField").queryAs(TextField.class).setText("alice");
            robot.lookup("#joinButton").queryAs(Button.class).fire();
        });
        Fx.await("alice in Ops", 20, () -> alice.room() != null);
        say(host, "the deploy is at 3");
        Fx.await("alice has it", 20, () -> texts(alice.room()).contains("the deploy is at 3"));

        // the window closes (the app quits); bob writes meanwhile
        Fx.run(() -> alice.stage().close());
        say(host, "moved to 4");

        // the next start, on the same settings: Ops is back at once, from the cache, then live
        Fx.run(() -> {
            again = new MainWindow(new Stage(), settings, theme);
            again.setKnownRooms(new KnownRooms(home.resolve("known-rooms")));
            again.show();
        });
        Fx.await("Ops reopened", 10, () -> again.conversations().size() == 1);
        RoomViewModel reopened = Fx.call(() -> again.room());
        assertThat(Fx.call(() -> reopened.roomNameProperty().get())).isEqualTo("Ops");
        assertThat(texts(reopened)).contains("the deploy is at 3");
        Fx.await("rejoined", 20, () -> reopened.stateProperty().get() == RoomViewModel.State.CONNECTED);
        Fx.await("what was written meanwhile arrives", 20, () -> texts(reopened).contains("moved to 4"));
        assertThat(texts(reopened)).as("once each").containsOnlyOnce("the deploy is at 3", "moved to 4");
        say(again, "back");
        Fx.await("bob hears alice again", 20, () -> texts(host.room()).contains("back"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static DialogPane dialog(String header) {
        return Window.getWindows().stream()
                .filter(w -> w.isShowing() && w.getScene().getRoot() instanceof DialogPane)
                .map(w -> (DialogPane) w.getScene().getRoot())
                .filter(p -> header.equals(p.getHeaderText()))
                .findFirst()
                .orElse(null);
    }

    @Test
    void aHostedRoomMarkedSoIsHostedAgainOnTheSamePortWithItsHistory(FxRobot robot) throws Exception {
        int port = freePort();
        HostFlow.host(robot, host, "Standup", "bob", port);
        say(host, "agenda: the demo");
        Fx.await("said", 20, () -> texts(host.room()).contains("agenda: the demo"));
        Fingerprint key = Fx.call(() -> host.room().fingerprintProperty().get());

        // the person ticks "Host again when Confab starts" in the room's menu in the rail
        robot.rightClickOn(Fx.call(() -> host.stage().getScene().lookup(".conversation-row")));
        Fx.await(
                "the room's menu",
                10,
                () -> robot.lookup("Host again when Confab starts").tryQuery().isPresent());
        robot.clickOn("Host again when Confab starts");
        Fx.await(
                "remembered",
                10,
                () -> hostSettings.get(MainWindow.CONVERSATIONS, "").startsWith("host\t" + port + "\tbob\tStandup"),
                () -> hostSettings.get(MainWindow.CONVERSATIONS, ""));

        // quit: stop hosting (the close question), the room ends for now
        RoomHost before = Fx.call(() -> host.hostService().getValue().host());
        Platform.runLater(
                () -> host.stage().fireEvent(new WindowEvent(host.stage(), WindowEvent.WINDOW_CLOSE_REQUEST)));
        Fx.await("asked", 10, () -> dialog("Keep hosting “Standup”?") != null);
        Fx.run(() -> ((Button) dialog("Keep hosting “Standup”?")
                        .lookupButton(dialog("Keep hosting “Standup”?").getButtonTypes().stream()
                                .filter(b -> b.getButtonData() == ButtonBar.ButtonData.NO)
                                .findFirst()
                                .orElseThrow()))
                .fire());
        Fx.await("stopped", 10, () -> !before.isRunning());

        // the next start hosts it again: same port, same key, its history, members can come back
        Fx.run(() -> {
            again = new MainWindow(new Stage(), hostSettings, theme);
            again.setBindAddress(InetAddress.getLoopbackAddress());
            again.show();
        });
        Fx.await("Standup hosted again", 20, () -> again.conversations().size() == 1 && again.hostedPort() == port);
        RoomViewModel standup = Fx.call(() -> again.room());
        assertThat(Fx.call(() -> standup.roomNameProperty().get())).isEqualTo("Standup");
        assertThat(texts(standup)).contains("agenda: the demo");
        carol = TestMember.join(port, "carol", key, (e, c) -> {});
        carol.send("I'm back");
        Fx.await("carol is heard", 20, () -> texts(standup).contains("I'm back"));
        assertThat(hostSettings.get(MainWindow.CONVERSATIONS, ""))
                .as("still marked for the start after")
                .startsWith("host\t" + port + "\tbob\tStandup");
    }

    @Test
    void aRoomThatCannotBeHostedAgainSaysWhyAndIsDropped() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            hostSettings.put(MainWindow.CONVERSATIONS, "host\t" + taken.getLocalPort() + "\tbob\tBusy\n");
            Fx.run(() -> {
                again = new MainWindow(new Stage(), hostSettings, theme);
                again.setBindAddress(InetAddress.getLoopbackAddress());
                again.show();
            });
            Fx.await("told why", 20, () -> dialog("Could not host “Busy” again") != null);
            assertThat(Fx.call(() -> dialog("Could not host “Busy” again").getContentText()))
                    .contains(Integer.toString(taken.getLocalPort()))
                    .doesNotContain("Exception");
            assertThat(Fx.call(() -> again.conversations())).isEmpty();
            assertThat(hostSettings.get(MainWindow.CONVERSATIONS, "")).isEmpty();
            Fx.run(() ->
                    ((Stage) dialog("Could not host “Busy” again").getScene().getWindow()).close());
        }
    }
}
