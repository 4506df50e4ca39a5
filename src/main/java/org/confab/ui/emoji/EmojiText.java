package org.confab.ui.emoji;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Labeled;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

/**
 * Turns a string into JavaFX nodes with emoji drawn as images: {@link Text} nodes for the runs of
 * text and an {@link EmojiView} for each emoji sequence, for a {@code TextFlow} (a message) or a
 * label's graphic (a nickname). Peer text stays text: nothing here parses markup.
 */
public final class EmojiText {
    /** An emoji is this much larger than the font size: about a capital letter plus its descent. */
    public static final double INLINE_SCALE = 1.25;
    /** A message of only 1 to {@link #LARGE_MAX} emoji: drawn this many times the font size. */
    public static final double LARGE_SCALE = 2.5;

    public static final int LARGE_MAX = 3;
    /** The longest text run one Text node holds ({@link #chunks}). */
    public static final int MAX_RUN = 128;
    /**
     * More invisible characters than this in one text (outside emoji sequences, {@link #isInvisible})
     * and all of them are hidden from the drawing ({@link #forText}): a single zero-width non-joiner
     * in Persian or joiner in Devanagari draws as it should, a flood of them is a trick (to defeat a
     * filter, fake a word, hide a payload) and slows JavaFX's layout of the text.
     */
    public static final int MAX_INVISIBLE = 64;

    private static final EmojiText STANDARD = new EmojiText(null, false);

    private final EmojiIndex given;
    private final boolean hideInvisible;

    private EmojiText(EmojiIndex index, boolean hideInvisible) {
        this.given = index;
        this.hideInvisible = hideInvisible;
    }

    /** With the bundled set ({@link EmojiIndex#standard()}, loaded on first use). */
    public static EmojiText standard() {
        return STANDARD;
    }

    public static EmojiText of(EmojiIndex index) {
        return new EmojiText(index, false);
    }

    /**
     * The builder to draw {@code text} with: this one, or where the text has more than
     * {@link #MAX_INVISIBLE} invisible characters, one that leaves them all out of the Text nodes it
     * makes (each such node keeps its original characters, {@link HiddenChars}: selection and copy
     * give them back) and whose {@link #hiddenNote} says what was hidden.
     */
    public EmojiText forText(String text) {
        return !hideInvisible && invisibleCount(text) > MAX_INVISIBLE ? new EmojiText(given, true) : this;
    }

    /** Whether this builder leaves invisible characters out ({@link #forText}). */
    public boolean hidesInvisible() {
        return hideInvisible;
    }

    /**
     * Characters that draw nothing and are not whitespace: zero-width space, non-joiner and joiner,
     * the direction marks (LRM, RLM, ALM), word joiner and invisible operators, the BOM, soft hyphen,
     * combining grapheme joiner, Mongolian vowel separator, Hangul fillers, variation selectors and
     * tag characters (inside an emoji sequence these belong to the emoji and are not counted).
     */
    public static boolean isInvisible(int cp) {
        return (cp >= 0x200B && cp <= 0x200F)
                || (cp >= 0x2060 && cp <= 0x2064)
                || cp == 0xFEFF
                || cp == 0x061C
                || cp == 0x00AD
                || cp == 0x034F
                || cp == 0x180E
                || cp == 0x115F
                || cp == 0x1160
                || cp == 0x3164
                || cp == 0xFFA0
                || (cp >= 0xFE00 && cp <= 0xFE0F)
                || (cp >= 0xE0000 && cp <= 0xE007F)
                || (cp >= 0xE0100 && cp <= 0xE01EF);
    }

    /** How many invisible characters ({@link #isInvisible}) {@code text} has outside emoji sequences. */
    public int invisibleCount(String text) {
        if (text == null || text.chars().noneMatch(c -> isInvisible(c) || Character.isSurrogate((char) c))) {
            return 0; // the common case, without splitting out emoji
        }
        int n = 0;
        for (Segment s : index().split(text)) {
            if (!s.isEmoji()) {
                n += (int) s.text().codePoints().filter(EmojiText::isInvisible).count();
            }
        }
        return n;
    }

    /**
     * What a text drawn by a builder that hides invisible characters ({@link #forText}) had hidden,
     * as a muted note to show below it: "⚠ 12,001 invisible characters hidden: U+200B ×3,001, …"
     * (the hover shows the start of the text with each hidden character as its code). Its own text
     * copies as nothing. Null when this builder hides nothing or {@code text} has none.
     */
    public Text hiddenNote(String text, Font font) {
        if (!hideInvisible) {
            return null;
        }
        TreeMap<Integer, Integer> kinds = new TreeMap<>();
        for (Segment s : index().split(text)) {
            if (!s.isEmoji()) {
                s.text().codePoints().filter(EmojiText::isInvisible).forEach(cp -> kinds.merge(cp, 1, Integer::sum));
            }
        }
        int all = kinds.values().stream().mapToInt(Integer::intValue).sum();
        if (all == 0) {
            return null;
        }
        StringBuilder b =
                new StringBuilder(String.format(Locale.ROOT, "\u26A0 %,d invisible characters hidden: ", all));
        int listed = 0;
        for (var k : kinds.entrySet()) {
            if (listed++ == 4) {
                b.append(", \u2026");
                break;
            }
            b.append(listed > 1 ? ", " : "")
                    .append(String.format(Locale.ROOT, "U+%04X \u00D7%,d", k.getKey(), k.getValue()));
        }
        Text note = new Text(b.toString());
        note.setFont(font);
        note.setUserData(""); // our words, not the sender's: copy gives nothing for them
        note.getStyleClass().add("hidden-note");
        note.setAccessibleText(b.toString());
        Tooltip decoded = new Tooltip(decoded(text, 600));
        decoded.setWrapText(true);
        decoded.setMaxWidth(520);
        Tooltip.install(note, decoded);
        return note;
    }

    /** {@code text} with each invisible character as its code ({@code [U+200B]}), cut at {@code max} characters. */
    public static String decoded(String text, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < max; ) {
            int cp = text.codePointAt(i);
            if (isInvisible(cp) || isBidiControl(String.valueOf(text.charAt(i)))) {
                b.append(String.format(Locale.ROOT, "[U+%04X]", cp));
            } else {
                b.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return b.length() < max ? b.toString() : b.substring(0, max) + "\u2026";
    }

    public EmojiIndex index() {
        return given != null ? given : EmojiIndex.standard();
    }

    /**
     * The nodes of {@code text}: Text nodes in {@code font} with {@code styleClasses}, and emoji at
     * {@link #INLINE_SCALE} times the font size.
     */
    public List<Node> nodes(String text, Font font, String... styleClasses) {
        return nodes(text, font, font.getSize() * INLINE_SCALE, styleClasses);
    }

    /** As {@link #nodes(String, Font, String...)}, with emoji of {@code emojiSize} pixels. */
    public List<Node> nodes(String text, Font font, double emojiSize, String... styleClasses) {
        List<Node> out = new ArrayList<>();
        for (Segment s : index().split(text)) {
            Node n = s.isEmoji() ? emoji(s, emojiSize) : null;
            if (n != null) {
                out.add(n);
                continue;
            }
            for (String run : bidiRuns(s.text())) {
                boolean control = isBidiControl(run);
                for (String piece : control ? List.of(run) : chunks(run)) {
                    Text t;
                    if (control) {
                        // shown, never obeyed: an override turns "invoice[RLO]gpj.exe" into "invoiceexe.jpg",
                        // and JavaFX's layout of wrapped right-to-left runs can fail (PrismTextLayout)
                        t = new Text(String.format("[U+%04X]", (int) run.charAt(0)));
                        t.setUserData(run); // what copy gives back
                        t.getStyleClass().add("bidi-mark");
                    } else if (hideInvisible && piece.codePoints().anyMatch(EmojiText::isInvisible)) {
                        HiddenChars hidden = HiddenChars.of(piece);
                        t = new Text(hidden.shown());
                        t.setUserData(hidden); // what copy gives back, position by position
                        t.getStyleClass().add("hidden-chars");
                    } else {
                        t = new Text(piece);
                    }
                    t.setFont(font);
                    t.getStyleClass().addAll(styleClasses);
                    out.add(t);
                }
            }
        }
        return out;
    }

    /**
     * {@code run} cut into pieces of at most {@link #MAX_RUN} characters, at a space where there is
     * one in the second half of a piece, else between two grapheme clusters (a cluster longer than
     * that stays whole). Joined they are {@code run}. Why: JavaFX lays out a text that has any
     * character needing complex shaping (a zero-width joiner or non-joiner, a combining mark, most
     * non-Latin scripts) in time that grows with the square of the length of each Text node it is
     * in: one U+200C in 2,000 characters took seconds to wrap, 16 KiB froze the window for minutes
     * (docs/benchmarks.md, "Hostile Markdown"). Cut into Text nodes of at most this, it grows in
     * step with the length, and it looks, selects and copies the same.
     */
    public static List<String> chunks(String run) {
        if (run.length() <= MAX_RUN) {
            return List.of(run);
        }
        List<String> out = new ArrayList<>();
        BreakIterator clusters = null;
        int start = 0;
        while (run.length() - start > MAX_RUN) {
            int limit = start + MAX_RUN;
            int cut = -1;
            for (int i = limit; i > start + MAX_RUN / 2 && cut < 0; i--) {
                if (Character.isWhitespace(run.charAt(i - 1))) {
                    cut = i;
                }
            }
            if (cut < 0) {
                if (clusters == null) {
                    clusters = BreakIterator.getCharacterInstance(Locale.ROOT);
                    clusters.setText(run);
                }
                cut = clusters.preceding(limit + 1);
                if (cut <= start) {
                    cut = clusters.following(limit);
                }
            }
            out.add(run.substring(start, cut));
            start = cut;
        }
        if (start < run.length()) {
            out.add(run.substring(start));
        }
        return out;
    }

    /** The explicit direction controls: embeddings, overrides, isolates and their ends. */
    static boolean isBidiControl(String s) {
        if (s.length() != 1) {
            return false;
        }
        char c = s.charAt(0);
        return c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069';
    }

    /** {@code text} cut into runs, each direction control a run of its own. */
    static List<String> bidiRuns(String text) {
        List<String> runs = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (isBidiControl(String.valueOf(text.charAt(i)))) {
                if (i > start) {
                    runs.add(text.substring(start, i));
                }
                runs.add(String.valueOf(text.charAt(i)));
                start = i + 1;
            }
        }
        if (start < text.length() || runs.isEmpty()) {
            runs.add(text.substring(start));
        }
        return runs;
    }

    /**
     * The nodes of a message's text: as {@link #nodes(String, Font, String...)}, but a message of
     * only 1 to 3 emoji (spaces between allowed) draws them {@link #LARGE_SCALE} times the font size,
     * with the style class {@code emoji-large} on each.
     */
    public List<Node> messageNodes(String text, Font font, String... styleClasses) {
        EmojiText drawing = forText(text);
        if (drawing != this) {
            // a flood of invisible characters: left out, and said so below the text
            List<Node> nodes = drawing.nodes(text, font, styleClasses);
            Text note = drawing.hiddenNote(text, font);
            if (note != null) {
                note.setText("\n" + note.getText());
                nodes.add(note);
            }
            return nodes;
        }
        if (index().emojiOnlyCount(text, LARGE_MAX) > 0) {
            List<Node> nodes = nodes(text, font, font.getSize() * LARGE_SCALE, styleClasses);
            nodes.forEach(n -> n.getStyleClass().add("emoji-large"));
            return nodes;
        }
        return nodes(text, font, styleClasses);
    }

    /** One emoji's view, or null where its image is missing (then it stays text). */
    public EmojiView emoji(Segment s, double size) {
        var image = EmojiImages.of(s.emoji());
        return image == null ? null : new EmojiView(s.text(), s.emoji(), image, size);
    }

    /** One emoji's view at {@code size}, for buttons and lists (the picker, reactions). */
    public EmojiView emoji(Emoji e, double size) {
        return emoji(new Segment(e.text(), e), size);
    }

    /**
     * Shows {@code text} on a label, button or cell: as its plain text when it has no emoji (so that
     * ellipsis and mnemonics work as usual), else as a graphic of text and emoji images on one line
     * in the label's font (the label's text is then empty, its accessible text the original).
     */
    public void apply(Labeled label, String text) {
        if (text == null || !index().containsEmoji(text)) {
            label.setGraphic(null);
            label.setContentDisplay(ContentDisplay.LEFT);
            label.setText(text);
            return;
        }
        HBox line = new HBox();
        line.setAlignment(Pos.BASELINE_LEFT);
        line.getStyleClass().add("emoji-line");
        for (Node n : nodes(text, label.getFont(), "emoji-line-text")) {
            if (n instanceof Text t) {
                // the label's colour (a nickname's colour class sets -fx-text-fill on the label)
                t.fillProperty().bind(label.textFillProperty());
            }
            line.getChildren().add(n);
        }
        // a line wider than the label is cut at its edge, not drawn past it
        line.setMinWidth(0);
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(line.widthProperty());
        clip.heightProperty().bind(line.heightProperty());
        line.setClip(clip);
        label.setText(null);
        label.setGraphic(line);
        label.setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        label.setAccessibleText(text);
    }

    /** The original characters of nodes made here (Text runs and emoji), in order: what copy gives. */
    public static String originalText(List<? extends Node> nodes) {
        StringBuilder b = new StringBuilder();
        for (Node n : nodes) {
            if (n instanceof Text t) {
                b.append(
                        t.getUserData() instanceof String original
                                ? original
                                : t.getUserData() instanceof HiddenChars h ? h.original() : t.getText());
            } else if (n instanceof EmojiView e) {
                b.append(e.text());
            }
        }
        return b.toString();
    }

    /**
     * The width of {@code nodes} laid out on one line (Text runs measured in their fonts, emoji at
     * their size): a chat bubble's natural width.
     */
    public static double oneLineWidth(List<? extends Node> nodes) {
        double w = 0;
        for (Node n : nodes) {
            if (n instanceof Text t) {
                Text m = new Text(t.getText());
                m.setFont(t.getFont());
                w += m.getLayoutBounds().getWidth();
            } else if (n instanceof EmojiView e) {
                w += e.getFitWidth();
            } else {
                w += n.prefWidth(-1);
            }
        }
        return Math.ceil(w);
    }

    /**
     * The stylesheet of emoji, the picker, the completion list and Markdown blocks (colours from the
     * theme's looked-up colours, so light and dark follow): add it to the scene that shows them.
     */
    public static String stylesheet() {
        return EmojiText.class.getResource("emoji.css").toExternalForm();
    }

    /** See {@link EmojiIndex#credits()}. */
    public static String credits() {
        return EmojiIndex.credits();
    }
}
