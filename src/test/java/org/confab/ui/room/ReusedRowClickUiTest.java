package org.confab.ui.room;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.confab.net.RoomConnection.MessageState;
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
 * A row that showed someone else's message and then shows one of ours (a list cell reused, as
 * the list does all the time while scrolling) still takes a click on its reply quote: the space
 * that pushed the other person's bubble to the left is not left lying over ours. (It was: kept
 * at its old place, unmanaged but visible and on top, it took the click, and the quote did
 * nothing; MessageBarUiTest's quote test failed that way when cells were reused in another order.)
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class ReusedRowClickUiTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private final ObservableList<ChatItem> items = FXCollections.observableArrayList();
    private final List<Long> shown = new CopyOnWriteArrayList<>();
    private ListView<ChatItem> list;

    @Start
    void start(Stage stage) {
        Theme theme = new Theme(Settings.inMemory());
        theme.install();
        MessageActions actions = new MessageActions() {
            @Override
            public void reply(ChatItem.Message m) {}

            @Override
            public void toggleReaction(ChatItem.Message m, String emoji) {}

            @Override
            public void edit(ChatItem.Message m) {}

            @Override
            public void delete(ChatItem.Message m) {}

            @Override
            public void showOriginal(long seq) {
                shown.add(seq);
            }

            @Override
            public String me() {
                return "me";
            }
        };
        list = new ListView<>(items);
        list.setCellFactory(
                l -> new ChatCell(Bindings.createDoubleBinding(() -> 520.0), text -> {}, Function.identity(), actions));
        items.setAll(message(2, "bob", "Where is the release checklist?", false, 0), message(3, "bob", "ok", false, 0));
        Scene scene = new Scene(list, 900, 500);
        theme.style(scene);
        stage.setScene(scene);
        stage.show();
    }

    private static ChatItem.Message message(long seq, String sender, String text, boolean own, long replyTo) {
        var extras = replyTo == 0
                ? ChatItem.Extras.NONE
                : new ChatItem.Extras(replyTo, "bob", "Where is the release checklist?", false, false, List.of());
        return new ChatItem.Message(seq, "m" + seq, sender, text, T, own, false, null, MessageState.DELIVERED, extras);
    }

    @Test
    void aReusedRowsQuoteTakesTheClick(FxRobot robot) {
        Fx.settled("bob's short message", () -> cellOf(3));
        Fx.run(() -> items.set(1, message(4, "me", "It's in the wiki", true, 2))); // the same cell, now ours
        Fx.settled("our reply's quote", () -> quoteOf(4));
        robot.clickOn(Fx.call(() -> quoteOf(4)));
        Fx.await("the quote's click asks for the original", 10, () -> shown.contains(2L), () -> "asked for " + shown);
    }

    private ListCell<?> cellOf(long seq) {
        for (Node n : list.lookupAll(".chat-cell")) {
            if (n instanceof ListCell<?> c
                    && c.isVisible()
                    && c.getItem() instanceof ChatItem.Message m
                    && m.seq() == seq) {
                return c;
            }
        }
        return null;
    }

    private Node quoteOf(long seq) {
        ListCell<?> c = cellOf(seq);
        return c == null ? null : c.lookup(".reply-quote");
    }
}
