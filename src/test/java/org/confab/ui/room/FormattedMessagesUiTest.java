package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
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
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A message written with Markdown looks the way its sender meant (bold, code, a link), drawn as
 * text nodes; a click on a link goes to the room view's actions, and plain text stays plain.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class FormattedMessagesUiTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final String FORMATTED = "**ship it** after `mvn verify`, notes at https://example.org/notes";
    private final List<URI> opened = new CopyOnWriteArrayList<>();
    private RoomViewModel vm;
    private Scene scene;

    @Start
    void start(Stage stage) {
        Theme theme = new Theme(Settings.inMemory());
        theme.install();
        vm = new RoomViewModel(false, Runnable::run);
        RoomViewFixture.joined(
                vm,
                RoomViewFixture.ME,
                new Message.Welcome(1, "Fmt", "me", List.of("me", "bob"), List.of(), 0, "test"),
                new InviteLink("h", 1));
        scene = RoomViewFixture.scene(vm, theme, 900, 600, text -> {}, new RoomView.Actions() {
            @Override
            public void leave(RoomViewModel r) {}

            @Override
            public void reconnect(RoomViewModel r) {}

            @Override
            public void toggleTheme() {}

            @Override
            public void openLink(URI uri) {
                opened.add(uri);
            }
        });
        stage.setScene(scene);
        stage.show();
    }

    private Node bubbleOf(String text) {
        @SuppressWarnings("unchecked")
        ListView<ChatItem> list = (ListView<ChatItem>) scene.lookup("#messageList");
        return list.lookupAll(".chat-cell").stream()
                .filter(n -> n instanceof ListCell<?> c
                        && c.getItem() instanceof ChatItem.Message m
                        && m.text().equals(text))
                .map(n -> n.lookup(".bubble"))
                .findFirst()
                .orElse(null);
    }

    @Test
    void markdownIsDrawnAsTextNodesAndLinksGoToTheView(FxRobot robot) {
        Fx.run(() -> vm.apply(List.of(
                new FxBridge.Update.Event(new RoomEvent.Posted(new ChatMessage(2, "a", "bob", FORMATTED, T))),
                new FxBridge.Update.Event(
                        new RoomEvent.Posted(new ChatMessage(3, "b", "bob", "just text, 2 * 3 = 6", T))))));
        Fx.await("both shown", 10, () -> bubbleOf(FORMATTED) != null && bubbleOf("just text, 2 * 3 = 6") != null);
        Node bubble = Fx.call(() -> bubbleOf(FORMATTED));
        assertThat(Fx.call(() -> bubble.lookup(".bubble-md")))
                .as("drawn as Markdown")
                .isNotNull();
        assertThat(Fx.call(() -> bubble.lookupAll(".md-strong").stream()
                        .map(n -> ((Text) n).getFont().getStyle().toLowerCase())
                        .toList()))
                .singleElement()
                .satisfies(style -> assertThat(style).contains("bold"));
        assertThat(Fx.call(() -> bubble.lookupAll(".md-strong").stream()
                        .map(n -> ((Text) n).getText())
                        .toList()))
                .containsExactly("ship it");
        assertThat(Fx.call(() -> bubble.lookupAll(".md-code").stream()
                        .map(n -> ((Text) n).getText())
                        .toList()))
                .containsExactly("mvn verify");
        Node link = Fx.call(() -> bubble.lookupAll(".md-link").stream()
                .filter(n -> MarkdownText.linkTarget(n) != null)
                .findFirst()
                .orElseThrow());
        assertThat(Fx.call(() -> MarkdownText.linkTarget(link))).isEqualTo(URI.create("https://example.org/notes"));
        robot.clickOn(link);
        Fx.await(
                "the view is asked to open it",
                10,
                () -> opened.equals(List.of(URI.create("https://example.org/notes"))));
        // "2 * 3" is no emphasis: that text has a single star, and is shown as it was written
        Node plain = Fx.call(() -> bubbleOf("just text, 2 * 3 = 6"));
        assertThat(Fx.call(() -> String.join(
                                "",
                                plain.lookupAll(".md-text").stream()
                                        .map(n -> ((Text) n).getText())
                                        .toList())
                        + String.join(
                                "",
                                plain.lookupAll(".bubble-text").stream()
                                        .map(n -> ((Text) n).getText())
                                        .toList())))
                .isEqualTo("just text, 2 * 3 = 6");
    }

    private String shownChars(Node bubble) {
        return Fx.call(() -> bubble.lookupAll(".bubble-text").stream()
                .filter(n -> n instanceof Text t && !t.getStyleClass().contains("hidden-note"))
                .map(n -> ((Text) n).getText())
                .reduce("", String::concat));
    }

    @Test
    void aLongMessageShowsItsStartUntilShowAll(FxRobot robot) {
        String longText = "all work and no play ".repeat(700); // 14,700 characters, plain
        Fx.run(() -> vm.apply(List.of(
                new FxBridge.Update.Event(new RoomEvent.Posted(new ChatMessage(4, "long", "bob", longText, T))))));
        Fx.await("shown", 10, () -> bubbleOf(longText) != null);
        Node bubble = Fx.call(() -> bubbleOf(longText));
        assertThat(shownChars(bubble).length())
                .isLessThanOrEqualTo(MarkdownText.MAX_SHOWN_CHARS)
                .isPositive();
        assertThat(longText).startsWith(shownChars(bubble));
        Node more = Fx.call(() -> bubble.lookup(".md-show-all"));
        assertThat(more).isNotNull();
        robot.clickOn(more);
        Fx.await(
                "the whole text",
                10,
                () -> bubbleOf(longText) != null
                        && shownChars(bubbleOf(longText)).equals(longText)
                        && bubbleOf(longText).lookup(".md-show-all") == null);
    }

    @Test
    void aFloodOfZeroWidthCharactersIsHiddenInTheBubbleWithANote() {
        String flood = "hello" + "\u200B".repeat(500) + " world";
        Fx.run(() -> vm.apply(
                List.of(new FxBridge.Update.Event(new RoomEvent.Posted(new ChatMessage(5, "zw", "bob", flood, T))))));
        Fx.await("shown", 10, () -> bubbleOf(flood) != null);
        Node bubble = Fx.call(() -> bubbleOf(flood));
        assertThat(shownChars(bubble)).isEqualTo("hello world");
        assertThat(Fx.call(() -> ((Text) bubble.lookup(".hidden-note")).getText()))
                .contains("500 invisible characters hidden: U+200B \u00D7500");
        // what copy gives: the text as sent
        assertThat(Fx.call(() -> ((EmojiFlow) bubble.lookup(".bubble-flow")).originalText()))
                .isEqualTo(flood);
    }
}
