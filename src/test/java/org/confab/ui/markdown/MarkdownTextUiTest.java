package org.confab.ui.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Path;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.emoji.EmojiFlow;
import org.confab.ui.emoji.EmojiText;
import org.confab.ui.emoji.EmojiView;
import org.confab.ui.emoji.HiddenChars;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The Markdown subset as nodes, and every safety rule for hostile peer text. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class MarkdownTextUiTest {
    private final List<URI> opened = new ArrayList<>();
    private final List<String> copied = new ArrayList<>();
    private MarkdownText md;
    private VBox root;

    @Start
    void start(Stage stage) {
        md = new MarkdownText(EmojiText.standard(), Font.font("Inter", 14), opened::add, copied::add);
        new Theme(Settings.inMemory()).install();
        root = new VBox();
        Scene scene = new Scene(root, 600, 400);
        scene.getStylesheets().add(EmojiText.stylesheet());
        stage.setScene(scene);
        stage.show();
    }

    private VBox render(String text) {
        return Fx.call(() -> {
            VBox v = md.render(text);
            root.getChildren().setAll(v);
            return v;
        });
    }

    /** Every node under {@code n}, ScrollPane contents included. */
    static List<Node> all(Node n) {
        List<Node> out = new ArrayList<>();
        Deque<Node> stack = new ArrayDeque<>(List.of(n));
        while (!stack.isEmpty()) {
            Node m = stack.pop();
            out.add(m);
            if (m instanceof ScrollPane s && s.getContent() != null) {
                stack.push(s.getContent());
            } else if (m instanceof Parent p && !(m instanceof Button) && !(m instanceof Label)) {
                p.getChildrenUnmodifiable().forEach(stack::push);
            }
        }
        return out;
    }

    static String shownText(Node n) {
        return MarkdownText.flows(n).stream().map(EmojiFlow::originalText).collect(Collectors.joining("\n"));
    }

    static List<Text> texts(Node n) {
        return all(n).stream()
                .filter(Text.class::isInstance)
                .map(Text.class::cast)
                .toList();
    }

    static List<URI> links(Node n) {
        return all(n).stream()
                .map(MarkdownText::linkTarget)
                .filter(u -> u != null)
                .distinct()
                .toList();
    }

    /** What peer text may produce: text, emoji, layout boxes, our code block's scroller, its label and Copy. */
    static void onlyTextAndLayout(Node rendered) {
        for (Node n : all(rendered)) {
            boolean allowed = n instanceof Text
                    || n instanceof EmojiView
                    || n instanceof EmojiFlow
                    || n instanceof Path // a flow's selection highlight
                    || (n instanceof Region && n.getClass().getPackageName().equals("javafx.scene.layout"))
                    || n instanceof ScrollPane
                    || (n instanceof Label l && l.getStyleClass().contains("md-code-lang"))
                    || (n instanceof Button b && b.getText().equals("Copy"));
            assertThat(allowed).as(n.toString()).isTrue();
        }
        for (URI u : links(rendered)) {
            assertThat(u.getScheme()).isIn("http", "https", "mailto", "confab");
        }
    }

    @Test
    void inlineFormatting() {
        VBox v = render("*it* **bold** ~~gone~~ `x = 1` plain");
        assertThat(shownText(v)).isEqualTo("it bold gone x = 1 plain");
        Text bold = texts(v).stream()
                .filter(t -> t.getText().equals("bold"))
                .findFirst()
                .orElseThrow();
        assertThat(bold.getFont().getStyle()).containsIgnoringCase("bold");
        assertThat(FontWeight.findByName(bold.getFont().getStyle().split(" ")[0]))
                .isEqualTo(FontWeight.BOLD);
        Text it = texts(v).stream()
                .filter(t -> t.getText().equals("it"))
                .findFirst()
                .orElseThrow();
        assertThat(it.getFont().getStyle()).containsAnyOf("Italic", "Oblique", "italic", "oblique");
        Text gone = texts(v).stream()
                .filter(t -> t.getText().equals("gone"))
                .findFirst()
                .orElseThrow();
        assertThat(gone.isStrikethrough()).isTrue();
        Text code = texts(v).stream()
                .filter(t -> t.getText().equals("x = 1"))
                .findFirst()
                .orElseThrow();
        assertThat(code.getStyleClass()).contains("md-code");
        onlyTextAndLayout(v);
    }

    @Test
    void codeBlocksQuotesAndLists() {
        VBox v = render("```java\nint x = 1;\n```\n\n> quoted *text*\n\n- one\n- two\n\n3. three\n4. four");
        onlyTextAndLayout(v);
        Node block = all(v).stream()
                .filter(n -> n.getStyleClass().contains("md-code-block"))
                .findFirst()
                .orElseThrow();
        assertThat(texts(block)).extracting(Text::getText).contains("int x = 1;");
        assertThat(all(block)).anyMatch(ScrollPane.class::isInstance);
        Fx.run(() -> all(block).stream()
                .filter(Button.class::isInstance)
                .map(Button.class::cast)
                .findFirst()
                .orElseThrow()
                .fire());
        assertThat(copied).containsExactly("int x = 1;");
        assertThat(all(v)).anyMatch(n -> n.getStyleClass().contains("md-quote"));
        assertThat(texts(v)).extracting(Text::getText).contains("\u2022", "3.", "4.", "one", "two", "quoted ");
    }

    @Test
    void headingsImagesAndHtmlStayText() {
        VBox v = render("# Title\n\n![cat](https://example.com/cat.png) <b>bold</b><script>alert(1)</script>\n\n---");
        onlyTextAndLayout(v);
        String shown = shownText(v);
        assertThat(shown).contains("# Title", "<b>bold</b><script>alert(1)</script>", "---", "cat");
        assertThat(texts(v)).noneMatch(t -> t.getFont().getStyle().toLowerCase().contains("bold"));
    }

    @Test
    void safeLinksAreClickableAndGoToTheCaller() {
        VBox v = render("see https://example.com/a?b=1, <mailto:zoe@example.com>, [join](confab://10.0.0.2:7000)");
        onlyTextAndLayout(v);
        assertThat(links(v))
                .extracting(URI::toString)
                .containsExactlyInAnyOrder(
                        "https://example.com/a?b=1", "mailto:zoe@example.com", "confab://10.0.0.2:7000");
        Node link = all(v).stream()
                .filter(n -> MarkdownText.linkTarget(n) != null
                        && MarkdownText.linkTarget(n).getScheme().equals("https"))
                .findFirst()
                .orElseThrow();
        Fx.run(() -> link.fireEvent(new MouseEvent(
                MouseEvent.MOUSE_CLICKED,
                1,
                1,
                1,
                1,
                MouseButton.PRIMARY,
                1,
                false,
                false,
                false,
                false,
                true,
                false,
                false,
                false,
                false,
                true,
                null)));
        assertThat(opened).extracting(URI::toString).containsExactly("https://example.com/a?b=1");
    }

    @Test
    void javascriptAndOtherSchemesStayText() {
        VBox v = render("[click me](javascript:alert(1)) [f](file:///etc/passwd) [d](data:text/html,x) <javascript:x>");
        onlyTextAndLayout(v);
        assertThat(links(v)).isEmpty();
        assertThat(shownText(v)).contains("click me", "f", "d");
    }

    @Test
    void punycodeAndLookAlikeHostsAreDecodedAndMarked() {
        VBox v = render("https://xn--80ak6aa92e.com/login and [pay](https://p\u0430ypal.com)");
        assertThat(links(v)).hasSize(2);
        String shown = shownText(v);
        assertThat(shown).contains("\u0430\u0440\u0440\u04CF\u0435.com/login"); // аррӏе.com, decoded
        assertThat(texts(v)).filteredOn(t -> t.getText().contains("\u26A0")).hasSize(2);
        // a label that looks like another address shows the real one too
        VBox lie = render("[https://bank.example](https://evil.example/x)");
        assertThat(shownText(lie)).contains("https://bank.example", "(https://evil.example/x)");
    }

    @Test
    void aZeroWidthFloodIsDrawnInBoundedRuns() {
        // one Text of this froze the window (JavaFX's complex-shaping layout, quadratic in a Text's length)
        String flood = "**x** " + "abcdefg\u200C".repeat(2_000);
        VBox v = render(flood);
        onlyTextAndLayout(v);
        assertThat(texts(v)).allSatisfy(t -> assertThat(t.getText().length()).isLessThanOrEqualTo(EmojiText.MAX_RUN));
        assertThat(MarkdownText.flows(v).getFirst().originalText()).isEqualTo("x " + "abcdefg\u200C".repeat(2_000));
        // and text past the depth limit, shown plain
        VBox deep = render("- ".repeat(MarkdownText.MAX_DEPTH + 2) + "a\u200C".repeat(3_000));
        assertThat(texts(deep))
                .allSatisfy(t -> assertThat(t.getText().length()).isLessThanOrEqualTo(EmojiText.MAX_RUN));
    }

    @Test
    void bidiAndZeroWidthCharactersAreTakenOutOfLinks() {
        VBox v =
                render("[in\u200Bvoice\u202Egpj.exe](https://example.com/\u202Eexe.txt) and https://exa\u200Bmple.com");
        onlyTextAndLayout(v);
        for (Text t : texts(v)) {
            if (t.getStyleClass().contains("md-link")) {
                assertThat(t.getText()).doesNotContain("\u202E", "\u200B");
            }
        }
        assertThat(shownText(v)).contains("invoicegpj.exe");
    }

    @Test
    void tenThousandNestedQuotesStayShallow() {
        VBox v = render(">".repeat(10_000) + " deep");
        onlyTextAndLayout(v);
        int depth = 0;
        Node n = v;
        while (true) {
            Node next = n instanceof Parent p
                    ? p.getChildrenUnmodifiable().stream()
                            .filter(c -> c.getStyleClass().contains("md-quote"))
                            .findFirst()
                            .orElse(null)
                    : null;
            if (next == null) {
                break;
            }
            depth++;
            n = next;
        }
        assertThat(depth).isLessThanOrEqualTo(MarkdownText.MAX_DEPTH);
        assertThat(shownText(v)).contains("deep").contains(">>>>");
        // and as many quote lines
        VBox lines = render("> a\n".repeat(2_000));
        assertThat(shownText(lines)).contains("a");
    }

    @Test
    void aMebibyteCodeBlockIsCutButCopiedWhole() {
        String line = "x".repeat(63) + "\n";
        String code = line.repeat(16_384); // 1 MiB
        VBox v = render("```\n" + code + "```");
        int shownChars = texts(v).stream().mapToInt(t -> t.getText().length()).sum();
        assertThat(shownChars).isLessThan(MarkdownText.MAX_CODE_CHARS + 200);
        assertThat(texts(v)).anyMatch(t -> t.getText().contains("more lines"));
        Fx.run(() -> all(v).stream()
                .filter(Button.class::isInstance)
                .map(Button.class::cast)
                .findFirst()
                .orElseThrow()
                .fire());
        assertThat(copied.getLast()).hasSize(code.length() - 1).isEqualTo(code.substring(0, code.length() - 1));
    }

    @Test
    void nestedAndUnbalancedMarkupIsText() {
        String nasty = "**a *b ~~c `d [e](f **g** _h";
        VBox v = render(nasty + " " + "*".repeat(5_000) + "[".repeat(5_000) + "_a_".repeat(2_000));
        onlyTextAndLayout(v);
        assertThat(shownText(v)).contains("a", "b", "c", "`d", "[e](f");
        VBox deep = render("*a ".repeat(3_000) + "x" + " a*".repeat(3_000));
        onlyTextAndLayout(deep);
        assertThat(shownText(deep)).contains("x");
        // deeper than any thread's stack can walk (and far longer than the wire carries): shown as
        // the text it is, cut as plain text is, the app unharmed
        VBox deeper = render("*a ".repeat(40_000) + "y" + " a*".repeat(40_000));
        onlyTextAndLayout(deeper);
        assertThat(shownText(deeper))
                .startsWith("*a *a *a ")
                .endsWith("\u2026")
                .hasSize(MarkdownText.MAX_CODE_CHARS + 1);
    }

    @Test
    void emojiInsideMarkdownAreImagesAndEmojiOnlyIsLarge() {
        VBox v = render("**hi \uD83D\uDC4B\uD83C\uDFFD** `\uD83D\uDE00`");
        assertThat(all(v)).filteredOn(EmojiView.class::isInstance).hasSize(1); // code stays literal
        VBox big = render("\uD83C\uDF89\uD83C\uDF89");
        assertThat(all(big))
                .filteredOn(EmojiView.class::isInstance)
                .allMatch(n -> n.getStyleClass().contains("emoji-large"));
    }

    @Test
    void aFloodOfInvisibleCharactersIsHiddenSaidSoAndCopiedBack() {
        String unit = "a\u200B\u200C\u200D\uFEFF";
        String flood = "**x** " + unit.repeat(3_000);
        VBox v = render(flood);
        onlyTextAndLayout(v);
        // none of them is drawn (JavaFX's layout of them was what froze the window)
        assertThat(texts(v)).noneMatch(t -> t.getText().codePoints().anyMatch(EmojiText::isInvisible));
        Text note = texts(v).stream()
                .filter(t -> t.getStyleClass().contains("hidden-note"))
                .findFirst()
                .orElseThrow();
        assertThat(note.getText())
                .contains("12,000 invisible characters hidden")
                .contains("U+200B \u00D73,000", "U+200C \u00D73,000", "U+200D \u00D73,000", "U+FEFF \u00D73,000");
        // the text as sent comes back: all of it, and a part of it selected
        EmojiFlow text = MarkdownText.flows(v).getFirst();
        assertThat(text.originalText()).isEqualTo("x " + unit.repeat(3_000));
        Fx.run(() -> text.select(2, 4)); // "aa" as drawn
        assertThat(Fx.call(text::selectedText)).isEqualTo(unit.repeat(2));
        assertThat(MarkdownText.flows(v).getLast().originalText())
                .as("the note copies as nothing")
                .isEmpty();
        // and what was hidden, on demand: the characters named by their codes
        assertThat(EmojiText.decoded(unit, 100)).isEqualTo("a[U+200B][U+200C][U+200D][U+FEFF]");
    }

    @Test
    void aFewInvisibleCharactersAndEmojiSequencesAreLeftAsTheyAre() {
        // a zero-width non-joiner as Persian writes it, and ZWJ families: drawn as sent, nothing hidden
        String persian = "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645 *\u0645\u06CC\u200C\u0631\u0648\u0645*";
        String families = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 ".repeat(40) + "*ok*";
        for (String text : List.of(persian, families)) {
            VBox v = render(text);
            assertThat(texts(v)).noneMatch(t -> t.getStyleClass().contains("hidden-note"));
            assertThat(texts(v)).noneMatch(t -> t.getUserData() instanceof HiddenChars);
        }
        assertThat(texts(render(persian))).anyMatch(t -> t.getText().contains("\u200C"));
    }

    @Test
    void aLongMessageShowsItsStartAndShowAllOnDemand() {
        List<Runnable> asked = new ArrayList<>();
        String words = "word ".repeat(3_000); // 15,000 characters
        VBox v = Fx.call(() -> {
            VBox p = md.preview(words, () -> asked.add(null));
            root.getChildren().setAll(p);
            return p;
        });
        onlyTextAndLayout(v);
        int shown = texts(v).stream()
                .filter(t -> !t.getStyleClass().contains("md-show-all"))
                .mapToInt(t -> t.getText().length())
                .sum();
        assertThat(shown)
                .isLessThanOrEqualTo(MarkdownText.MAX_SHOWN_CHARS)
                .isGreaterThan(MarkdownText.MAX_SHOWN_CHARS / 2);
        assertThat(words).startsWith(shownText(v));
        Text more = texts(v).stream()
                .filter(t -> t.getStyleClass().contains("md-show-all"))
                .findFirst()
                .orElseThrow();
        assertThat(more.getText())
                .contains(String.format("%,d more characters", words.length() - MarkdownText.shownLength(words)));
        Fx.run(() -> more.fireEvent(new MouseEvent(
                MouseEvent.MOUSE_CLICKED,
                1,
                1,
                1,
                1,
                MouseButton.PRIMARY,
                1,
                false,
                false,
                false,
                false,
                true,
                false,
                false,
                false,
                false,
                true,
                null)));
        assertThat(asked).hasSize(1);
        // lines too: 2,000 quote lines show at most MAX_SHOWN_LINES
        VBox lines = Fx.call(() -> md.preview("> a\n".repeat(2_000), () -> {}));
        assertThat(shownText(lines).lines().count()).isLessThanOrEqualTo(MarkdownText.MAX_SHOWN_LINES);
        // a short one is all there, with nothing to click
        assertThat(texts(Fx.call(() -> md.preview("*short*", () -> {}))))
                .noneMatch(t -> t.getStyleClass().contains("md-show-all"));
        // never cut inside an emoji sequence
        String emoji = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67".repeat(1_000);
        int cut = MarkdownText.shownLength(emoji);
        assertThat(cut % 8).isZero();
        assertThat(cut).isPositive().isLessThanOrEqualTo(MarkdownText.MAX_SHOWN_CHARS);
    }

    @Test
    void runsOfOneStyleAreOneTextRunNotOneNodeEach() {
        // 2,000 quote lines were 4,000 Text nodes (a line and its break each)
        VBox lines = render("> a\n".repeat(2_000));
        assertThat(texts(lines)).hasSizeLessThan(100);
        assertThat(shownText(lines)).isEqualTo(("a\n".repeat(2_000)).strip());
        VBox html = render("<b>bold</b><i>x</i> ".repeat(150));
        assertThat(texts(html)).hasSizeLessThan(40);
        assertThat(shownText(html)).isEqualTo(("<b>bold</b><i>x</i> ".repeat(150)).strip());
    }
}
