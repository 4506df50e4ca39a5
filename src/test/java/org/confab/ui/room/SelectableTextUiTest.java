package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
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
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Message text is selectable with the mouse and copyable, and markup in it stays literal text. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class SelectableTextUiTest {
    private static final String TEXT = "<b>not bold</b> selectable";
    private Scene scene;
    /** What the room's "Copy" put on the clipboard it was given (the desktop's is not involved). */
    private final List<String> copied = new CopyOnWriteArrayList<>();

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        Theme theme = new Theme(settings);
        theme.install();
        RoomViewModel vm = new RoomViewModel(false, Runnable::run);
        Instant t = Instant.parse("2026-01-01T12:00:00Z");
        RoomViewFixture.joined(
                vm,
                RoomViewFixture.ME,
                new Message.Welcome(
                        1,
                        "Sel",
                        "me",
                        List.of("me", "bob"),
                        List.of(new RoomEvent.Posted(new ChatMessage(1, "a", "bob", TEXT, t))),
                        1,
                        "test"),
                new InviteLink("h", 1));
        scene = RoomViewFixture.show(stage, vm, theme, 800, 500, copied::add);
    }

    @Test
    void dragSelectsAndCtrlCCopies(FxRobot robot) {
        // the flow of the row showing the message (list cells keep hidden rows of other kinds)
        EmojiFlow flow = Fx.call(() -> scene.getRoot().lookupAll(".chat-cell").stream()
                .filter(n -> n instanceof ChatCell c && c.getItem() instanceof ChatItem.Message m && m.id().equals("a"))
                .map(n -> (EmojiFlow) n.lookup(".bubble-flow"))
                .findFirst()
                .orElseThrow());
        assertThat(Fx.call(flow::originalText)).as("rendered literally").isEqualTo(TEXT);
        var bounds = Fx.call(() -> flow.localToScreen(flow.getBoundsInLocal()));
        // drag across the line (press, move, release: unlike a double-click, no timing involved)
        robot.drag(bounds.getMinX() + 1, bounds.getCenterY(), MouseButton.PRIMARY)
                .moveTo(bounds.getMinX() + bounds.getWidth() * 0.55, bounds.getCenterY())
                .moveTo(bounds.getMaxX() - 1, bounds.getCenterY())
                .release(MouseButton.PRIMARY);
        Fx.await("text selected", 10, () -> !flow.selectedText().isEmpty());
        assertThat(Fx.call(flow::selectedText)).startsWith("<b>not bold</b>");
        String selected = Fx.call(flow::selectedText);
        robot.press(KeyCode.CONTROL, KeyCode.C).release(KeyCode.C, KeyCode.CONTROL);
        Fx.await("selection copied", 10, () -> copied.contains(selected), copied::toString);
    }

    @Test
    void ctrlCOnASelectedRowCopiesItsTextThroughTheWindowsClipboard(FxRobot robot) {
        @SuppressWarnings("unchecked")
        ListView<ChatItem> list = (ListView<ChatItem>) Fx.call(() -> scene.lookup(".message-list"));
        int row = Fx.call(() -> {
            for (int i = 0; i < list.getItems().size(); i++) {
                if (list.getItems().get(i) instanceof ChatItem.Message m && m.id().equals("a")) {
                    return i;
                }
            }
            return -1;
        });
        assertThat(row).as("the message's row").isNotNegative();
        Fx.run(() -> {
            list.getSelectionModel().clearAndSelect(row);
            list.requestFocus();
        });
        Fx.await("the list has the focus", 10, () -> list.isFocused());
        robot.press(KeyCode.CONTROL, KeyCode.C).release(KeyCode.C, KeyCode.CONTROL);
        Fx.await("the row's text copied", 10, () -> !copied.isEmpty());
        assertThat(copied).containsExactly(TEXT);
    }
}
