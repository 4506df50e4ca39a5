package org.confab.ui.emoji;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Labeled;
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

    private static final EmojiText STANDARD = new EmojiText(null);

    private final EmojiIndex given;

    private EmojiText(EmojiIndex index) {
        this.given = index;
    }

    /** With the bundled set ({@link EmojiIndex#standard()}, loaded on first use). */
    public static EmojiText standard() {
        return STANDARD;
    }

    public static EmojiText of(EmojiIndex index) {
        return new EmojiText(index);
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
                b.append(t.getUserData() instanceof String original ? original : t.getText());
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
