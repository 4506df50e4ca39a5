package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.confab.ui.room.ComposerFormat.Edit;
import org.confab.ui.room.ComposerFormat.Style;
import org.junit.jupiter.api.Test;

/** Ctrl+B / Ctrl+I / Ctrl+E as text edits: wrap, unwrap, an empty pair, spaces and lines. */
class ComposerFormatTest {
    @Test
    void wrapsTheSelectionAndKeepsItSelected() {
        assertThat(ComposerFormat.apply("ship it now", 5, 7, Style.BOLD)).isEqualTo(new Edit("ship **it** now", 7, 9));
        assertThat(ComposerFormat.apply("ship it now", 5, 7, Style.ITALIC)).isEqualTo(new Edit("ship _it_ now", 6, 8));
        assertThat(ComposerFormat.apply("run mvn test", 4, 12, Style.CODE))
                .isEqualTo(new Edit("run `mvn test`", 5, 13));
    }

    @Test
    void noSelectionInsertsThePairWithTheCaretInside() {
        assertThat(ComposerFormat.apply("a ", 2, 2, Style.BOLD)).isEqualTo(new Edit("a ****", 4, 4));
        assertThat(ComposerFormat.apply("", 0, 0, Style.ITALIC)).isEqualTo(new Edit("__", 1, 1));
        assertThat(ComposerFormat.apply("xy", 1, 1, Style.CODE)).isEqualTo(new Edit("x``y", 2, 2));
    }

    @Test
    void theSameShortcutAgainTakesTheMarkersAway() {
        Edit bold = ComposerFormat.apply("ship it now", 5, 7, Style.BOLD);
        assertThat(ComposerFormat.apply(bold.text(), bold.start(), bold.end(), Style.BOLD))
                .isEqualTo(new Edit("ship it now", 5, 7));
        // the selection may include the markers
        assertThat(ComposerFormat.apply("ship **it** now", 5, 11, Style.BOLD)).isEqualTo(new Edit("ship it now", 5, 7));
        assertThat(ComposerFormat.apply("a *b* c", 3, 4, Style.ITALIC)).isEqualTo(new Edit("a b c", 2, 3));
        assertThat(ComposerFormat.apply("a `b` c", 2, 5, Style.CODE)).isEqualTo(new Edit("a b c", 2, 3));
    }

    @Test
    void italicInsideBoldWrapsInsteadOfUnwrapping() {
        // "**it**" is bold, not "*it*" in stars
        assertThat(ComposerFormat.apply("**it**", 2, 4, Style.ITALIC)).isEqualTo(new Edit("**_it_**", 3, 5));
    }

    @Test
    void spacesAtTheEdgesStayOutsideTheMarkers() {
        assertThat(ComposerFormat.apply("say hello there", 3, 10, Style.BOLD))
                .isEqualTo(new Edit("say **hello** there", 6, 11));
        // only spaces: nothing changes
        assertThat(ComposerFormat.apply("a   b", 1, 4, Style.BOLD)).isEqualTo(new Edit("a   b", 1, 4));
    }

    @Test
    void italicInsideAWordUsesStars() {
        assertThat(ComposerFormat.apply("unbelievable", 2, 8, Style.ITALIC))
                .isEqualTo(new Edit("un*believ*able", 3, 9));
    }

    @Test
    void linesOfCodeBecomeAFencedBlock() {
        String text = "look:\nint a;\nint b;\nok";
        Edit e = ComposerFormat.apply(text, 6, 19, Style.CODE);
        assertThat(e.text()).isEqualTo("look:\n```\nint a;\nint b;\n```\nok");
        assertThat(e.text().substring(e.start(), e.end())).isEqualTo("int a;\nint b;");
        Edit inline = ComposerFormat.apply("x = a\nb", 4, 7, Style.CODE);
        assertThat(inline.text()).isEqualTo("x = \n```\na\nb\n```");
    }

    @Test
    void outOfRangeSelectionsAreClamped() {
        assertThat(ComposerFormat.apply("ab", 5, 9, Style.BOLD)).isEqualTo(new Edit("ab****", 4, 4));
        assertThat(ComposerFormat.apply("ab", 1, -3, Style.BOLD)).isEqualTo(new Edit("**a**b", 2, 3));
    }
}
