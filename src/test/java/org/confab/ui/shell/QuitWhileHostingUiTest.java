package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.CheckBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import org.confab.net.RoomConnection;
import org.confab.net.RoomHost;
import org.confab.net.TestMember;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.notify.RecordingTray;
import org.confab.ui.notify.Tray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Closing the window while hosting asks: keep hosting in the tray, or stop hosting and quit (it
 * used to close the room for everyone silently). The answer can be remembered; the tray's menu
 * brings the window back and quits.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class QuitWhileHostingUiTest {
    private final Settings settings = Settings.inMemory();
    private MainWindow window;
    private RecordingTray tray;
    private int quits;
    private RoomConnection carol;

    @Start
    void start(Stage stage) {
        Theme theme = new Theme(settings);
        theme.install();
        window = open(stage, theme);
    }

    private MainWindow open(Stage stage, Theme theme) {
        MainWindow w = new MainWindow(stage, settings, theme);
        w.setBindAddress(InetAddress.getLoopbackAddress());
        w.setOnQuit(() -> quits++);
        w.show();
        return w;
    }

    @AfterEach
    void close() {
        if (carol != null) {
            carol.close();
        }
        Fx.run(() -> window.stage().close());
    }

    /** The close question, or null while none is shown. */
    private static DialogPane question() {
        return Window.getWindows().stream()
                .filter(w -> w.isShowing() && w.getScene().getRoot() instanceof DialogPane)
                .map(w -> (DialogPane) w.getScene().getRoot())
                .filter(p -> "closeWhileHosting".equals(p.getId())
                        || p.getHeaderText() != null && p.getHeaderText().startsWith("Quit and stop hosting"))
                .findFirst()
                .orElse(null);
    }

    private static void answer(ButtonBar.ButtonData which) {
        Fx.run(() -> ((Button) question()
                        .lookupButton(question().getButtonTypes().stream()
                                .filter(b -> b.getButtonData() == which)
                                .findFirst()
                                .orElseThrow()))
                .fire());
    }

    private void requestClose() {
        // as the window manager's close button does; later, because the question waits for an answer
        Platform.runLater(
                () -> window.stage().fireEvent(new WindowEvent(window.stage(), WindowEvent.WINDOW_CLOSE_REQUEST)));
    }

    private RoomHost host() {
        return Fx.call(() -> window.hostService().getValue().host());
    }

    private void useTray() {
        tray = new RecordingTray();
        Fx.run(() -> window.setTray(tray));
    }

    @Test
    void cancelKeepsTheWindowAndStopAndQuitEndsTheRoom(FxRobot robot) {
        HostFlow.host(robot, window, "Design", "alice");

        requestClose();
        Fx.await("asked", 10, () -> question() != null);
        assertThat(Fx.call(() -> question().getHeaderText())).isEqualTo("Keep hosting “Design”?");
        assertThat(Fx.call(() -> ((Label) question().lookup("#closeText")).getText()))
                .contains("closes “Design” for everyone")
                .contains("minimized"); // no tray here
        answer(ButtonBar.ButtonData.CANCEL_CLOSE);
        Fx.await("question gone", 10, () -> question() == null);
        assertThat(Fx.call(() -> window.stage().isShowing()))
                .as("cancel keeps the window")
                .isTrue();
        assertThat(Fx.call(() -> window.conversations().size())).isEqualTo(1);
        assertThat(host().isRunning()).isTrue();

        RoomHost host = host();
        requestClose();
        Fx.await("asked again", 10, () -> question() != null);
        answer(ButtonBar.ButtonData.NO);
        Fx.await("the window closed", 10, () -> !window.stage().isShowing());
        Fx.await("the room stopped", 10, () -> !host.isRunning());
        assertThat(quits).as("the app is told to end").isEqualTo(1);
        assertThat(settings.get(MainWindow.CLOSE_WHILE_HOSTING, "ask"))
                .as("not remembered unless asked to")
                .isEqualTo("ask");
        // the app's stop() after the window's own quit: nothing left to do, and no error (it once
        // handed the badge's close to an executor already shut down)
        Fx.run(window::shutdown);
    }

    @Test
    void keepHostingInTheTrayThenBackFromItsMenuThenQuitFromIt(FxRobot robot) throws Exception {
        useTray();
        HostFlow.host(robot, window, "Design", "alice");
        RoomHost host = host();

        requestClose();
        Fx.await("asked", 10, () -> question() != null);
        assertThat(Fx.call(() -> ((Button) question()
                                .lookupButton(question().getButtonTypes().getFirst()))
                        .getText()))
                .isEqualTo("Keep hosting in the tray");
        answer(ButtonBar.ButtonData.OK_DONE);
        Fx.await("the window went to the tray", 10, () -> !window.stage().isShowing());
        assertThat(quits).as("hiding in the tray is no quit").isZero();
        assertThat(host.isRunning()).isTrue();

        // the room runs on: carol joins and writes; the tray's menu lists it as unread
        int port = Fx.call(() -> window.hostService().getValue().self().port());
        carol = TestMember.join(port, "carol", host.fingerprint(), (e, c) -> {});
        carol.send("anyone there?");
        Fx.await(
                "the tray lists the unread message",
                20,
                () -> tray.unread().size() == 1 && tray.unread().getFirst().count() == 1,
                () -> tray.unread().toString());
        Tray.Unread u = tray.unread().getFirst();
        assertThat(u.name()).isEqualTo("Design");
        assertThat(u.mentioned()).isFalse();

        // its entry brings the window back on that conversation
        tray.open(u.key());
        Fx.await("the window is back", 10, () -> window.stage().isShowing());
        assertThat(Fx.call(() -> window.room().roomNameProperty().get())).isEqualTo("Design");
        assertThat(host.isRunning()).isTrue();

        // "Quit Confab" asks (rooms are hosted), then stops them and ends the app
        requestClose();
        Fx.await("asked again", 10, () -> question() != null);
        answer(ButtonBar.ButtonData.OK_DONE);
        Fx.await("in the tray again", 10, () -> !window.stage().isShowing());
        Platform.runLater(() -> tray.quit());
        Fx.await("asked to stop hosting", 10, () -> question() != null);
        answer(ButtonBar.ButtonData.OK_DONE);
        Fx.await("the room stopped", 10, () -> !host.isRunning());
        Fx.await("the window closed", 10, () -> !window.stage().isShowing());
        assertThat(quits).isEqualTo(1);
        assertThat(tray.closed()).as("the icon goes with the app").isTrue();
    }

    @Test
    void aRememberedChoiceIsNotAskedAgain(FxRobot robot) {
        useTray();
        HostFlow.host(robot, window, "Design", "alice");

        requestClose();
        Fx.await("asked", 10, () -> question() != null);
        Fx.run(() -> ((CheckBox) question().lookup("#rememberClose")).setSelected(true));
        answer(ButtonBar.ButtonData.OK_DONE);
        Fx.await("the window went to the tray", 10, () -> !window.stage().isShowing());
        assertThat(settings.get(MainWindow.CLOSE_WHILE_HOSTING, "ask")).isEqualTo("background");

        tray.open(null);
        Fx.await("the window is back", 10, () -> window.stage().isShowing());
        requestClose();
        Fx.await("to the tray without a question", 10, () -> !window.stage().isShowing());
        assertThat(question()).isNull();
        assertThat(host().isRunning()).isTrue();
        tray.open(null);
        Fx.await("the window is back", 10, () -> window.stage().isShowing());
    }
}
