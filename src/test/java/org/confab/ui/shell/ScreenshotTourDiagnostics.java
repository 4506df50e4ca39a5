package org.confab.ui.shell;

import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.net.discovery.FakeProbes;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * "Why can't I see a room?" over the start screen (docs/screenshots/diagnostics-*.png): light and
 * dark, the smallest, default and a large window. The report comes from made-up probes (a laptop on
 * a home Wi-Fi with a docker bridge, a room whose port does not answer, ufw without a rule for the
 * port): discovery stays off, nothing is sent.
 */
@Tag("ui")
@Tag("screenshots")
@EnabledIfSystemProperty(named = "confab.screenshots", matches = "true")
@ExtendWith(ApplicationExtension.class)
class ScreenshotTourDiagnostics {
    private Theme theme;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        settings.put("window.w", "1100");
        settings.put("window.h", "760");
        theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.setDiagnostics(FakeProbes.homeWifi());
        window.show();
    }

    @Test
    void diagnosticsLightAndDarkAtThreeSizes() throws Exception {
        record Shot(double w, double h, boolean dark, String name) {}
        for (Shot s : new Shot[] {
            new Shot(1100, 760, false, "diagnostics-light.png"),
            new Shot(1100, 760, true, "diagnostics-dark.png"),
            new Shot(760, 520, false, "diagnostics-min-light.png"),
            new Shot(760, 520, true, "diagnostics-min-dark.png"),
            new Shot(1600, 1000, false, "diagnostics-large-light.png"),
            new Shot(1600, 1000, true, "diagnostics-large-dark.png")
        }) {
            Fx.run(() -> {
                theme.setDark(s.dark());
                window.stage().setWidth(s.w());
                window.stage().setHeight(s.h());
            });
            Fx.run(window::openDiagnostics);
            Fx.await(
                    "the report",
                    10,
                    () -> panel() != null
                            && panel().lookup("#check-firewall") != null
                            && !panel().lookup("#diagnosticsCopy").isDisabled());
            Fx.run(() -> {
                var field = (TextField) panel().lookup("#diagnosticsAddress");
                field.setText("192.168.1.20");
                ((Button) panel().lookup("#diagnosticsRun")).fire();
            });
            Fx.await(
                    "the room's check",
                    10,
                    () -> panel().lookup("#check-room") != null
                            && !panel().lookup("#diagnosticsCopy").isDisabled());
            Fx.run(() -> {
                panel().getRoot().applyCss();
                panel().getRoot().layout();
                window.stage().getScene().getRoot().layout();
            });
            ScreenshotTourAbout.shootOver(
                    window.stage().getScene(), Fx.call(ScreenshotTourDiagnostics::panel), s.name());
            Fx.run(() -> panel().getWindow().hide());
        }
    }

    private static Scene panel() {
        return Window.getWindows().stream()
                .filter(w ->
                        w.isShowing() && w.getScene() != null && w.getScene().lookup("#diagnosticsDialog") != null)
                .map(Window::getScene)
                .findFirst()
                .orElse(null);
    }
}
