package org.confab.ui.emoji;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The tokenizer and look-ups over the bundled emoji-data set. */
class EmojiIndexTest {
    private final EmojiIndex index = EmojiIndex.standard();

    private List<String> emojiIn(String text) {
        return index.split(text).stream()
                .filter(Segment::isEmoji)
                .map(Segment::text)
                .collect(Collectors.toList());
    }

    private static String joined(List<Segment> segments) {
        return segments.stream().map(Segment::text).collect(Collectors.joining());
    }

    @Test
    void zwjFamilyIsOneSequence() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66"; // 👨‍👩‍👧‍👦
        List<Segment> s = index.split("hi " + family + "!");
        assertThat(s).hasSize(3);
        assertThat(s.get(1).text()).isEqualTo(family);
        assertThat(s.get(1).emoji().image()).isEqualTo("1f468-200d-1f469-200d-1f467-200d-1f466.png");
        assertThat(joined(s)).isEqualTo("hi " + family + "!");
    }

    @Test
    void flagsPairRegionalIndicators() {
        assertThat(emojiIn("\uD83C\uDDFA\uD83C\uDDF8\uD83C\uDDEB\uD83C\uDDF7")) // 🇺🇸🇫🇷
                .containsExactly("\uD83C\uDDFA\uD83C\uDDF8", "\uD83C\uDDEB\uD83C\uDDF7");
        // England: a tag sequence
        String england = "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC65\uDB40\uDC6E\uDB40\uDC67\uDB40\uDC7F";
        assertThat(emojiIn(england)).containsExactly(england);
    }

    @Test
    void skinTonesStayWithTheirBase() {
        String wave = "\uD83D\uDC4B\uD83C\uDFFD"; // 👋🏽
        List<Segment> s = index.split(wave + wave);
        assertThat(s).extracting(Segment::text).containsExactly(wave, wave);
        assertThat(s.getFirst().emoji().image()).isEqualTo("1f44b-1f3fd.png");
        Emoji base = index.byShortCode("wave").orElseThrow();
        assertThat(base.withTone(SkinTone.MEDIUM).text()).isEqualTo(wave);
        assertThat(base.withTone(SkinTone.NONE)).isSameAs(base);
    }

    @Test
    void keycapsWithOrWithoutTheSelector() {
        assertThat(emojiIn("1\uFE0F\u20E3 and 2\u20E3")).containsExactly("1\uFE0F\u20E3", "2\u20E3");
        // plain digits and # are text
        assertThat(emojiIn("#1 in 2024")).isEmpty();
    }

    @Test
    void textDefaultCharactersNeedTheEmojiSelector() {
        assertThat(emojiIn("\u00A9 2026 \u2764 \u2194")).isEmpty(); // © ❤ ↔ as text
        assertThat(emojiIn("\u2764\uFE0F")).containsExactly("\u2764\uFE0F");
        assertThat(emojiIn("\u2764\uFE0E")).isEmpty(); // asked for text
        // a sequence needs no selector: rainbow flag without its FE0F
        assertThat(emojiIn("\uD83C\uDFF3\u200D\uD83C\uDF08")).containsExactly("\uD83C\uDFF3\u200D\uD83C\uDF08");
    }

    @Test
    void originalCharactersSurviveSplitting() {
        String text = "a\u2764\uFE0F\u200Db \uD83D\uDC4D\uD83C\uDFFF\uFE0F x\u200D\uD83D\uDE00\uD83D";
        assertThat(joined(index.split(text))).isEqualTo(text);
    }

    @Test
    void shortCodesNamesAndCategories() {
        assertThat(index.byShortCode("thumbsup").orElseThrow().text()).isEqualTo("\uD83D\uDC4D");
        assertThat(index.byShortCode("+1").orElseThrow().text()).isEqualTo("\uD83D\uDC4D");
        assertThat(index.completions("thu", 5)).extracting(Emoji::text).contains("\uD83D\uDC4D");
        assertThat(index.search("thumbs up", 5)).extracting(Emoji::text).startsWith("\uD83D\uDC4D");
        assertThat(index.search("pizza", 3)).extracting(Emoji::text).startsWith("\uD83C\uDF55");
        assertThat(index.categories()).startsWith("Smileys & Emotion").doesNotContain("Component");
        assertThat(index.inCategory("Flags")).hasSizeGreaterThan(250);
    }

    @Test
    void emojiOnlyMessages() {
        assertThat(index.emojiOnlyCount("\uD83D\uDE00", 3)).isEqualTo(1);
        assertThat(index.emojiOnlyCount(" \uD83D\uDE00 \uD83D\uDC4D\uD83C\uDFFD ", 3))
                .isEqualTo(2);
        assertThat(index.emojiOnlyCount("\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00", 3))
                .isZero();
        assertThat(index.emojiOnlyCount("ok \uD83D\uDE00", 3)).isZero();
        assertThat(index.emojiOnlyCount("", 3)).isZero();
    }

    @Test
    void everyEmojiHasItsImage() {
        for (Emoji e : index.all()) {
            assertThat(EmojiIndex.imageUrl(e)).as(e.toString()).isNotNull();
            for (Emoji t : e.tones().values()) {
                assertThat(EmojiIndex.imageUrl(t)).as(t.toString()).isNotNull();
            }
        }
    }

    @Test
    void creditsNameTheLicences() {
        assertThat(EmojiText.credits()).contains("Twemoji", "CC-BY 4.0", "emoji-data", "MIT");
    }
}
