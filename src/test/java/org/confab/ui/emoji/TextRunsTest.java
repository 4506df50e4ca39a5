package org.confab.ui.emoji;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javafx.scene.Node;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import org.junit.jupiter.api.Test;

/**
 * Long text runs are drawn in Text nodes of at most {@link EmojiText#MAX_RUN} characters (JavaFX's
 * complex-shaping layout grows with the square of a Text's length: a zero-width-joiner flood froze
 * the window), cut at spaces or between grapheme clusters, and give back the original text.
 */
class TextRunsTest {
    @Test
    void shortRunsStayWhole() {
        assertThat(EmojiText.chunks("")).containsExactly("");
        assertThat(EmojiText.chunks("a".repeat(EmojiText.MAX_RUN))).hasSize(1);
    }

    @Test
    void longRunsAreCutAtSpacesIntoBoundedPieces() {
        String text = "abcdefg ".repeat(2_000);
        List<String> pieces = EmojiText.chunks(text);
        assertThat(String.join("", pieces)).isEqualTo(text);
        assertThat(pieces).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(EmojiText.MAX_RUN));
        assertThat(pieces.subList(0, pieces.size() - 1))
                .allSatisfy(p -> assertThat(p).endsWith(" "));
    }

    @Test
    void aLongWordIsCutBetweenGraphemeClusters() {
        // a zero-width non-joiner flood, combining accents and astral letters: never a half of a cluster or pair
        for (String unit : List.of("abcdefg\u200C", "e\u0301", "\uD842\uDFB7", "a\u200D")) {
            String text = unit.repeat(1_000);
            List<String> pieces = EmojiText.chunks(text);
            assertThat(String.join("", pieces)).isEqualTo(text);
            assertThat(pieces).hasSizeGreaterThan(1);
            for (String p : pieces) {
                assertThat(p.length()).isLessThanOrEqualTo(EmojiText.MAX_RUN);
                assertThat(Character.isLowSurrogate(p.charAt(0))).isFalse();
                assertThat(Character.getType(p.charAt(0))).isNotEqualTo((int) Character.NON_SPACING_MARK);
            }
        }
    }

    @Test
    void aClusterLongerThanTheLimitStaysWhole() {
        String zalgo = "x" + "\u0301".repeat(300) + "y";
        List<String> pieces = EmojiText.chunks(zalgo);
        assertThat(String.join("", pieces)).isEqualTo(zalgo);
        assertThat(pieces.getFirst()).startsWith("x\u0301").hasSize(301);
    }

    @Test
    void nodesOfALongMessageAreBoundedAndCopyBackWhole() {
        String text = "hi \uD83D\uDC4B " + "abcdefg\u200C".repeat(2_000);
        List<Node> nodes = EmojiText.standard().nodes(text, Font.font(13));
        assertThat(nodes)
                .filteredOn(Text.class::isInstance)
                .allSatisfy(n -> assertThat(((Text) n).getText().length()).isLessThanOrEqualTo(EmojiText.MAX_RUN));
        assertThat(EmojiText.originalText(nodes)).isEqualTo(text);
    }
}
