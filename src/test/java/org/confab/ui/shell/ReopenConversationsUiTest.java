package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.confab.core.InviteLink;
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
 * and rejoins it (new messages arrive); a room hosted in the closed window is not reopened.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class ReopenConversationsUiTest {
    private final Settings settings = Settings.inMemory();
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
        host = new MainWindow(stage, Settings.inMemory(), theme);
        host.setBindAddress(InetAddress.getLoopbackAddress());
        host.show();
    }

    @AfterEach
    void close() {
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
}
