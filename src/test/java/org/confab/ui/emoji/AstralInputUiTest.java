package org.confab.ui.emoji;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javafx.event.Event;
import javafx.scene.Scene;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.InputMethodEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.confab.ui.Fx;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Astral characters reach a composer whole, however the toolkit delivers them: as KEY_TYPED with
 * the whole string, as GTK glass delivers them cut to 16 bits (U+1F44B as U+F44B), as two
 * surrogate halves, as an input method's commit, and pasted.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class AstralInputUiTest {
    static final String WAVE = "\uD83D\uDC4B"; // 👋 U+1F44B
    static final String THINKING = "\uD83E\uDD14"; // 🤔 U+1F914 (falls on a CJK compatibility ideograph)
    private TextArea area;
    private TextArea plain;

    @Start
    void start(Stage stage) {
        area = new TextArea();
        plain = new TextArea();
        AstralInput.install(area);
        stage.setScene(new Scene(new VBox(area, plain), 400, 300));
        stage.show();
    }

    private static void type(TextArea target, String character) {
        Event.fireEvent(
                target, new KeyEvent(KeyEvent.KEY_TYPED, character, "", KeyCode.UNDEFINED, false, false, false, false));
    }

    @Test
    void glassCutsAstralKeysTo16BitsWithoutTheRepair() {
        // what WindowContext::process_key sends for keyval 0x101F44B: (jchar) 0x1F44B
        String delivered = String.valueOf((char) 0x1F44B);
        assertThat(delivered).isEqualTo("\uF44B");
        Fx.run(() -> type(plain, delivered));
        assertThat(Fx.<String>call(plain::getText)).isEqualTo("\uF44B"); // the bug, as a person saw it
    }

    @Test
    void truncatedEmojiKeysArriveWhole() {
        Fx.run(() -> {
            type(area, "hi ");
            type(area, String.valueOf((char) 0x1F44B));
            type(area, String.valueOf((char) 0x1F914));
            type(area, String.valueOf((char) 0x1F3FD)); // a skin tone modifier alone
        });
        assertThat(Fx.<String>call(area::getText)).isEqualTo("hi " + WAVE + THINKING + "\uD83C\uDFFD");
    }

    @Test
    void wholeStringsAndSurrogateHalvesArriveWhole() {
        Fx.run(() -> {
            type(area, WAVE);
            type(area, "\uD83D");
            type(area, "\uDE00");
            type(area, "\u00E9"); // BMP text as it was
            type(area, "\uE000"); // a private-use character that is no emoji in plane 1 stays
        });
        assertThat(Fx.<String>call(area::getText)).isEqualTo(WAVE + "\uD83D\uDE00\u00E9\uE000");
    }

    @Test
    void inputMethodCommitsArriveWhole() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
        Fx.run(() -> Event.fireEvent(
                area, new InputMethodEvent(InputMethodEvent.INPUT_METHOD_TEXT_CHANGED, List.of(), family, 0)));
        assertThat(Fx.<String>call(area::getText)).isEqualTo(family);
    }

    @Test
    void pastedAstralTextStaysWhole() {
        String text = "flag \uD83C\uDDFA\uD83C\uDDE6 " + WAVE + "\uD83C\uDFFD 𠮷";
        Fx.run(() -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(text);
            Clipboard.getSystemClipboard().setContent(c);
            area.requestFocus();
            area.paste();
        });
        assertThat(Fx.<String>call(area::getText)).isEqualTo(text);
    }

    @Test
    void repairOnlyTouchesEmojiThatLostTheirPlane() {
        assertThat(AstralInput.repair("\uF44B")).isEqualTo(WAVE);
        assertThat(AstralInput.repair("a")).isEqualTo("a");
        assertThat(AstralInput.repair("\uF8FF")).isEqualTo("\uF8FF"); // U+1F8FF is no emoji
        assertThat(AstralInput.repair("\u4E2D")).isEqualTo("\u4E2D"); // 中
        assertThat(AstralInput.repair(WAVE)).isEqualTo(WAVE);
    }
}
