package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ListView;
import javafx.scene.control.skin.VirtualFlow;
import javafx.stage.Stage;
import org.confab.core.ChatMessage;
import org.confab.core.InviteLink;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.confab.store.StoredEvent;
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
 * The bounded message list in the real room view: older rows leave the list, and "Show earlier
 * messages" at the top brings them back from the history cache, in order, once each.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class EarlierMessagesUiTest {
    private static final Instant NOON = Instant.parse("2026-01-01T12:00:00Z");
    private final List<StoredEvent> history = new CopyOnWriteArrayList<>();
    private RoomViewModel vm;
    private FxBridge bridge;
    private Scene scene;

    @Start
    void start(Stage stage) {
        Theme theme = new Theme(Settings.inMemory());
        theme.install();
        vm = new RoomViewModel(false, Runnable::run);
        bridge = new FxBridge(vm::apply);
        RoomViewFixture.joined(
                vm,
                new RoomActions() {
                    @Override
                    public String nick() {
                        return "me";
                    }

                    @Override
                    public String send(String text) {
                        return "c-" + text.hashCode();
                    }

                    @Override
                    public void leave() {}

                    @Override
                    public boolean hasHistory() {
                        return true;
                    }

                    @Override
                    public List<StoredEvent> earlier(long beforeSeq, int max) {
                        List<StoredEvent> older = history.stream()
                                .filter(e -> e.event().seq() < beforeSeq)
                                .toList();
                        return older.subList(Math.max(0, older.size() - max), older.size());
                    }
                },
                new Message.Welcome(1, "Window", "me", List.of("me", "bob"), List.of(), 0, "test"),
                new InviteLink("h", 1));
        vm.window(60);
        scene = RoomViewFixture.show(stage, vm, theme, 900, 600);
    }

    @Test
    void olderRowsLeaveTheListAndComeBackOnDemandInOrder(FxRobot robot) {
        for (int i = 1; i <= 300; i++) {
            var e = new RoomEvent.Posted(new ChatMessage(
                    i,
                    "id" + i,
                    i % 3 == 0 ? "me" : "bob",
                    i % 4 == 0 ? "a longer message that wraps, number " + i + ", " + "words ".repeat(30) : "m" + i,
                    NOON));
            history.add(new StoredEvent(e, null)); // the client cache has every event before the view does
            bridge.event(e, null);
        }
        Fx.await(
                "the newest message in the list",
                20,
                () -> !vm.messages().isEmpty() && vm.messages().getLast().seq() == 300);
        assertThat(Fx.call(() -> vm.messages().size())).as("bounded").isLessThanOrEqualTo(66);
        long oldest = Fx.call(() -> seqs().getFirst());
        assertThat(oldest).isGreaterThan(1);

        @SuppressWarnings("unchecked")
        var list = (ListView<ChatItem>) Fx.call(() -> scene.lookup("#messageList"));
        var earlier = (Button) Fx.call(() -> scene.lookup("#earlierButton"));
        assertThat(Fx.call(earlier::isVisible)).as("not offered at the bottom").isFalse();
        Fx.await("scrolled to the top", 10, () -> {
            list.scrollTo(0);
            return flow(list).getFirstVisibleCell() != null
                    && flow(list).getFirstVisibleCell().getIndex() == 0;
        });
        Fx.await("\"Show earlier messages\" offered at the top", 10, earlier::isVisible);

        robot.clickOn(earlier);
        Fx.await("earlier rows loaded", 10, () -> seqs().getFirst() < oldest);
        List<Long> seqs = Fx.call(this::seqs);
        assertThat(seqs).as("in order, once each").isSorted().doesNotHaveDuplicates();
        assertThat(seqs.getLast()).isEqualTo(300L);
        assertThat(seqs).as("no gap at the join").containsSequence(List.of(oldest - 1, oldest));
        assertThat(Fx.call(() -> vm.messages().stream()
                        .filter(i -> i instanceof ChatItem.Day)
                        .count()))
                .as("one day divider")
                .isEqualTo(1);

        // back at the bottom: the list shrinks to its window again
        var jump = (Button) Fx.call(() -> scene.lookup("#jumpButton"));
        Fx.run(() -> list.scrollTo(vm.messages().size() - 1));
        Fx.await("following again, trimmed", 10, () -> vm.messages().size() <= 66);
        assertThat(Fx.call(jump::isVisible)).isFalse();
        assertThat(Fx.call(() -> seqs().getLast())).isEqualTo(300L);
    }

    private List<Long> seqs() {
        return vm.messages().stream()
                .filter(i -> i instanceof ChatItem.Message)
                .map(ChatItem::seq)
                .toList();
    }

    private static VirtualFlow<?> flow(ListView<?> list) {
        return (VirtualFlow<?>) list.lookup(".virtual-flow");
    }
}
