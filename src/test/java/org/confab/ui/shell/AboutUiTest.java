package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.stage.Stage;
import org.confab.net.Version;
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

/**
 * "About Confab" from the status bar's ⋯ menu: the version, a line on what Confab is, and every
 * shipped library and asset with its licence; a credit's name opens its project in the browser.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class AboutUiTest {
    private final Settings settings = Settings.inMemory();
    private final List<String> opened = new CopyOnWriteArrayList<>();
    private MainWindow window;
    private Theme theme;

    @Start
    void start(Stage stage) {
        theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.setBrowser(opened::add);
        window.show();
    }

    @AfterEach
    void close() {
        Fx.run(() -> window.stage().close());
    }

    @Test
    void theMenuOpensAboutWithTheVersionAndTheCredits(FxRobot robot) {
        robot.clickOn("#appMenu");
        robot.clickOn("About Confab");
        Fx.await("about open", 10, () -> robot.lookup("#aboutDialog").tryQuery().isPresent());
        assertThat(Fx.call(
                        () -> robot.lookup("#aboutVersion").queryAs(Label.class).getText()))
                .isEqualTo("Confab " + Version.get());
        assertThat(robot.lookup(AboutDialog.TAGLINE).tryQuery()).isPresent();
        GridPane grid = robot.lookup("#aboutCredits").queryAs(GridPane.class);
        List<String> names = Fx.call(() -> grid.getChildren().stream()
                .filter(n -> n instanceof Hyperlink)
                .map(n -> ((Hyperlink) n).getText())
                .toList());
        List<String> texts = Fx.call(() -> grid.getChildren().stream()
                .filter(n -> n instanceof Label)
                .map(n -> ((Label) n).getText())
                .toList());
        assertThat(names)
                .contains(
                        "Twemoji",
                        "emoji-datasource-twitter 16.0.0",
                        "commonmark-java",
                        "JmDNS",
                        "AtlantaFX",
                        "Ikonli with Feather icons",
                        "ControlsFX",
                        "picocli",
                        "SQLite JDBC",
                        "Bouncy Castle");
        assertThat(texts).contains("CC-BY 4.0", "MIT", "BSD-2-Clause", "Apache-2.0", "BSD-3-Clause");
        // each name says its own licence beside it
        assertThat(AboutDialog.CREDITS)
                .filteredOn(c -> c.name().equals("Twemoji"))
                .singleElement()
                .satisfies(c -> assertThat(c.licence()).isEqualTo("CC-BY 4.0"));
        assertThat(AboutDialog.CREDITS)
                .filteredOn(c -> c.name().equals("commonmark-java"))
                .singleElement()
                .satisfies(c -> assertThat(c.licence()).isEqualTo("BSD-2-Clause"));
        // a name is a link to its project, opened as links in messages are
        Hyperlink twemoji = Fx.call(() -> grid.getChildren().stream()
                .filter(n -> n instanceof Hyperlink h && h.getText().equals("Twemoji"))
                .map(n -> (Hyperlink) n)
                .findFirst()
                .orElseThrow());
        Fx.run(twemoji::fire);
        assertThat(opened).containsExactly("https://github.com/jdecked/twemoji");
        robot.clickOn(robot.lookup("#aboutClose").queryAs(Button.class));
        Fx.await("closed", 10, () -> robot.lookup("#aboutDialog").tryQuery().isEmpty());
    }

    @Test
    void everyCreditIsADependencyOfTheBuildOrAShippedAsset() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        // the libraries named: each is in pom.xml
        for (String artifact : List.of(
                "commonmark",
                "jmdns",
                "atlantafx-base",
                "ikonli-javafx",
                "ikonli-feather-pack",
                "controlsfx",
                "picocli",
                "sqlite-jdbc",
                "bcpkix-jdk18on",
                "jackson-databind",
                "dbus-java-core",
                "slf4j-nop",
                "javafx-controls",
                "emoji-datasource-twitter")) {
            assertThat(pom).as(artifact).contains(artifact);
        }
        assertThat(AboutDialog.CREDITS).extracting(AboutDialog.Credit::url).allMatch(u -> u.startsWith("https://"));
    }
}
