package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.confab.core.ChatMessage;
import org.confab.core.InviteLink;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The actions bar over a message, driven with the mouse in a real window: it shows on the row under
 * the pointer without moving anything, Reply, 👍, the emoji picker, Edit and "More" (the row's menu,
 * whose "Copy text" copies the text as it was written) do what the menu does, Edit only on our own
 * messages, nothing on a deleted message; one bar for the list; it goes when the pointer leaves, and
 * the row chosen with the keyboard has it too. Also: a reply's quote, clicked, brings
 * the message it answers into view.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class MessageBarUiTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final String BOBS = "**Ship** it on Friday? 🚀 ci.example.lan/job/42";
    private static final String MINE = "Sounds good, I'll tag it";
    private static final String GONE = "wrong room, sorry";

    private RoomViewModel vm;
    private Scene scene;
    private final List<String> copied = new CopyOnWriteArrayList<>();
    /** The room's next sequence number, as its host would give it. */
    private final AtomicLong seq = new AtomicLong(10);

    /** "me", whose reactions come back from the "host" as a reaction event (the way a real one answers). */
    private final RoomActions me = new RoomActions() {
        @Override
        public String nick() {
            return "me";
        }

        @Override
        public String send(String text) {
            return "c-" + text.hashCode();
        }

        @Override
        public boolean react(long target, String emoji, boolean on) {
            long s = seq.incrementAndGet();
            Platform.runLater(() -> vm.apply(
                    List.of(new FxBridge.Update.Event(new RoomEvent.Reacted(s, "r" + s, T, target, "me", emoji, on)))));
            return true;
        }

        @Override
        public void leave() {}
    };

    @Start
    void start(Stage stage) {
        Theme theme = new Theme(Settings.inMemory());
        theme.install();
        vm = new RoomViewModel(false, Runnable::run);
        RoomViewFixture.joined(
                vm,
                me,
                new Message.Welcome(1, "Team", "me", List.of("me", "bob"), List.of(), 0, "test"),
                new InviteLink("h", 1));
        scene = RoomViewFixture.scene(vm, theme, 1000, 640, copied::add);
        stage.setScene(scene);
        stage.show();
    }

    private void post(long s, String sender, String text, long replyTo) {
        Fx.run(() -> vm.apply(List.of(new FxBridge.Update.Event(
                new RoomEvent.Posted(new ChatMessage(s, "m" + s, sender, text, T, replyTo))))));
    }

    @Test
    void theBarOnAMessageDoesWhatItsMenuDoes(FxRobot robot) {
        post(2, "bob", BOBS, 0);
        post(3, "me", MINE, 0);
        post(4, "bob", GONE, 0);
        Fx.run(() -> vm.apply(List.of(new FxBridge.Update.Event(new RoomEvent.Deleted(5, "d5", T, 4, "bob")))));
        Fx.await(
                "three rows", 10, () -> rowOf(BOBS) != null && rowOf(MINE) != null && rowOf("Message deleted") != null);
        // the pointer away from the list (a test before may have left it where these rows are now)
        robot.moveTo(Fx.call(() -> scene.lookup("#input")));
        Fx.await("no bar while the pointer is away", 10, () -> scene.lookup("#hoverBar") == null);

        // the pointer on bob's message: the bar, on that row, and nothing moved
        Bounds before = Fx.call(() -> onScreen(rowOf(BOBS).lookup(".bubble")));
        Fx.settled("bob's bubble", () -> rowOf(BOBS).lookup(".bubble"));
        robot.moveTo(Fx.call(() -> rowOf(BOBS).lookup(".bubble")));
        Fx.await("the bar on bob's message", 10, () -> barRow() == rowOf(BOBS));
        assertThat(Fx.call(() -> onScreen(rowOf(BOBS).lookup(".bubble"))))
                .as("the bubble where it was")
                .isEqualTo(before);
        assertThat(Fx.call(() -> scene.lookup("#hoverEdit").isVisible()))
                .as("no Edit on someone else's message")
                .isFalse();
        Bounds bar = Fx.call(() -> onScreen(scene.lookup("#hoverBar")));
        Bounds bubble = Fx.call(() -> onScreen(rowOf(BOBS).lookup(".bubble")));
        assertThat(bar.getMinX()).as("beside the bubble, not over its text").isGreaterThanOrEqualTo(bubble.getMaxX());
        Bounds list = Fx.call(() -> onScreen(scene.lookup("#messageList")));
        assertThat(list.contains(bar)).as("the whole bar inside the list").isTrue();

        // Reply: the composer answers bob's message
        robot.clickOn(Fx.call(() -> scene.lookup("#hoverReply")));
        Fx.await("replying to bob", 10, () -> vm.replyingToProperty().get() != null);
        assertThat(Fx.call(() -> vm.replyingToProperty().get().seq())).isEqualTo(2);
        Fx.run(vm::cancelReply);

        // 👍: our reaction, as a chip under the message
        robot.moveTo(Fx.call(() -> rowOf(BOBS).lookup(".bubble")));
        Fx.await("the bar again", 10, () -> barRow() == rowOf(BOBS));
        robot.clickOn(Fx.call(() -> scene.lookup("#hoverReact")));
        Fx.await("a chip", 10, () -> rowOf(BOBS).lookup(".reaction-chip") != null);
        ToggleButton chip = (ToggleButton) Fx.call(() -> rowOf(BOBS).lookup(".reaction-chip"));
        assertThat(Fx.call(chip::getUserData)).isEqualTo("👍 1");
        assertThat(Fx.call(chip::isSelected)).as("ours").isTrue();

        // the picker: any emoji, a second chip
        Node firstBar = Fx.call(() -> scene.lookup("#hoverBar"));
        robot.moveTo(Fx.call(() -> rowOf(BOBS).lookup(".bubble")));
        Fx.await("the bar again", 10, () -> barRow() == rowOf(BOBS));
        robot.clickOn(Fx.call(() -> scene.lookup("#hoverPickReaction")));
        Fx.await(
                "the picker",
                10,
                () -> robot.lookup("#emojiSearch")
                        .tryQuery()
                        .filter(Node::isVisible)
                        .isPresent());
        Fx.run(() -> robot.lookup("#emojiSearch").queryAs(TextField.class).setText("party popper"));
        Fx.await(
                "found",
                10,
                () -> robot.lookup(".emoji-cell")
                        .tryQuery()
                        .filter(Node::isVisible)
                        .isPresent());
        Node cell = Fx.call(() -> robot.lookup(".emoji-cell").query());
        robot.clickOn(cell);
        Fx.await(
                "a second chip",
                10,
                () -> rowOf(BOBS).lookupAll(".reaction-chip").size() == 2);

        // More: the row's menu; its Copy text copies the text as written (Markdown, emoji and all)
        robot.moveTo(Fx.call(() -> rowOf(BOBS).lookup(".bubble")));
        Fx.await("the bar again", 10, () -> barRow() == rowOf(BOBS));
        robot.clickOn(Fx.call(() -> scene.lookup("#hoverMore")));
        Fx.await(
                "the menu",
                10,
                () -> robot.lookup("Copy link to message")
                        .tryQuery()
                        .filter(Node::isVisible)
                        .isPresent());
        assertThat(robot.lookup("Delete").tryQuery()).as("not ours to delete").isEmpty();
        robot.clickOn("Copy text");
        Fx.await("copied", 10, () -> !copied.isEmpty());
        assertThat(copied).containsExactly(BOBS);

        // our own message: Edit there, and it starts editing it
        robot.moveTo(Fx.call(() -> rowOf(MINE).lookup(".bubble")));
        Fx.await("the bar on ours", 10, () -> barRow() == rowOf(MINE));
        assertThat(Fx.call(() -> scene.lookup("#hoverEdit").isVisible())).isTrue();
        Bounds mineBar = Fx.call(() -> onScreen(scene.lookup("#hoverBar")));
        Bounds mineBubble = Fx.call(() -> onScreen(rowOf(MINE).lookup(".bubble")));
        assertThat(mineBar.getMaxX()).as("beside our bubble, on its left").isLessThanOrEqualTo(mineBubble.getMinX());
        robot.clickOn(Fx.call(() -> scene.lookup("#hoverEdit")));
        Fx.await("editing ours", 10, () -> vm.editingProperty().get() != null);
        assertThat(Fx.call(() -> vm.editingProperty().get().text())).isEqualTo(MINE);
        Fx.run(vm::cancelEdit);

        assertThat(Fx.call(() -> scene.lookup("#hoverBar")))
                .as("one bar for the list, moved from row to row")
                .isSameAs(firstBar);
        assertThat(Fx.call(() -> scene.getRoot().lookupAll("#hoverBar"))).hasSize(1);

        // a deleted message offers nothing: no bar
        robot.moveTo(Fx.call(() -> rowOf("Message deleted").lookup(".bubble")));
        Fx.await("no bar on the deleted one", 10, () -> barRow() == null);

        // back on bob's, then away: gone
        robot.moveTo(Fx.call(() -> rowOf(BOBS).lookup(".bubble")));
        Fx.await("the bar on bob's message", 10, () -> barRow() == rowOf(BOBS));
        robot.moveTo(Fx.call(() -> scene.lookup("#input")));
        Fx.await("the bar gone with the pointer", 10, () -> barRow() == null);

        // with the keyboard: the row chosen in the list has it, Down takes it to the next row
        @SuppressWarnings("unchecked")
        ListView<ChatItem> messages = (ListView<ChatItem>) Fx.call(() -> scene.lookup("#messageList"));
        Fx.run(() -> {
            messages.requestFocus();
            messages.getSelectionModel()
                    .clearAndSelect(messages.getItems().indexOf(((ListCell<?>) rowOf(BOBS)).getItem()));
        });
        Fx.await("the bar on the chosen row", 10, () -> barRow() == rowOf(BOBS));
        robot.type(KeyCode.DOWN);
        Fx.await("the bar on the next row", 10, () -> barRow() == rowOf(MINE));
        Fx.run(() -> scene.lookup("#input").requestFocus());
        Fx.await("the bar gone with the focus", 10, () -> barRow() == null);
    }

    @Test
    void clickingAReplysQuoteBringsTheOriginalIntoView(FxRobot robot) {
        String original = "Where is the release checklist?";
        post(2, "bob", original, 0);
        List<ChatMessage> between = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            between.add(new ChatMessage(3 + i, "f" + i, i % 2 == 0 ? "bob" : "me", "line " + i, T));
        }
        Fx.run(() -> vm.apply(between.stream()
                .map(m -> (FxBridge.Update) new FxBridge.Update.Event(new RoomEvent.Posted(m)))
                .toList()));
        String reply = "It's in the wiki";
        post(70, "me", reply, 2);
        Fx.await(
                "the reply at the bottom, with its quote",
                10,
                () -> rowOf(reply) != null
                        && rowOf(reply).lookup(".reply-quote").isVisible());
        assertThat(Fx.call(() -> shown(original)))
                .as("the original out of view")
                .isFalse();

        Fx.settled("the quote", () -> rowOf(reply).lookup(".reply-quote"));
        robot.clickOn(Fx.call(() -> rowOf(reply).lookup(".reply-quote")));
        Fx.await(
                "the original shown",
                10,
                () -> shown(original),
                () -> "row "
                        + ((ListView<?>) scene.lookup("#messageList"))
                                .getSelectionModel()
                                .getSelectedIndex()
                        + " selected, the original's row " + rowOf(original));
        assertThat(Fx.call(() -> ((ListCell<?>) rowOf(original)).isSelected()))
                .as("and marked")
                .isTrue();
    }

    /** True if the row reading {@code text} is drawn inside the list's visible area. */
    private boolean shown(String text) {
        Node row = rowOf(text);
        if (row == null || !row.isVisible()) {
            return false;
        }
        Bounds list = onScreen(scene.lookup("#messageList"));
        Bounds r = onScreen(row);
        return r.getMinY() >= list.getMinY() && r.getMaxY() <= list.getMaxY();
    }

    /** The row the bar is on, or null if it is shown on none. */
    private Node barRow() {
        Node bar = scene.lookup("#hoverBar");
        for (Node n = bar; n != null; n = n.getParent()) {
            if (n instanceof ListCell<?>) {
                return n;
            }
        }
        return null;
    }

    private static Bounds onScreen(Node n) {
        return n.localToScreen(n.getLayoutBounds()); // the box, without its shadow
    }

    private Node rowOf(String text) {
        @SuppressWarnings("unchecked")
        ListView<ChatItem> list = (ListView<ChatItem>) scene.lookup("#messageList");
        return list.lookupAll(".chat-cell").stream()
                .filter(n -> n instanceof ListCell<?> c
                        && !c.isEmpty()
                        && c.isVisible()
                        && c.getItem() instanceof ChatItem.Message m
                        && (m.text().equals(text)
                                || (text.equals("Message deleted") && m.extras().deleted())))
                .findFirst()
                .orElse(null);
    }
}
