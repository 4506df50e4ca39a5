package org.confab.ui.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.stage.Stage;
import org.confab.ui.Fx;
import org.confab.ui.Png;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.emoji.EmojiPicker;
import org.confab.ui.emoji.EmojiText;
import org.confab.ui.emoji.PickerMemory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Messages with emoji and Markdown, and the picker, drawn in bubbles as the room shows them, light
 * and dark: written to target/screenshots/emoji-*.png (docs/screenshots has the ones looked at).
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class EmojiScreenshotsUiTest {
    static final List<String> MESSAGES = List.of(
            "Family photo \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66 from \uD83C\uDDE8\uD83C\uDDED"
                    + " and \uD83C\uDDEF\uD83C\uDDF5, waves \uD83D\uDC4B\uD83C\uDFFB\uD83D\uDC4B\uD83C\uDFFD\uD83D\uDC4B\uD83C\uDFFF,"
                    + " keycaps 1\uFE0F\u20E3 #\uFE0F\u20E3 and a \u2764\uFE0F",
            "\uD83C\uDF89\uD83E\uDD73",
            "**Release** is *tomorrow*, ~~Friday~~ \u2014 run `mvn verify` first:\n"
                    + "```bash\nxvfb-run -a mvn -B verify -Dtest='org.confab.ui.emoji.*Test' -Dsurefire.failIfNoSpecifiedTests=false\n```",
            "> the build is green \u2705\n> *ship it*\n\nTodo:\n- docs \uD83D\uDCDD\n- screenshots\n\n1. light\n2. dark",
            "See https://openjdk.org/projects/openjfx/ or <mailto:zoe@example.com>, join [our room](confab://192.168.1.20:7000),"
                    + " not https://xn--80ak6aa92e.com/login nor [click](javascript:alert(1))");

    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void lightAndDark() throws Exception {
        for (boolean dark : new boolean[] {false, true}) {
            String name = dark ? "dark" : "light";
            WritableImage shot = Fx.call(() -> {
                Theme theme = new Theme(Settings.inMemory());
                theme.setDark(dark);
                MarkdownText md = new MarkdownText(EmojiText.standard(), Font.font("Inter", 14), u -> {}, s -> {});
                VBox list = new VBox(10);
                list.setPadding(new Insets(16));
                Label nick = new Label();
                nick.getStyleClass().add("msg-name");
                EmojiText.standard().apply(nick, "zoe \uD83E\uDD8A");
                list.getChildren().add(nick);
                for (String m : MESSAGES) {
                    StackPane bubble = new StackPane(md.render(m));
                    bubble.getStyleClass().add("bubble");
                    bubble.setMaxWidth(520);
                    bubble.setStyle("-fx-background-color: -color-bg-subtle; -fx-background-radius: 12;"
                            + " -fx-padding: 8 13 8 13;");
                    HBox row = new HBox(bubble);
                    list.getChildren().add(row);
                }
                TextField composer = new TextField("Type :thu");
                Button pick = new Button("\u263A");
                HBox composerRow = new HBox(6, composer, pick);
                list.getChildren().add(composerRow);
                StackPane root = new StackPane(list);
                root.setStyle("-fx-background-color: -color-bg-default;");
                Scene scene = new Scene(root, 900, 900);
                theme.style(scene);
                scene.getStylesheets().add(EmojiText.stylesheet());
                stage.setScene(scene);
                stage.show();
                EmojiPicker picker = new EmojiPicker(EmojiText.standard(), PickerMemory.inMemory());
                Node content = picker.content();
                content.getStyleClass().add(dark ? "theme-dark" : "theme-light");
                ((VBox) content).getStylesheets().add(EmojiText.stylesheet());
                StackPane.setAlignment(content, Pos.BOTTOM_RIGHT);
                StackPane.setMargin(content, new Insets(16));
                ((VBox) content).setMaxSize(VBox.USE_PREF_SIZE, VBox.USE_PREF_SIZE);
                root.getChildren().add(content);
                root.applyCss();
                root.layout();
                return scene.snapshot(null);
            });
            Path file = Path.of("target/screenshots/emoji-" + name + ".png");
            Files.createDirectories(file.getParent());
            Png.write(shot, file);
            assertThat(Files.size(file)).isGreaterThan(10_000);
        }
    }
}
