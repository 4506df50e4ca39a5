package org.confab.ui.start;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.core.Fingerprint;
import org.confab.net.discovery.NetworkRoom;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
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
import org.testfx.util.WaitForAsyncUtils;

/**
 * The start screen's "Rooms on your network", fed by a fake source (no multicast): the empty state,
 * a room appearing, a click and Enter on a room that cannot be reached opening the Join dialog with
 * its address (not its announced key) and why, a room whose announced key differs from the trusted one shown with a warning, rooms going
 * away, and browsing stopping when the window closes.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class NetworkRoomsUiTest {
    private static final Fingerprint TRUSTED = FakeRoomSource.key("the real lab");
    private static final NetworkRoom DESIGN = FakeRoomSource.room(
            "Design team", "d1", FakeRoomSource.key("design"), true, 3, "alice", "192.168.1.20", 4747);
    private static final NetworkRoom LAB = FakeRoomSource.room(
            "Lab", "x1", FakeRoomSource.key("someone else"), false, 1, "mallory", "192.168.1.40", 4800);

    @TempDir
    static Path home;

    private int closedPort;
    private NetworkRoom nowhere;

    private final FakeRoomSource source = new FakeRoomSource();
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // a room announced where nothing listens: the join is refused
        }
        nowhere = FakeRoomSource.room(
                "Nowhere", "n1", FakeRoomSource.key("nowhere"), false, 1, null, "127.0.0.1", closedPort);
        Settings settings = Settings.inMemory();
        Theme theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        KnownRooms known = new KnownRooms(home.resolve("known-rooms-" + System.nanoTime()));
        known.trust("192.168.1.40", 4800, TRUSTED); // joined "Lab" before, with another key
        window.setKnownRooms(known);
        window.setRoomSource(source);
        window.show();
    }

    @AfterEach
    void close() {
        Fx.run(() -> {
            joinDialogs().forEach(Stage::close);
            window.stage().close();
        });
    }

    private static List<Stage> joinDialogs() {
        return Window.getWindows().stream()
                .filter(w -> w instanceof Stage
                        && w.isShowing()
                        && w.getScene() != null
                        && w.getScene().lookup("#hostField") != null)
                .map(w -> (Stage) w)
                .toList();
    }

    private List<Button> rows() {
        return window.stage().getScene().getRoot().lookupAll(".network-row").stream()
                .filter(Node::isVisible)
                .map(n -> (Button) n)
                .toList();
    }

    private Button row(String name) {
        return rows().stream()
                .filter(b -> b.lookupAll(".network-name").stream()
                        .anyMatch(l -> ((Label) l).getText().equals(name)))
                .findFirst()
                .orElse(null);
    }

    private String text(String id) {
        return ((Label) window.stage().getScene().lookup(id)).getText();
    }

    private String joinLabel(String id) {
        return ((Label) joinDialogs().getFirst().getScene().lookup(id)).getText();
    }

    private String joinField(String id) {
        return ((TextField) joinDialogs().getFirst().getScene().lookup(id)).getText();
    }

    @Test
    void roomsAppearJoinWithOneClickOrEnterAndGo(FxRobot robot) {
        Fx.await("browsing", 10, () -> source.openBrowses() == 1);
        Fx.await(
                "the empty state",
                10,
                () -> window.stage().getScene().lookup("#networkEmpty").isVisible()
                        && text("#networkEmptyTitle").equals("No rooms found on this network yet."));
        assertThat(Fx.call(() -> text("#networkEmptyText"))).contains("Ask the host for the invite link");

        source.rooms(List.of(DESIGN)); // from the test's thread, as the browser's own
        Fx.await("the room is listed", 10, () -> row("Design team") != null);
        Button design = Fx.call(() -> row("Design team"));
        assertThat(Fx.call(() -> design.lookup(".network-detail") instanceof Label l ? l.getText() : ""))
                .isEqualTo("Hosted by alice  ·  3 members  ·  192.168.1.20:4747  ·  password");
        assertThat(Fx.call(() -> design.lookup(".network-lock").isVisible())).isTrue();
        assertThat(Fx.call(() -> ((Label) design.lookup(".key-badge")).getText()))
                .isEqualTo("New");
        assertThat(Fx.call(
                        () -> window.stage().getScene().lookup("#networkEmpty").isVisible()))
                .isFalse();

        // one click joins at once (NetworkJoinUiTest); a room that cannot be reached opens the Join
        // dialog with its address (not its announced key), saying why
        source.rooms(List.of(DESIGN, nowhere));
        Fx.await("the unreachable room is listed", 10, () -> row("Nowhere") != null);
        Button gone = Fx.call(() -> row("Nowhere"));
        robot.clickOn(gone);
        Fx.await("join dialog", 20, () -> joinDialogs().size() == 1);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(Fx.call(() -> joinDialogs().size()))
                .as("one click, one dialog")
                .isOne();
        assertThat(Fx.call(() -> joinField("#hostField"))).isEqualTo("127.0.0.1");
        assertThat(Fx.call(() -> joinField("#portField"))).isEqualTo(Integer.toString(closedPort));
        assertThat(Fx.call(() -> joinLabel("#errorLabel"))).isNotBlank();
        Fx.run(() -> joinDialogs().forEach(Stage::close));

        // the keyboard: the row focused, Enter
        Fx.run(gone::requestFocus);
        Fx.await("row focused", 10, gone::isFocused);
        robot.type(KeyCode.ENTER);
        Fx.await("join dialog again", 20, () -> joinDialogs().size() == 1);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(Fx.call(() -> joinDialogs().size()))
                .as("one Enter, one dialog")
                .isOne();
        assertThat(Fx.call(() -> joinField("#hostField"))).isEqualTo("127.0.0.1");
        Fx.run(() -> joinDialogs().forEach(Stage::close));

        // a room announcing another key than the one trusted for its address: a warning
        source.rooms(List.of(DESIGN, LAB));
        Fx.await("the lab is listed", 10, () -> row("Lab") != null);
        Button lab = Fx.call(() -> row("Lab"));
        assertThat(Fx.call(() -> lab.getStyleClass())).contains("differs");
        assertThat(Fx.call(() -> ((Label) lab.lookup(".key-badge")).getText())).isEqualTo("Key changed");
        assertThat(Fx.call(() -> lab.getParent().lookup(".network-warning").isVisible()))
                .isTrue();
        assertThat(Fx.call(() -> ((Label) lab.getParent().lookup(".network-warning")).getText()))
                .startsWith("Warning")
                .contains("192.168.1.40:4800");
        assertThat(Fx.call(() -> design.getParent().lookup(".network-warning").isVisible()))
                .isFalse();
        assertThat(Fx.call(() -> row("Design team"))).as("kept, not rebuilt").isSameAs(design);

        // rooms close
        source.rooms(List.of(LAB));
        Fx.await("design gone", 10, () -> row("Design team") == null && rows().size() == 1);
        source.rooms(List.of());
        Fx.await(
                "empty again",
                10,
                () -> window.stage().getScene().lookup("#networkEmpty").isVisible());

        // the window closes: browsing stops
        Fx.run(() -> window.stage().close());
        Fx.await("browsing stopped", 10, () -> source.closes() == 1 && source.openBrowses() == 0);
    }

    @Test
    void aRowSaysJoiningWhileItsJoinRuns(FxRobot robot) throws Exception {
        // a listener that never answers: the join waits for its handshake timeout
        try (ServerSocket stalled = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            NetworkRoom slow = FakeRoomSource.room(
                    "Slow", "s1", FakeRoomSource.key("slow"), false, 2, "sam", "127.0.0.1", stalled.getLocalPort());
            Fx.await("browsing", 10, () -> source.openBrowses() == 1);
            source.rooms(List.of(slow));
            Fx.await("listed", 10, () -> row("Slow") != null);
            Button row = Fx.call(() -> row("Slow"));
            String before = Fx.call(() -> ((Label) row.lookup(".network-detail")).getText());
            assertThat(before).startsWith("Hosted by sam");
            robot.clickOn(row);
            assertThat(Fx.call(() -> ((Label) row.lookup(".network-detail")).getText()))
                    .isEqualTo("Joining…");
            assertThat(Fx.call(() -> joinDialogs().size())).isZero();
            Fx.await("the Join dialog, saying why", 40, () -> joinDialogs().size() == 1);
            Fx.await("the row as before", 10, () -> before.equals(((Label) row.lookup(".network-detail")).getText()));
        }
    }

    @Test
    void browsingStopsWhileARoomIsShownAndStartsAgainAfter(FxRobot robot) {
        Fx.await("browsing", 10, () -> source.openBrowses() == 1);
        Fx.run(() -> window.setBindAddress(InetAddress.getLoopbackAddress()));
        Fx.run(window::openHostDialog);
        Fx.await("host dialog", 10, () -> robot.lookup("#roomField").tryQuery().isPresent());
        Fx.run(() -> {
            robot.lookup("#roomField").queryAs(TextField.class).setText("Here");
            robot.lookup("#nickField").queryAs(TextField.class).setText("erin");
            robot.lookup("#portField").queryAs(TextField.class).setText("0");
            robot.lookup("#startButton").queryAs(Button.class).fire();
        });
        Fx.await(
                "room running",
                20,
                () -> "Enter room"
                        .equals(robot.lookup("#startButton")
                                .queryAs(Button.class)
                                .getText()));
        Fx.run(() -> robot.lookup("#startButton").queryAs(Button.class).fire());
        Fx.await("in the room", 10, () -> window.room() != null);
        Fx.await("browsing stopped", 10, () -> source.closes() == 1 && source.openBrowses() == 0);
        assertThat(Fx.call(window::startView)).isNull();

        Fx.run(window::leaveRoom);
        Fx.await("the start screen again, browsing", 10, () -> window.startView() != null && source.openBrowses() == 1);
        assertThat(source.browses()).isEqualTo(2);
    }
}
