package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** A message that names me is marked in its bubble (the @nick and an edge), and still copies as it was written. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class MentionUiTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
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
                new Message.Welcome(1, "Team", "me", List.of("me", "bob"), List.of(), 0, "test"),
                new InviteLink("h", 1));
        scene = RoomViewFixture.scene(vm, theme, 900, 600, text -> {});
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void aMessageThatNamesMeIsMarkedAndCopiesAsWritten() {
        String text = "hey @me, can you look?";
        Fx.run(() -> vm.apply(List.of(
                new FxBridge.Update.Event(new RoomEvent.Posted(new ChatMessage(2, "a", "bob", text, T))),
                new FxBridge.Update.Event(
                        new RoomEvent.Posted(new ChatMessage(3, "b", "bob", "nothing for you", T))))));
        Fx.await("both shown", 10, () -> rowOf(text) != null && rowOf("nothing for you") != null);
        Node row = Fx.call(() -> rowOf(text));
        assertThat(Fx.call(() -> row.lookup(".msg-row").getPseudoClassStates().toString()))
                .contains("mentioned");
        assertThat(Fx.call(() -> row.lookupAll(".mention").stream()
                        .map(n -> ((Text) n).getText())
                        .toList()))
                .containsExactly("@me");
        EmojiFlow flow = Fx.call(() -> (EmojiFlow) row.lookup(".bubble-flow"));
        assertThat(Fx.call(() -> {
                    flow.selectAll();
                    return flow.selectedText();
                }))
                .isEqualTo(text);
        Node other = Fx.call(() -> rowOf("nothing for you"));
        assertThat(Fx.call(() -> other.lookup(".msg-row").getPseudoClassStates().toString()))
                .doesNotContain("mentioned");
        assertThat(Fx.call(() -> other.lookupAll(".mention"))).isEmpty();
    }

    @Test
    void formattedMessagesAreMarkedToo() {
        String text = "**review** please, @me — see https://example.org";
        Fx.run(() -> vm.apply(
                List.of(new FxBridge.Update.Event(new RoomEvent.Posted(new ChatMessage(4, "c", "bob", text, T))))));
        Fx.await("shown", 10, () -> rowOf(text) != null);
        Node row = Fx.call(() -> rowOf(text));
        assertThat(Fx.call(() -> row.lookupAll(".mention").stream()
                        .map(n -> ((Text) n).getText())
                        .toList()))
                .containsExactly("@me");
        assertThat(Fx.call(() -> row.lookup(".md-strong"))).isNotNull();
    }

    @Test
    void markRangesFollowTheMentionRule() {
        assertThat(MentionMarks.ranges("hi @Me and me, not meme", "me"))
                .extracting(r -> r[0] + "-" + r[1])
                .containsExactly("3-6", "11-13");
        assertThat(MentionMarks.ranges("nothing", "me")).isEmpty();
    }

    private Node rowOf(String text) {
        @SuppressWarnings("unchecked")
        ListView<ChatItem> list = (ListView<ChatItem>) scene.lookup("#messageList");
        return list.lookupAll(".chat-cell").stream()
                .filter(n -> n instanceof ListCell<?> c
                        && c.getItem() instanceof ChatItem.Message m
                        && m.text().equals(text))
                .findFirst()
                .orElse(null);
    }
}
