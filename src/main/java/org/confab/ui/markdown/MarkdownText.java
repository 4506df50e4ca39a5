package org.confab.ui.markdown;

import java.net.URI;
import java.text.BreakIterator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontPosture;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.util.Duration;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.parser.Parser;
import org.confab.ui.emoji.EmojiFlow;
import org.confab.ui.emoji.EmojiText;

/**
 * A peer's message as formatted text, parsed by commonmark-java and drawn as JavaFX nodes, never
 * HTML and never a WebView: *italic*, **bold**, ~~strike~~, `code`, fenced code blocks (monospace,
 * scrolling sideways, with a copy button), block quotes and lists. Headings, thematic breaks,
 * indented code and HTML blocks are not parsed (they stay the text that was typed); images and
 * inline HTML are shown as text. Only http, https, mailto and confab:// links are clickable
 * ({@link SafeLinks}); they go to the caller's {@code open}, which decides (a browser through
 * HostServices, the Join dialog). Emoji are images ({@link EmojiText}).
 *
 * <p>Bounded for hostile text: block nesting deeper than {@link #MAX_DEPTH} is shown as plain
 * text, a code block shows at most {@link #MAX_CODE_LINES} lines / {@link #MAX_CODE_CHARS}
 * characters (the copy button copies it all), and a message renders at most {@link #MAX_NODES}
 * text nodes; the rest is plain text.
 */
public final class MarkdownText {
    public static final int MAX_DEPTH = 6;
    public static final int MAX_CODE_LINES = 200;
    public static final int MAX_CODE_CHARS = 10_000;
    public static final int MAX_NODES = 1_000;
    /**
     * A chat bubble ({@link #preview}) shows at most this many characters of a message, and at most
     * {@link #MAX_SHOWN_LINES} lines; a "Show all" link below shows the rest on demand. Laying out
     * 16 KiB of wrapped text (the most one message carries) in the FX thread is what froze the window,
     * and it is many screens high: nobody reads it at once.
     */
    public static final int MAX_SHOWN_CHARS = 2_500;

    public static final int MAX_SHOWN_LINES = 40;
    /** Leading {@code >} markers on a line beyond this are escaped before parsing (a quote bomb). */
    static final int MAX_QUOTE_MARKERS = MAX_DEPTH + 2;

    private static final Pattern QUOTE_RUN = Pattern.compile("(?m)^((?:[ \\t]{0,3}>){" + MAX_QUOTE_MARKERS + "})");
    private static final Parser PARSER = Parser.builder()
            .extensions(List.of(StrikethroughExtension.create(), AutolinkExtension.create()))
            .enabledBlockTypes(Set.of(BlockQuote.class, FencedCodeBlock.class, ListBlock.class))
            .build();

    private final EmojiText emoji;
    private final Font font;
    private final Font bold;
    private final Font italic;
    private final Font boldItalic;
    private final Font mono;
    private final Consumer<URI> open;
    private final Consumer<String> copy;

    /**
     * @param font the message font (its family and size; bold and italic are made from it)
     * @param open what clicking a safe link does (the room view decides: browser, Join dialog)
     * @param copy what a code block's copy button does with its whole text (a {@code TextClipboard::copy})
     */
    public MarkdownText(EmojiText emoji, Font font, Consumer<URI> open, Consumer<String> copy) {
        this.emoji = emoji;
        this.font = font;
        this.bold = Font.font(font.getFamily(), FontWeight.BOLD, font.getSize());
        this.italic = italic(font.getFamily(), FontWeight.NORMAL, font.getSize());
        this.boldItalic = italic(font.getFamily(), FontWeight.BOLD, font.getSize());
        this.mono = Font.font("monospace", font.getSize() * 0.93);
        this.open = open;
        this.copy = copy;
    }

    /**
     * An italic face: the family's own, or where it has none loaded (the bundled Inter has only
     * regular and bold; JavaFX does not slant fonts itself) the system's sans serif italic.
     */
    static Font italic(String family, FontWeight weight, double size) {
        for (String f : new String[] {family, "System", "DejaVu Sans", "Nimbus Sans", "Arial"}) {
            Font candidate = Font.font(f, weight, FontPosture.ITALIC, size);
            String style = candidate.getStyle().toLowerCase(Locale.ROOT);
            if (style.contains("italic") || style.contains("oblique")) {
                return candidate;
            }
        }
        return Font.font(family, weight, size);
    }

    /** The emoji text-node builder this renders with. */
    public EmojiText emoji() {
        return emoji;
    }

    /**
     * The nodes of {@code peerText}: a VBox (style class {@code md}) of blocks. All of it, within the
     * node and depth bounds: the composer's preview; a chat bubble shows a {@link #preview}.
     */
    public VBox render(String peerText) {
        VBox out = new VBox(6);
        out.getStyleClass().add("md");
        if (emoji.index().emojiOnlyCount(peerText, EmojiText.LARGE_MAX) > 0) {
            EmojiFlow flow = new EmojiFlow();
            flow.setContent(emoji.messageNodes(peerText, font, "md-text"));
            out.getChildren().add(flow);
            return out;
        }
        Budget budget = new Budget(emoji.forText(peerText));
        try {
            org.commonmark.node.Node doc = PARSER.parse(defuse(peerText));
            blocks(doc, out, 0, budget);
        } catch (StackOverflowError tooDeep) {
            // thousands of nested emphasis runs: the parser's own tree walks recurse per level (how
            // deep they get depends on the thread's stack and the JIT). Shown as the text it is, cut
            // as other plain text is (such a text is far longer than a message the wire carries)
            out.getChildren().setAll(plain(peerText, budget));
        }
        Text note = budget.emoji.hiddenNote(peerText, font);
        if (note != null) {
            EmojiFlow flow = new EmojiFlow();
            flow.setContent(List.of(note));
            out.getChildren().add(flow);
        }
        return out;
    }

    /**
     * A chat bubble's view of {@code peerText}: {@link #render} of its first {@link #MAX_SHOWN_CHARS}
     * characters or {@link #MAX_SHOWN_LINES} lines ({@link #shownLength}), and where that is not all,
     * a "Show all" link that runs {@code showAll} (the bubble then shows {@link #render} of the whole).
     */
    public VBox preview(String peerText, Runnable showAll) {
        int cut = shownLength(peerText);
        if (cut == peerText.length()) {
            return render(peerText);
        }
        VBox out = render(peerText.substring(0, cut));
        out.getChildren().add(showAllLink(peerText.length() - cut, showAll));
        return out;
    }

    /**
     * How much of {@code text} a bubble shows before "Show all": all of it when it has at most
     * {@link #MAX_SHOWN_CHARS} characters and {@link #MAX_SHOWN_LINES} lines, else up to the last
     * line break or space before that limit (never inside a character or an emoji sequence).
     */
    public static int shownLength(String text) {
        int limit = Math.min(text.length(), MAX_SHOWN_CHARS);
        int lines = 0;
        for (int i = 0; i < limit; i++) {
            if (text.charAt(i) == '\n' && ++lines >= MAX_SHOWN_LINES) {
                limit = i;
                break;
            }
        }
        if (limit == text.length()) {
            return limit;
        }
        for (int i = limit; i > limit * 3 / 4; i--) {
            char c = text.charAt(i - 1);
            if (c == '\n' || c == ' ') {
                return i;
            }
        }
        BreakIterator clusters = BreakIterator.getCharacterInstance(Locale.ROOT);
        clusters.setText(text);
        int at = clusters.preceding(limit + 1);
        return at <= 0 ? limit : at;
    }

    /**
     * "Show all · 13,500 more characters", below a message cut for the bubble ({@link #preview}): a
     * Text drawn as a link (not a Hyperlink control: a control has no size until its skin exists,
     * and the message list measures a row once, before that, and keeps the height it got).
     */
    public static Text showAllLink(int hiddenChars, Runnable showAll) {
        Text more = new Text(String.format(Locale.ROOT, "Show all \u00B7 %,d more characters", hiddenChars));
        more.getStyleClass().addAll("md-text", "md-show-all");
        more.setFont(Font.font(Font.getDefault().getFamily(), 13));
        more.setCursor(Cursor.HAND);
        more.setAccessibleRole(AccessibleRole.HYPERLINK);
        more.setAccessibleText(more.getText());
        more.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.isStillSincePress()) {
                e.consume();
                showAll.run();
            }
        });
        return more;
    }

    /** Escapes the {@code >} markers past {@link #MAX_QUOTE_MARKERS} on each line, so that the parser never nests deeper. */
    static String defuse(String text) {
        Matcher m = QUOTE_RUN.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        int last = 0;
        do {
            int after = m.end();
            b.append(text, last, after);
            // the rest of the line's markers become literal characters
            int lineEnd = text.indexOf('\n', after);
            lineEnd = lineEnd < 0 ? text.length() : lineEnd;
            b.append(text.substring(after, lineEnd).replace(">", "\\>"));
            last = lineEnd;
        } while (m.find(last));
        b.append(text, last, text.length());
        return b.toString();
    }

    /**
     * One render's state: the nodes made so far (against {@link #MAX_NODES}), the emoji builder for
     * this text ({@link EmojiText#forText}), and the text not yet made into nodes: consecutive runs
     * of one style (a paragraph's lines, text beside inline HTML) become one Text run, not one each.
     */
    private static final class Budget {
        final EmojiText emoji;
        int nodes;
        final StringBuilder pending = new StringBuilder();
        List<Node> pendingOut;
        boolean pendingStrong;
        boolean pendingEm;
        boolean pendingStrike;

        Budget(EmojiText emoji) {
            this.emoji = emoji;
        }

        boolean spent() {
            return nodes >= MAX_NODES;
        }
    }

    private void blocks(org.commonmark.node.Node parent, VBox into, int depth, Budget budget) {
        for (org.commonmark.node.Node n = parent.getFirstChild(); n != null; n = n.getNext()) {
            if (budget.spent()) {
                into.getChildren().add(plain(rest(n), budget));
                return;
            }
            if (depth >= MAX_DEPTH && !(n instanceof Paragraph)) {
                into.getChildren().add(plain(literal(n), budget));
                continue;
            }
            switch (n) {
                case Paragraph p -> into.getChildren().add(paragraph(p, budget));
                case FencedCodeBlock c -> into.getChildren().add(codeBlock(c));
                case BlockQuote q -> {
                    VBox quote = new VBox(4);
                    quote.getStyleClass().add("md-quote");
                    blocks(q, quote, depth + 1, budget);
                    into.getChildren().add(quote);
                }
                case ListBlock l -> into.getChildren().add(list(l, depth, budget));
                default -> into.getChildren().add(plain(literal(n), budget));
            }
        }
    }

    private Node list(ListBlock l, int depth, Budget budget) {
        VBox list = new VBox(2);
        list.getStyleClass().add("md-list");
        Integer start = l instanceof OrderedList o ? o.getMarkerStartNumber() : null;
        int number = start == null ? 1 : start;
        for (org.commonmark.node.Node item = l.getFirstChild(); item != null; item = item.getNext()) {
            if (!(item instanceof ListItem)) {
                continue;
            }
            Text marker = new Text(l instanceof OrderedList ? (number++) + "." : "\u2022");
            marker.setFont(font);
            marker.getStyleClass().addAll("md-text", "md-marker");
            Region markerBox = new HBox(marker);
            markerBox.setMinWidth(Region.USE_PREF_SIZE);
            VBox content = new VBox(2);
            blocks(item, content, depth + 1, budget);
            HBox row = new HBox(6, markerBox, content);
            row.setAlignment(Pos.TOP_LEFT);
            HBox.setHgrow(content, Priority.ALWAYS);
            list.getChildren().add(row);
        }
        return list;
    }

    private Node codeBlock(FencedCodeBlock c) {
        String full = c.getLiteral();
        if (full.endsWith("\n")) {
            full = full.substring(0, full.length() - 1);
        }
        String shown = full;
        int lines = 0;
        int cut = -1;
        for (int i = 0; i < shown.length() && cut < 0; i++) {
            if (shown.charAt(i) == '\n' && ++lines >= MAX_CODE_LINES) {
                cut = i;
            }
        }
        if (cut < 0 && shown.length() > MAX_CODE_CHARS) {
            cut = MAX_CODE_CHARS;
        }
        Text code = new Text(cut < 0 ? shown : shown.substring(0, Math.min(cut, MAX_CODE_CHARS)));
        code.setFont(mono);
        code.getStyleClass().add("md-code-text");
        VBox body = new VBox(code);
        if (cut >= 0) {
            long more = full.substring(Math.min(cut, MAX_CODE_CHARS)).lines().count();
            Text note = new Text("\u2026 " + more + " more lines: Copy takes the whole block");
            note.setFont(font);
            note.getStyleClass().add("md-truncated");
            body.getChildren().add(note);
        }
        ScrollPane scroll = new ScrollPane(body);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.AS_NEEDED);
        scroll.setVbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setFitToHeight(true);
        scroll.setMinWidth(0);
        scroll.setPrefViewportWidth(0);
        scroll.setMinViewportHeight(Region.USE_PREF_SIZE);
        Label lang = new Label(SafeLinks.strip(c.getInfo() == null ? "" : c.getInfo()));
        lang.getStyleClass().add("md-code-lang");
        lang.setMinWidth(0);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        Button copyButton = new Button("Copy");
        copyButton.getStyleClass().addAll("md-code-copy", "flat");
        copyButton.setFocusTraversable(false);
        String all = full;
        copyButton.setOnAction(e -> copy.accept(all));
        HBox head = new HBox(6, lang, gap, copyButton);
        head.setAlignment(Pos.CENTER_LEFT);
        VBox block = new VBox(2, head, scroll);
        block.getStyleClass().add("md-code-block");
        block.setStyle("-fx-padding: 4 8 6 8;");
        block.setMinWidth(0);
        return block;
    }

    private EmojiFlow paragraph(Paragraph p, Budget budget) {
        List<Node> nodes = new ArrayList<>();
        inline(p, nodes, 0, false, false, false, budget);
        flush(budget);
        EmojiFlow flow = new EmojiFlow();
        flow.getStyleClass().add("md-paragraph");
        flow.setContent(nodes);
        return flow;
    }

    private void inline(
            org.commonmark.node.Node parent,
            List<Node> out,
            int depth,
            boolean strong,
            boolean em,
            boolean strike,
            Budget budget) {
        for (org.commonmark.node.Node n = parent.getFirstChild(); n != null; n = n.getNext()) {
            if (budget.spent() || depth > MAX_DEPTH * 4) {
                text(rest(n), out, strong, em, strike, budget);
                return;
            }
            switch (n) {
                case org.commonmark.node.Text t -> text(t.getLiteral(), out, strong, em, strike, budget);
                case StrongEmphasis s -> inline(s, out, depth + 1, true, em, strike, budget);
                case Emphasis e -> inline(e, out, depth + 1, strong, true, strike, budget);
                case Strikethrough s -> inline(s, out, depth + 1, strong, em, true, budget);
                case Code c -> {
                    flush(budget);
                    Text t = new Text(c.getLiteral());
                    t.setFont(mono);
                    t.getStyleClass().addAll("md-text", "md-code");
                    out.add(t);
                    budget.nodes++;
                }
                case SoftLineBreak _ -> text("\n", out, strong, em, strike, budget);
                case HardLineBreak _ -> text("\n", out, strong, em, strike, budget);
                case Link l -> link(l, out, depth, strong, em, strike, budget);
                case Image i ->
                    text("[image: " + literal(i) + "] " + i.getDestination(), out, strong, em, strike, budget);
                case HtmlInline h -> text(h.getLiteral(), out, strong, em, strike, budget);
                default -> text(literal(n), out, strong, em, strike, budget);
            }
        }
    }

    private void link(Link l, List<Node> out, int depth, boolean strong, boolean em, boolean strike, Budget budget) {
        var safe = SafeLinks.check(l.getDestination());
        if (safe.isEmpty()) {
            // javascript:, file:, data: and the like: the label as text, nothing to click
            inline(l, out, depth + 1, strong, em, strike, budget);
            return;
        }
        SafeLinks.Link link = safe.get();
        flush(budget);
        EmojiText emoji = budget.emoji;
        String label = SafeLinks.strip(literal(l));
        boolean autolink =
                label.equals(l.getDestination()) || l.getDestination().endsWith(label);
        String shownLabel = autolink ? link.shown() : label;
        Tooltip tip = new Tooltip(link.shown() + (link.warning() ? "\n\u26A0 " + link.why() : ""));
        tip.setShowDelay(Duration.millis(300));
        tip.setWrapText(true);
        tip.setMaxWidth(480);
        List<Node> labelNodes = new ArrayList<>();
        if (link.warning()) {
            Text warn = new Text("\u26A0 ");
            warn.setFont(font);
            warn.getStyleClass().addAll("md-text", "md-warning");
            labelNodes.add(warn);
        }
        labelNodes.addAll(emoji.nodes(shownLabel, strong ? bold : font, "md-text", "md-link"));
        if (!autolink && SafeLinks.labelMisleads(label, link.uri())) {
            labelNodes.addAll(emoji.nodes(" (" + link.shown() + ")", font, "md-text", "md-link"));
        }
        for (Node n : labelNodes) {
            n.getStyleClass().add("md-link");
            n.getProperties().put(URI.class, link.uri());
            n.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.isStillSincePress()) {
                    e.consume();
                    open.accept(link.uri());
                }
            });
            Tooltip.install(n, tip);
            n.setAccessibleText("Link: " + link.shown());
            budget.nodes++;
        }
        out.addAll(labelNodes);
    }

    /** Adds {@code s} to the run being collected, which is made into nodes first if its style differs. */
    private void text(String s, List<Node> out, boolean strong, boolean em, boolean strike, Budget budget) {
        if (s.isEmpty()) {
            return;
        }
        if (!budget.pending.isEmpty()
                && (budget.pendingOut != out
                        || budget.pendingStrong != strong
                        || budget.pendingEm != em
                        || budget.pendingStrike != strike)) {
            flush(budget);
        }
        budget.pendingOut = out;
        budget.pendingStrong = strong;
        budget.pendingEm = em;
        budget.pendingStrike = strike;
        budget.pending.append(s);
        if (budget.pending.length() > EmojiText.MAX_RUN * 8) {
            flush(budget); // counted against the budget as it grows
        }
    }

    /** The collected run as nodes: Text runs (bounded, {@link EmojiText#chunks}) and emoji. */
    private void flush(Budget budget) {
        if (budget.pending.isEmpty()) {
            return;
        }
        String s = budget.pending.toString();
        budget.pending.setLength(0);
        boolean strong = budget.pendingStrong;
        boolean em = budget.pendingEm;
        boolean strike = budget.pendingStrike;
        List<Node> out = budget.pendingOut;
        Font f = strong && em ? boldItalic : strong ? bold : em ? italic : font;
        for (Node n : budget.emoji.nodes(s, f, "md-text")) {
            if (n instanceof Text t) {
                t.setStrikethrough(strike);
                if (strong) {
                    t.getStyleClass().add("md-strong");
                }
                if (em) {
                    t.getStyleClass().add("md-em");
                }
            }
            out.add(n);
            budget.nodes++;
        }
    }

    private Node plain(String s, Budget budget) {
        EmojiFlow flow = new EmojiFlow();
        List<Node> nodes = new ArrayList<>();
        String shown = s.length() > MAX_CODE_CHARS ? s.substring(0, MAX_CODE_CHARS) + "\u2026" : s;
        nodes.addAll(budget.emoji.nodes(shown, font, "md-text")); // bounded runs: see EmojiText.chunks
        budget.nodes++;
        flow.setContent(nodes);
        return flow;
    }

    /** The text of {@code n} and all after it under its parent (what a spent budget shows plainly). */
    private static String rest(org.commonmark.node.Node n) {
        StringBuilder b = new StringBuilder();
        for (org.commonmark.node.Node m = n; m != null && b.length() < MAX_CODE_CHARS; m = m.getNext()) {
            b.append(literal(m));
        }
        return b.toString();
    }

    /** The characters under {@code n}, without markup, walked without recursion (any depth). */
    static String literal(org.commonmark.node.Node n) {
        StringBuilder b = new StringBuilder();
        Deque<org.commonmark.node.Node> stack = new ArrayDeque<>();
        stack.push(n);
        while (!stack.isEmpty() && b.length() < MAX_CODE_CHARS * 2) {
            org.commonmark.node.Node m = stack.pop();
            switch (m) {
                case org.commonmark.node.Text t -> b.append(t.getLiteral());
                case Code c -> b.append(c.getLiteral());
                case FencedCodeBlock c -> b.append(c.getLiteral());
                case HtmlInline h -> b.append(h.getLiteral());
                case SoftLineBreak _ -> b.append('\n');
                case HardLineBreak _ -> b.append('\n');
                default -> {}
            }
            List<org.commonmark.node.Node> kids = new ArrayList<>();
            for (org.commonmark.node.Node k = m.getFirstChild(); k != null; k = k.getNext()) {
                kids.add(k);
            }
            for (int i = kids.size() - 1; i >= 0; i--) {
                stack.push(kids.get(i));
            }
            if (m instanceof Paragraph && m.getNext() != null) {
                stack.push(new SoftLineBreak());
            }
        }
        return b.toString();
    }

    /** Whether {@code n} is a link made here, and where it goes. */
    public static URI linkTarget(Node n) {
        return n.getProperties().get(URI.class) instanceof URI u ? u : null;
    }

    /** Paragraphs inside {@code rendered} (the selectable flows), in order. */
    public static List<EmojiFlow> flows(Node rendered) {
        List<EmojiFlow> out = new ArrayList<>();
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(rendered);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (n instanceof EmojiFlow f) {
                out.add(f);
            } else if (n instanceof Parent p) {
                List<Node> kids = p.getChildrenUnmodifiable();
                for (int i = kids.size() - 1; i >= 0; i--) {
                    stack.push(kids.get(i));
                }
            }
        }
        return out;
    }
}
