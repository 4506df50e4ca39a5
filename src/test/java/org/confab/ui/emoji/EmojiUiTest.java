package org.confab.ui.emoji;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.confab.ui.Fx;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Emoji drawn as images in text, in labels, selected and copied; the picker; short code completion. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class EmojiUiTest {
    static final String FAMILY = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66";
    static final String WAVE_TONE = "\uD83D\uDC4B\uD83C\uDFFD";
    static final String FLAG = "\uD83C\uDDE8\uD83C\uDDED";
    static final String KEYCAP = "3\uFE0F\u20E3";
    static final Font FONT = Font.font("Inter", 14);

    private final EmojiText emoji = EmojiText.standard();
    private VBox root;
    private TextField field;

    @Start
    void start(Stage stage) {
        field = new TextField();
        root = new VBox(8, field);
        Scene scene = new Scene(root, 500, 400);
        scene.getStylesheets().add(EmojiText.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void sequencesBecomeOneImageEachAndTextStaysText() {
        String text = "Hi " + FAMILY + " from " + FLAG + " " + WAVE_TONE + " " + KEYCAP + " <b>x</b>";
        List<Node> nodes = Fx.call(() -> emoji.nodes(text, FONT, "bubble-text"));
        assertThat(nodes).filteredOn(n -> n instanceof EmojiView).hasSize(4);
        assertThat(nodes).allMatch(n -> n instanceof Text || n instanceof EmojiView);
        assertThat(nodes.getLast()).isInstanceOf(Text.class);
        assertThat(((Text) nodes.getLast()).getText()).isEqualTo(" <b>x</b>");
        assertThat(EmojiText.originalText(nodes)).isEqualTo(text);
        EmojiView family = (EmojiView) nodes.get(1);
        assertThat(family.text()).isEqualTo(FAMILY);
        assertThat(family.getFitHeight()).isEqualTo(14 * EmojiText.INLINE_SCALE);
        assertThat(family.getImage().isError()).isFalse();
        assertThat(family.getImage().getWidth()).isEqualTo(64);
    }

    @Test
    void emojiOnlyMessagesAreLarger() {
        List<Node> big = Fx.call(() -> emoji.messageNodes(WAVE_TONE + " " + FLAG, FONT));
        List<Node> small = Fx.call(() -> emoji.messageNodes("ok " + FLAG, FONT));
        assertThat(((EmojiView) big.getFirst()).getFitHeight()).isEqualTo(14 * EmojiText.LARGE_SCALE);
        assertThat(((EmojiView) small.getLast()).getFitHeight()).isEqualTo(14 * EmojiText.INLINE_SCALE);
    }

    @Test
    void emojiSitOnTheTextBaseline() {
        EmojiFlow flow = Fx.call(() -> {
            EmojiFlow f = new EmojiFlow();
            f.setContent(emoji.nodes("Agx " + WAVE_TONE + " yes", FONT));
            root.getChildren().add(f);
            return f;
        });
        Fx.run(() -> root.layout());
        double[] seen = Fx.call(() -> {
            Text first = (Text) flow.content().getFirst();
            EmojiView view = (EmojiView) flow.content().get(1);
            double textBaseline = first.getBoundsInParent().getMinY() + first.getBaselineOffset();
            double emojiTop = view.getBoundsInParent().getMinY();
            double emojiBottom = view.getBoundsInParent().getMaxY();
            return new double[] {textBaseline, emojiTop, emojiBottom, view.getFitHeight()};
        });
        // the image's bottom is a fifth of its height below the baseline, like a glyph's descent
        assertThat(seen[2] - seen[0]).isCloseTo(seen[3] * EmojiView.DESCENT, offset(1.0));
        assertThat(seen[1]).isGreaterThanOrEqualTo(0);
    }

    @Test
    void selectionCopiesTheOriginalCharacters() {
        String text = "a" + FAMILY + "b" + WAVE_TONE + "c";
        EmojiFlow flow = Fx.call(() -> {
            EmojiFlow f = new EmojiFlow();
            f.setContent(emoji.nodes(text, FONT));
            root.getChildren().add(f);
            return f;
        });
        Fx.run(() -> root.layout());
        assertThat(Fx.call(() -> {
                    flow.selectAll();
                    return flow.selectedText();
                }))
                .isEqualTo(text);
        // the flow counts each image as one character: "a", family, "b" = 0..3
        assertThat(Fx.call(() -> {
                    flow.select(1, 3);
                    return flow.selectedText();
                }))
                .isEqualTo(FAMILY + "b");
        assertThat(Fx.<String>call(flow::originalText)).isEqualTo(text);
        // the highlight covers the family image and the b (the flow's own shape for 1..3)
        assertThat(Fx.call(() -> flow.rangeShape(1, 3).length)).isGreaterThan(0);
    }

    @Test
    void labelsShowEmojiAsAGraphicAndPlainNamesAsText() {
        Label plain = new Label();
        Label named = new Label();
        Fx.run(() -> {
            emoji.apply(plain, "mallory");
            emoji.apply(named, "zoe " + WAVE_TONE);
            root.getChildren().addAll(plain, named);
        });
        assertThat(plain.getText()).isEqualTo("mallory");
        assertThat(plain.getGraphic()).isNull();
        assertThat(named.getText()).isNull();
        assertThat(named.getAccessibleText()).isEqualTo("zoe " + WAVE_TONE);
        assertThat(named.getGraphic()).isInstanceOf(HBox.class);
        assertThat(EmojiText.originalText(((HBox) named.getGraphic()).getChildren()))
                .isEqualTo("zoe " + WAVE_TONE);
    }

    @Test
    void pickerSearchesNavigatesAndRemembers(FxRobot robot) {
        PickerMemory memory = PickerMemory.inMemory();
        List<String> picked = new ArrayList<>();
        EmojiPicker picker = Fx.call(() -> {
            EmojiPicker p = new EmojiPicker(emoji, memory);
            p.show(field, picked::add);
            return p;
        });
        assertThat(Fx.call(picker::isShowing)).isTrue();
        assertThat(Fx.call(picker::category)).isEqualTo("Smileys & Emotion"); // nothing used yet
        Fx.run(() -> robot.lookup("#emojiSearch").queryAs(TextField.class).setText("thumbs"));
        assertThat(Fx.call(() -> picker.shown().getFirst().text())).isEqualTo("\uD83D\uDC4D");
        // Right then Enter picks the second result
        Emoji second = Fx.call(() -> picker.shown().get(1));
        Fx.run(() -> {
            press(picker.content(), KeyCode.RIGHT);
            press(picker.content(), KeyCode.ENTER);
        });
        assertThat(picked).containsExactly(second.text());
        assertThat(Fx.call(picker::isShowing)).isFalse();
        assertThat(memory.recent()).containsExactly(second.text());
        // skin tone: the tone's toggle tones the grid and is remembered
        Fx.run(() -> {
            picker.show(field, picked::add);
            robot.lookup("#emojiToneDARK").queryAs(ToggleButton.class).fire();
            robot.lookup("#emojiSearch").queryAs(TextField.class).setText("wave");
        });
        assertThat(memory.tone()).isEqualTo(SkinTone.DARK);
        assertThat(Fx.call(() -> picker.shown().getFirst().text())).isEqualTo("\uD83D\uDC4B\uD83C\uDFFF");
        Fx.run(() -> {
            robot.lookup("#emojiSearch").queryAs(TextField.class).clear();
            picker.showCategory(EmojiPicker.RECENT);
        });
        assertThat(Fx.call(() -> picker.shown().getFirst().text())).isEqualTo(second.text());
        Fx.run(() -> press(picker.content(), KeyCode.ESCAPE));
        assertThat(Fx.call(picker::isShowing)).isFalse();
    }

    @Test
    void ctrlPeriodOpensThePickerAndTheChoiceGoesInAtTheCaret() {
        EmojiPicker picker = Fx.call(() -> {
            EmojiPicker p = new EmojiPicker(emoji, PickerMemory.inMemory());
            p.attach(field, null);
            field.setText("ab");
            field.positionCaret(1);
            field.requestFocus();
            return p;
        });
        Fx.run(() ->
                field.fireEvent(new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.PERIOD, false, true, false, false)));
        assertThat(Fx.call(picker::isShowing)).isTrue();
        Fx.run(() -> picker.pick(EmojiIndex.standard().byShortCode("tada").orElseThrow()));
        assertThat(Fx.<String>call(field::getText)).isEqualTo("a\uD83C\uDF89b");
    }

    @Test
    void shortCodesComplete() {
        ShortcodeCompletion completion = Fx.call(() -> {
            ShortcodeCompletion c = ShortcodeCompletion.install(field, emoji);
            field.requestFocus();
            field.setText("nice :thu");
            field.positionCaret(field.getLength());
            return c;
        });
        assertThat(Fx.call(completion::isShowing)).isTrue();
        assertThat(Fx.call(completion::suggestions)).extracting(Emoji::text).contains("\uD83D\uDC4D");
        Fx.run(() -> press(field, KeyCode.ENTER));
        assertThat(Fx.<String>call(field::getText)).startsWith("nice ").doesNotContain(":thu");
        assertThat(Fx.call(completion::isShowing)).isFalse();
        // a whole code with its closing colon is replaced at once
        Fx.run(() -> {
            field.setText("ok :tada");
            field.positionCaret(field.getLength());
            field.insertText(field.getLength(), ":");
        });
        Fx.await("the code replaced", 5, () -> field.getText().equals("ok \uD83C\uDF89"), field::getText);
    }

    @Test
    void shortCodeQueries() {
        assertThat(ShortcodeCompletion.query(":thu", 4))
                .map(ShortcodeCompletion.Query::prefix)
                .hasValue("thu");
        assertThat(ShortcodeCompletion.query("at 10:30", 8)).isEmpty();
        assertThat(ShortcodeCompletion.query("see http://x", 12)).isEmpty();
        assertThat(ShortcodeCompletion.query("a :t", 4)).isEmpty(); // one letter is not enough
    }

    private static void press(Node target, KeyCode code) {
        target.fireEvent(new KeyEvent(KeyEvent.KEY_PRESSED, "", "", code, false, false, false, false));
    }
}
