package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.HostSecurity;
import org.confab.net.RoomHost;
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
 * The room goes away under a member: the banner says why, the composer is disabled, the title
 * says "(disconnected)"; when the host is back, "Reconnect" joins again with the same values.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class DisconnectUiTest {
    private MainWindow window;
    private RoomHost host;
    /** One room identity for both runs of the host: it comes back with the same key. */
    private final HostSecurity security = HostSecurity.ephemeral();

    @TempDir
    Path home;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        Theme theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.setKnownRooms(new KnownRooms(home.resolve("known-rooms")));
        window.show();
    }

    @AfterEach
    void stop() {
        Fx.run(window::leaveRoom);
        if (host != null) {
            host.close();
        }
    }

    private RoomHost startHost(int port) throws Exception {
        var h = new RoomHost(
                HostConfig.defaults("Ops", port).withBindAddress(InetAddress.getLoopbackAddress()), security, null);
        h.start();
        return h;
    }

    @Test
    void bannerOnDropAndReconnect(FxRobot robot) throws Exception {
        host = startHost(0);
        int port = host.port();
        Fx.run(() -> window.openJoinDialog(new InviteLink("127.0.0.1", port, host.fingerprint())));
        Fx.await("join dialog", 10, () -> robot.lookup("#nickField").tryQuery().isPresent());
        Fx.run(() -> robot.lookup("#nickField").queryAs(TextField.class).setText("dave"));
        robot.clickOn("#joinButton");
        Fx.await("in the room", 20, () -> window.room() != null);
        assertThat(Fx.call(() -> node("#banner").isVisible())).isFalse();

        host.close(); // members are told the room closed
        Fx.await("disconnected", 20, () -> window.room().stateProperty().get() == RoomViewModel.State.DISCONNECTED);
        assertThat(Fx.call(() -> node("#banner").isVisible())).isTrue();
        assertThat(Fx.call(() -> ((Label) node("#bannerText")).getText())).contains("closed the room");
        assertThat(Fx.call(() -> node("#input").isDisabled())).isTrue();
        assertThat(Fx.call(() -> window.stage().getTitle())).isEqualTo("Ops (disconnected) — Confab");

        host = startHost(port); // same key: the reconnect reuses the pinned key, no question
        robot.clickOn("#reconnectButton");
        Fx.await("reconnected", 20, () -> window.room().stateProperty().get() == RoomViewModel.State.CONNECTED);
        assertThat(Fx.call(() -> node("#banner").isVisible())).isFalse();
        assertThat(Fx.call(() -> node("#input").isDisabled())).isFalse();
        assertThat(Fx.call(() -> window.stage().getTitle())).isEqualTo("Ops — Confab");
        assertThat(host.members()).containsExactly("dave");
        Fx.run(() -> ((TextArea) node("#input")).setText("back"));
        Fx.run(() -> ((Button) node("#sendButton")).fire());
        Fx.await(
                "message after reconnect",
                10,
                () -> window.room().messages().stream()
                        .anyMatch(
                                i -> i instanceof ChatItem.Message m && m.text().equals("back")));
    }

    private Node node(String id) {
        return window.stage().getScene().lookup(id);
    }
}
