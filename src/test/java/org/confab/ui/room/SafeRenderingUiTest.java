package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.Tooltip;
import javafx.scene.shape.Path;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.confab.core.ChatMessage;
import org.confab.core.InviteLink;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.emoji.EmojiFlow;
import org.confab.ui.markdown.MarkdownText;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kordamp.ikonli.javafx.FontIcon;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * What a hostile peer (or host) can put on screen: markup, bidi overrides, zero-width characters
 * and a 10,000-character nickname arrive through the real bridge and are shown as literal text,
 * within the list's width, without freezing the FX thread. Names mixing scripts get a warning mark.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class SafeRenderingUiTest {
    static final String MARKUP = "<b>bold</b> <script>alert(1)</script> &amp;";
    static final String BIDI = "invoice\u202Egpj.exe and more";
    static final String ZERO_WIDTH = "pay\u200Bpal\u200D confirmed";
    static final String LONG_NICK = "W".repeat(10_000);
    static final String LOOKALIKE = "p\u0430ypal"; // Cyrillic a among Latin letters
    private static final Instant T = Instant.parse("2026-01-01T12:00:00Z");

    private RoomViewModel vm;
    private ListView<ChatItem> messages;
    private ListView<String> members;
    private FxBridge bridge;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        Theme theme = new Theme(settings);
        theme.install();
        vm = new RoomViewModel(false, Runnable::run);
        RoomViewFixture.joined(
                vm,
                RoomViewFixture.ME,
                new Message.Welcome(
                        1, "Safe", "me", List.of("me", "mallory", LOOKALIKE, LONG_NICK), List.of(), 0, "test"),
                new InviteLink("h", 1));
        Scene scene = RoomViewFixture.show(stage, vm, theme, 900, 640);
        bridge = new FxBridge(vm::apply);
        @SuppressWarnings("unchecked")
        ListView<ChatItem> m = (ListView<ChatItem>) scene.lookup("#messageList");
        messages = m;
        @SuppressWarnings("unchecked")
        ListView<String> mem = (ListView<String>) scene.lookup("#memberList");
        members = mem;
    }

    /** Posts as the host would relay it: through the bridge, from a network thread. */
    private void post(long seq, String sender, String text) {
        bridge.event(
                new RoomEvent.Posted(new ChatMessage(seq, "id" + seq, sender, text, T.plusSeconds(seq * 600))), null);
    }

    @Test
    void hostileTextIsShownLiterallyWithinTheListAndTheUiStaysResponsive(FxRobot robot) throws Exception {
        List<String[]> sent = List.of(
                new String[] {"mallory", MARKUP},
                new String[] {"mallory", BIDI},
                new String[] {LOOKALIKE, ZERO_WIDTH},
                new String[] {LONG_NICK, "a name as long as a book"},
                new String[] {"mallory", "W".repeat(5_000)});
        Thread network = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < sent.size(); i++) {
                post(i + 1, sent.get(i)[0], sent.get(i)[1]);
            }
        });
        network.join();
        Fx.await(
                "all messages in the list",
                10,
                () -> vm.messages().stream()
                                .filter(i -> i instanceof ChatItem.Message)
                                .count()
                        == sent.size());

        for (String[] m : sent) {
            int index = Fx.call(() -> indexOf(m[1]));
            // scroll and lay out in one FX turn (the view's stick-to-bottom runs after pulses)
            Fx.await("a cell for message " + index, 10, () -> {
                messages.scrollTo(index);
                messages.applyCss();
                messages.layout();
                return check(m);
            });
        }
        assertThat(Fx.call(() -> messages.lookupAll(".scroll-bar").stream()
                        .filter(n -> n instanceof ScrollBar s
                                && s.getOrientation() == Orientation.HORIZONTAL
                                && s.isVisible())
                        .count()))
                .as("no horizontal scrolling in the message list")
                .isZero();

        // the FX thread answers promptly with the long name on screen
        int longNameRow = Fx.call(() -> indexOf("a name as long as a book"));
        Fx.run(() -> messages.scrollTo(longNameRow));
        AtomicLong worst = new AtomicLong();
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            Fx.run(() -> {
                messages.requestLayout();
                messages.layout();
            });
            worst.accumulateAndGet(System.nanoTime() - t0, Math::max);
        }
        assertThat(worst.get() / 1_000_000)
                .as("ms for a round trip with layout")
                .isLessThan(1_000);
    }

    @Test
    void memberListFlagsMixedScriptsAndKeepsLongNamesInside(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        List<MemberCell> cells = Fx.call(() -> {
            List<MemberCell> out = new ArrayList<>();
            members.lookupAll(".member-cell").forEach(n -> {
                if (n instanceof MemberCell c && c.getItem() != null) {
                    out.add(c);
                }
            });
            return out;
        });
        assertThat(cells).hasSize(4);
        for (MemberCell c : cells) {
            Fx.run(() -> {
                FontIcon mark = (FontIcon) c.lookup(".mixed-script-mark");
                Label name = (Label) c.lookup(".member-name");
                assertThat(name.getText()).isEqualTo(c.getItem());
                assertThat(mark.isVisible())
                        .as(c.getItem().substring(0, Math.min(10, c.getItem().length())))
                        .isEqualTo(c.getItem().equals(LOOKALIKE));
                if (mark.isVisible()) {
                    Object tip = mark.getProperties().get("javafx.scene.control.Tooltip");
                    assertThat(tip).isInstanceOf(Tooltip.class);
                    assertThat(((Tooltip) tip).getText())
                            .isEqualTo(
                                    "This name mixes alphabets (e.g. Cyrillic and Latin) and may imitate another name");
                }
                var inList = members.sceneToLocal(
                        c.getGraphic().localToScene(c.getGraphic().getBoundsInLocal()));
                assertThat(inList.getMaxX()).isLessThanOrEqualTo(members.getWidth() + 0.5);
            });
        }
    }

    /** Runs on the FX thread: false if no cell shows the message yet, else asserts on it. */
    private boolean check(String[] m) {
        ChatCell cell = cellShowing(m[1]);
        if (cell == null) {
            return false;
        }
        // the text: plain Text nodes holding exactly what was sent (no emoji in these texts)
        EmojiFlow flow = (EmojiFlow) cell.lookup(".bubble-flow");
        // a text longer than a bubble shows is cut (at a character, never inside one) with "Show all" below
        String shown = m[1].substring(0, MarkdownText.shownLength(m[1]));
        assertThat(flow.originalText()).isEqualTo(shown);
        assertThat(cell.lookup(".md-show-all") != null)
                .as("'Show all' under a cut message only")
                .isEqualTo(shown.length() < m[1].length());
        List<Node> texts =
                flow.getChildren().stream().filter(n -> !(n instanceof Path)).toList();
        assertThat(texts).allSatisfy(n -> assertThat(n).isInstanceOf(Text.class));
        // what is shown: the same, but a direction control as a marker, never obeyed (copy gives it back)
        assertThat(String.join("", texts.stream().map(n -> ((Text) n).getText()).toList()))
                .isEqualTo(shown.replace("\u202E", "[U+202E]"));
        // the sender's name: literal, and cut to fit instead of widening the row
        Label name = (Label) cell.lookup(".msg-name");
        assertThat(name.getText()).isEqualTo(m[0]);
        double listWidth = messages.getWidth();
        assertThat(cell.getWidth()).isLessThanOrEqualTo(listWidth);
        Node row = cell.getGraphic();
        var inList = messages.sceneToLocal(row.localToScene(row.getBoundsInLocal()));
        assertThat(inList.getMaxX()).as("row within the list").isLessThanOrEqualTo(listWidth + 0.5);
        var nameInList = messages.sceneToLocal(name.localToScene(name.getBoundsInLocal()));
        assertThat(nameInList.getMaxX()).as("name within the list").isLessThanOrEqualTo(listWidth + 0.5);
        // a mixed-script name is flagged next to it
        FontIcon mark = (FontIcon) cell.lookup(".mixed-script-mark");
        assertThat(mark.isVisible())
                .as("look-alike mark for %s", m[0].substring(0, Math.min(10, m[0].length())))
                .isEqualTo(m[0].equals(LOOKALIKE));
        return true;
    }

    private int indexOf(String text) {
        for (int i = 0; i < vm.messages().size(); i++) {
            if (vm.messages().get(i) instanceof ChatItem.Message m && m.text().equals(text)) {
                return i;
            }
        }
        throw new AssertionError("no message " + text);
    }

    private ChatCell cellShowing(String text) {
        for (Node n : messages.lookupAll(".chat-cell")) {
            if (n instanceof ChatCell c
                    && c.getItem() instanceof ChatItem.Message m
                    && m.text().equals(text)
                    && c.isVisible()
                    && c.getGraphic() != null) {
                return c;
            }
        }
        return null;
    }
}
