package org.confab.ui.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.net.discovery.FakeProbes;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.shell.MainWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * "Why can't I see a room?" from the start screen: the checks appear (from made-up probes: nothing
 * is sent), a room address is checked too, the report is copied, Esc closes the panel.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class DiagnosticsUiTest {
    private final FakeProbes probes = FakeProbes.homeWifi();
    private MainWindow window;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        Theme theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.setDiagnostics(probes);
        window.show();
    }

    @AfterEach
    void close() {
        Fx.run(() -> {
            Scene s = panel();
            if (s != null) {
                s.getWindow().hide();
            }
            window.stage().close();
        });
    }

    private static Scene panel() {
        return Window.getWindows().stream()
                .filter(w ->
                        w.isShowing() && w.getScene() != null && w.getScene().lookup("#diagnosticsDialog") != null)
                .map(Window::getScene)
                .findFirst()
                .orElse(null);
    }

    private static Node in(String id) {
        Scene s = panel();
        return s == null ? null : s.lookup(id);
    }

    @Test
    void opensFromTheStartScreenShowsTheChecksAndCopiesTheReport(FxRobot robot) {
        Hyperlink link = Fx.call(() -> (Hyperlink) window.stage().getScene().lookup("#whyNoRoom"));
        assertThat(Fx.call(link::isFocusTraversable))
                .as("reachable by keyboard")
                .isTrue();
        robot.clickOn(link);
        Fx.await("the panel", 10, () -> panel() != null);
        Fx.await(
                "the checks",
                10,
                () -> in("#check-firewall") != null
                        && in("#diagnosticsCopy") != null
                        && !in("#diagnosticsCopy").isDisabled(),
                () -> "rows "
                        + ((VBox) in("#diagnosticsChecks"))
                                .getChildren().stream().map(Node::getId).toList() + " copy "
                        + in("#diagnosticsCopy").isDisabled());
        for (String id :
                new String[] {"#check-interfaces", "#check-addresses", "#check-multicast", "#check-firewall"}) {
            assertThat(Fx.call(() -> in(id))).as(id).isNotNull();
        }
        assertThat(Fx.call(() -> in("#check-room"))).as("no room asked for yet").isNull();
        assertThat(Fx.call(() -> in("#check-multicast").getStyleClass())).contains("ok");
        assertThat(Fx.call(() -> in("#check-firewall").getStyleClass())).contains("warning");
        assertThat(probes.reaches()).isZero();

        robot.clickOn(in("#diagnosticsAddress")).write("192.168.1.20").type(KeyCode.ENTER);
        Fx.await(
                "the room's check",
                10,
                () -> in("#check-room") != null && !in("#diagnosticsCopy").isDisabled(),
                () -> "address field: \"" + ((TextField) in("#diagnosticsAddress")).getText() + "\", error: "
                        + ((Label) in("#diagnosticsError")).getText() + ", reaches: " + probes.reaches());
        assertThat(Fx.call(() -> in("#check-room").getStyleClass())).contains("problem");
        assertThat(probes.reaches()).isEqualTo(1);

        robot.clickOn(in("#diagnosticsCopy"));
        String copied = Fx.call(() -> Clipboard.getSystemClipboard().getString());
        assertThat(copied)
                .startsWith("Confab ")
                .contains("[ok] Network interfaces: Looks for and announces rooms on wlp2s0 (192.168.1.42)")
                .contains("[problem] Room at 192.168.1.20:4747: No answer from 192.168.1.20:4747")
                .contains("What to do:")
                .contains("sudo ufw allow 4747/tcp");

        robot.type(KeyCode.ESCAPE);
        Fx.await("closed by Esc", 10, () -> panel() == null);
    }

    @Test
    void aBadAddressIsSaidAndChecksNothing(FxRobot robot) {
        Fx.run(window::openDiagnostics);
        Fx.await(
                "the checks",
                10,
                () -> in("#diagnosticsCopy") != null && !in("#diagnosticsCopy").isDisabled());
        robot.clickOn(in("#diagnosticsAddress")).write("192.168.1.20:99999").type(KeyCode.ENTER);
        Fx.await("the error", 10, () -> in("#diagnosticsError").isVisible());
        assertThat(probes.reaches()).isZero();
    }
}
