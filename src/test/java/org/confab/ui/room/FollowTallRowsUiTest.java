package org.confab.ui.room;

import java.time.Instant;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.ListView;
import javafx.scene.control.skin.VirtualFlow;
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
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Tall wrapped rows (a message of 30 links, as the hostile-Markdown benchmark sends) arriving one
 * by one while the person follows the bottom: each newest row comes whole into view. The jump by
 * index alone used to leave the fourth below the viewport for good (found by that benchmark).
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class FollowTallRowsUiTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final String BIDI = "[\u202Eexe.fdp\u202C invoice](https://example.com/\u202Egpj.exe) ".repeat(30);
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
                new Message.Welcome(1, "Tall", "me", List.of("me", "bob"), List.of(), 0, "test"),
                new InviteLink("h", 1));
        scene = RoomViewFixture.show(stage, vm, theme, 900, 600);
    }

    @SuppressWarnings("unchecked")
    private ListView<ChatItem> list() {
        return (ListView<ChatItem>) scene.lookup("#messageList");
    }

    private VirtualFlow<?> flow() {
        return (VirtualFlow<?>) list().lookup(".virtual-flow");
    }

    private String where() {
        VirtualFlow<?> flow = flow();
        IndexedCell<?> last = flow.getLastVisibleCell();
        IndexedCell<?> first = flow.getFirstVisibleCell();
        return "items=" + list().getItems().size() + " first=" + (first == null ? null : first.getIndex()) + "@"
                + (first == null ? 0 : first.getLayoutY()) + " last=" + (last == null ? null : last.getIndex()) + "@"
                + (last == null ? 0 : last.getLayoutY() + "+" + last.getHeight()) + " flowH=" + flow.getHeight();
    }

    private boolean newestShown() {
        VirtualFlow<?> flow = flow();
        IndexedCell<?> last = flow.getLastVisibleCell();
        return last != null
                && last.getIndex() == list().getItems().size() - 1
                && last.getLayoutY() + last.getHeight() <= flow.getHeight() + 8;
    }

    @Test
    void eachTallRowComesIntoView() {
        for (int i = 0; i < 6; i++) {
            int seq = 2 + i;
            Fx.run(() -> vm.apply(List.of(new FxBridge.Update.Event(
                    new RoomEvent.Posted(new ChatMessage(seq, "h" + seq, "mallory", BIDI, T))))));
            try {
                Fx.await("message " + seq + " shown", 10, this::newestShown);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " " + Fx.call(this::where), e);
            }
        }
    }
}
