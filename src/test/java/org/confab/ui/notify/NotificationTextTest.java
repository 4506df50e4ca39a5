package org.confab.ui.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NotificationTextTest {
    private static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }

    @Test
    void shortTextStaysAsItIs() {
        assertThat(NotificationText.plain("hello there", 200, true)).isEqualTo("hello there");
        assertThat(NotificationText.cut("abc", 3)).isEqualTo("abc");
    }

    @Test
    void longTextIsCutToTheLimitWithAnEllipsis() {
        String cut = NotificationText.plain("x".repeat(500), 200, true);
        assertThat(codePoints(cut)).isEqualTo(200);
        assertThat(cut).isEqualTo("x".repeat(199) + "…");
    }

    @Test
    void cutDropsTheSpaceBeforeTheEllipsis() {
        assertThat(NotificationText.cut("abcd efgh", 6)).isEqualTo("abcd…");
    }

    @Test
    void astralCharactersAreNeverSplit() {
        String emoji = "😀"; // U+1F600: two chars, one code point
        String text = emoji.repeat(300);
        String cut = NotificationText.plain(text, 200, true);
        assertThat(codePoints(cut)).isEqualTo(200);
        assertThat(cut).isEqualTo(emoji.repeat(199) + "…");
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(Character.isLowSurrogate(cut.charAt(i + 1))).isTrue();
                i++;
            } else {
                assertThat(Character.isSurrogate(c)).isFalse();
            }
        }
    }

    @Test
    void anAstralCharacterAtTheLimitIsLeftOutWhole() {
        // "aaaa" then U+1D11E (musical G clef): cut to 5 code points keeps 4 and the ellipsis
        String text = "aaaa𝄞bbbb";
        assertThat(NotificationText.cut(text, 5)).isEqualTo("aaaa…");
        assertThat(NotificationText.cut(text, 6)).isEqualTo("aaaa𝄞…");
    }

    @Test
    void emojiSequencesAndCombiningMarksAreCutWhole() {
        String family = "👨‍👩‍👧"; // man ZWJ woman ZWJ girl: 5 code points, one grapheme
        assertThat(NotificationText.cut("ab" + family + "cdefgh", 5)).isEqualTo("ab…");
        String eAcute = "e\u0301"; // e + combining acute
        assertThat(NotificationText.cut("abc" + eAcute + "xyz", 5)).isEqualTo("abc…");
        String flag = "🇫🇷"; // two regional indicators
        assertThat(NotificationText.cut("a" + flag + flag + "zzzz", 5)).isEqualTo("a" + flag + "…");
    }

    @Test
    void aFirstGraphemeLongerThanTheLimitIsCutOnACodePoint() {
        String zalgo = "a" + "\u0301".repeat(50);
        String cut = NotificationText.cut(zalgo, 10);
        assertThat(codePoints(cut)).isEqualTo(10);
        assertThat(cut).startsWith("a\u0301").endsWith("…");
    }

    @Test
    void controlCharactersAreRemoved() {
        String raw = "be\u0007ll\u0000 es\u001bc[31mape\u007f\u0085end\u009b";
        // U+0085 (NEL) is a line break; the other C0/C1 controls vanish
        assertThat(NotificationText.plain(raw, 200, false)).isEqualTo("bell esc[31mape end");
        assertThat(NotificationText.plain(raw, 200, true)).isEqualTo("bell esc[31mape\nend");
    }

    @Test
    void bidiOverridesAndInvisibleSpacesAreRemoved() {
        String raw = "pay\u202Egnp.exe\u202C \u2066x\u2069\u200B\uFEFFy";
        assertThat(NotificationText.plain(raw, 200, false)).isEqualTo("paygnp.exe xy");
    }

    @Test
    void loneSurrogatesBecomeTheReplacementCharacter() {
        assertThat(NotificationText.plain("a\uD800b\uDC00c", 200, false)).isEqualTo("a\uFFFDb\uFFFDc");
    }

    @Test
    void whitespaceIsCollapsedAndTrimmed() {
        assertThat(NotificationText.plain("  a \t\t b  ", 200, false)).isEqualTo("a b");
        assertThat(NotificationText.plain("line one\r\n\r\n\n  line two\n", 200, true))
                .isEqualTo("line one\nline two");
        assertThat(NotificationText.plain("line one\r\nline two", 200, false)).isEqualTo("line one line two");
        assertThat(NotificationText.plain("\n\t \u0007", 200, true)).isEmpty();
    }

    @Test
    void markupIsEscaped() {
        assertThat(NotificationText.escapeMarkup("<b>bold</b> & <a href=\"x\">link</a> &amp;"))
                .isEqualTo("&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href=\"x\"&gt;link&lt;/a&gt; &amp;amp;");
        assertThat(NotificationText.escapeMarkup("no markup 😀")).isEqualTo("no markup 😀");
    }

    @Test
    void theBodyIsSenderAndTextCutAsAWhole() {
        var n = new Notification("k", "Lobby", "alice", "y".repeat(400));
        String body = NotificationText.body(n);
        assertThat(body).startsWith("alice: yyy").endsWith("y…");
        assertThat(codePoints(body)).isEqualTo(NotificationText.BODY_LIMIT);
        assertThat(NotificationText.body(new Notification("k", "Lobby", "", "hi")))
                .isEqualTo("hi");
        assertThat(NotificationText.body(new Notification("k", "Lobby", " bob\n", "two\nlines")))
                .isEqualTo("bob: two\nlines");
    }

    @Test
    void theSummaryIsTheTitleOnOneLine() {
        assertThat(NotificationText.summary(new Notification("k", "Team\nroom", "a", "b")))
                .isEqualTo("Team room");
        assertThat(NotificationText.summary(new Notification("k", " \u0007 ", "a", "b")))
                .isEqualTo("Confab");
        String longTitle = NotificationText.summary(new Notification("k", "r".repeat(100), "a", "b"));
        assertThat(codePoints(longTitle)).isEqualTo(NotificationText.SUMMARY_LIMIT);
    }

    @Test
    void nullFieldsOfANotificationAreEmpty() {
        var n = new Notification("k", null, null, null);
        assertThat(n.title()).isEmpty();
        assertThat(n.sender()).isEmpty();
        assertThat(n.text()).isEmpty();
        assertThatThrownBy(() -> new Notification(null, "t", "s", "x")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> NotificationText.cut("abc", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
