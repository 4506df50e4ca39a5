package org.confab.ui.emoji;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javafx.scene.Node;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import org.junit.jupiter.api.Test;

/**
 * Direction controls in a peer's text (embeddings, overrides, isolates) are shown as markers and
 * never obeyed: "invoice[RLO]gpj.exe" must not read "invoiceexe.jpg", and wrapped right-to-left
 * runs from an override are where JavaFX's text layout fails. Copy still gives the original.
 */
class BidiMarksTest {
    @Test
    void controlsBecomeMarkersThatCopyBack() {
        String text = "invoice\u202Egpj.exe \u2067isolated\u2069 and \u202Aembedded\u202C";
        List<Node> nodes = EmojiText.standard().nodes(text, Font.font(13));
        String shown =
                String.join("", nodes.stream().map(n -> ((Text) n).getText()).toList());
        assertThat(shown)
                .isEqualTo("invoice[U+202E]gpj.exe [U+2067]isolated[U+2069] and [U+202A]embedded[U+202C]")
                .doesNotContain("\u202E", "\u2067", "\u2069", "\u202A", "\u202C");
        assertThat(EmojiText.originalText(nodes)).isEqualTo(text);
        assertThat(nodes)
                .filteredOn(n -> n.getStyleClass().contains("bidi-mark"))
                .hasSize(5);
        assertThat(EmojiText.bidiRuns("plain")).containsExactly("plain");
        assertThat(EmojiText.bidiRuns("")).containsExactly("");
        assertThat(EmojiText.bidiRuns("\u202E")).containsExactly("\u202E");
    }
}
