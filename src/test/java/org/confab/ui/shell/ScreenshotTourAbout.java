package org.confab.ui.shell;

import java.nio.file.Path;
import javafx.scene.Group;
import javafx.scene.Scene;
import javafx.scene.effect.DropShadow;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.ui.Fx;
import org.confab.ui.Png;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Screenshots of "About Confab" over the start screen, light and dark (docs/screenshots/make.sh). */
@Tag("ui")
@Tag("screenshots")
@EnabledIfSystemProperty(named = "confab.screenshots", matches = "true")
@ExtendWith(ApplicationExtension.class)
class ScreenshotTourAbout {
    private static final Path OUT = Path.of(System.getProperty("confab.screenshots.dir", "docs/screenshots"));
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
        window.show();
    }

    @Test
    void aboutLightAndDark() throws Exception {
        for (boolean dark : new boolean[] {false, true}) {
            Fx.run(() -> theme.setDark(dark));
            Fx.run(window::openAbout);
            Fx.await("about open", 10, () -> aboutScene() != null);
            Fx.run(() -> aboutScene().getRoot().layout());
            shootOver(
                    window.stage().getScene(),
                    Fx.call(ScreenshotTourAbout::aboutScene),
                    dark ? "about-dark.png" : "about-light.png");
            Fx.run(() -> aboutScene().getWindow().hide());
        }
    }

    private static Scene aboutScene() {
        return Window.getWindows().stream()
                .filter(w ->
                        w.isShowing() && w.getScene() != null && w.getScene().lookup("#aboutDialog") != null)
                .map(Window::getScene)
                .findFirst()
                .orElse(null);
    }

    /**
     * The dialog over its dimmed owner, as a person sees it (Xvfb has no window manager to draw it).
     * Also used by {@link ScreenshotTourDiagnostics}.
     */
    static void shootOver(Scene owner, Scene dialog, String name) throws Exception {
        var image = Fx.call(() -> {
            var back = owner.snapshot(null);
            var front = dialog.snapshot(null);
            var dim = new Region();
            dim.setStyle("-fx-background-color: rgba(12, 10, 30, 0.42);");
            var frontView = new ImageView(front);
            var clip = new Rectangle(front.getWidth(), front.getHeight());
            clip.setArcWidth(22);
            clip.setArcHeight(22);
            frontView.setClip(clip);
            var card = new Group(frontView);
            card.setEffect(new DropShadow(48, 0, 14, Color.rgb(0, 0, 0, 0.45)));
            var stack = new StackPane(new ImageView(back), dim, card);
            stack.setPrefSize(back.getWidth(), back.getHeight());
            new Scene(stack);
            stack.applyCss();
            stack.layout();
            return stack.snapshot(null, null);
        });
        Png.write(image, OUT.resolve(name));
        System.out.println("screenshot: " + OUT.resolve(name).toAbsolutePath());
    }
}
