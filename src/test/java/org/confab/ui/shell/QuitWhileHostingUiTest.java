package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.DialogPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Closing the window while hosting asks first (it used to close the room for everyone silently). */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class QuitWhileHostingUiTest {
    private MainWindow window;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        Theme theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.setBindAddress(InetAddress.getLoopbackAddress());
        window.show();
    }

    @AfterEach
    void close() {
        Fx.run(() -> window.stage().close());
    }

    private static DialogPane question() {
        return Window.getWindows().stream()
                .filter(w -> w.isShowing() && w.getScene().getRoot() instanceof DialogPane)
                .map(w -> (DialogPane) w.getScene().getRoot())
                .filter(p -> p.getScene().getWindow() instanceof Stage s
                                && "Quit and stop hosting?".equals(s.getTitle())
                        || p.getHeaderText() != null && p.getHeaderText().contains("Quit and stop hosting?")
                        || p.getContentText() != null && p.getContentText().contains("for everyone"))
                .findFirst()
                .orElse(null);
    }

    private void requestClose() {
        // as the window manager's close button does; later, because the question waits for an answer
        Platform.runLater(
                () -> window.stage().fireEvent(new WindowEvent(window.stage(), WindowEvent.WINDOW_CLOSE_REQUEST)));
    }

    @Test
    void closingAskedAndCancelledKeepsTheRoomThenConfirmedStopsIt(FxRobot robot) {
        HostFlow.host(robot, window, "Design", "alice");

        requestClose();
        Fx.await("asked", 10, () -> question() != null);
        assertThat(Fx.call(() -> question().getContentText()))
                .contains("“Design”")
                .contains("for everyone");
        Fx.run(() -> ((Button) question()
                        .lookupButton(question().getButtonTypes().stream()
                                .filter(b -> b.getButtonData() == ButtonBar.ButtonData.CANCEL_CLOSE)
                                .findFirst()
                                .orElseThrow()))
                .fire());
        Fx.await("question gone", 10, () -> question() == null);
        assertThat(Fx.call(() -> window.stage().isShowing()))
                .as("cancel keeps the window")
                .isTrue();
        assertThat(Fx.call(() -> window.conversations().size())).isEqualTo(1);

        requestClose();
        Fx.await("asked again", 10, () -> question() != null);
        Fx.run(() -> ((Button) question()
                        .lookupButton(question().getButtonTypes().stream()
                                .filter(b -> b.getButtonData() == ButtonBar.ButtonData.OK_DONE)
                                .findFirst()
                                .orElseThrow()))
                .fire());
        Fx.await("the window closed", 10, () -> !window.stage().isShowing());
    }
}
