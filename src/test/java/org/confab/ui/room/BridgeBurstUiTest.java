package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.scene.Scene;
import javafx.scene.control.Button;
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
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The room view follows the newest messages only while the person is at the bottom, fed through
 * the FX bridge as the connection feeds it. (The 50,000-message burst through a real host and
 * connection is {@link RoomBurstUiTest}.)
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class BridgeBurstUiTest {
    private static final Instant NOON = Instant.parse("2026-01-01T12:00:00Z");
    private RoomViewModel vm;
    private FxBridge bridge;
    private Scene scene;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        Theme theme = new Theme(settings);
        theme.install();
        vm = new RoomViewModel(false, Runnable::run);
        bridge = new FxBridge(vm::apply);
        RoomViewFixture.joined(
                vm,
                RoomViewFixture.ME,
                new Message.Welcome(1, "Burst", "me", List.of("me", "bob"), List.of(), 0, "test"),
                new InviteLink("h", 1));
        scene = RoomViewFixture.show(stage, vm, theme, 900, 600);
    }

    @Test
    void followsTheBottomOnlyWhenAlreadyThereAndOffersAJump(FxRobot robot) {
        push(1, 120);
        Fx.await("120 messages", 20, () -> vm.messages().size() == 121); // and the day divider
        @SuppressWarnings("unchecked")
        var list = (ListView<ChatItem>) Fx.call(() -> scene.lookup("#messageList"));
        var jump = (Button) Fx.call(() -> scene.lookup("#jumpButton"));
        Fx.await("list follows to the last message", 10, () -> lastFullyVisible(list) == 120);
        assertThat(Fx.call(jump::isVisible)).isFalse();

        // the list may still be finishing its jump to the bottom (variable heights settle over a few
        // pulses); a person scrolling up comes later than that, so ask again until it stays at the top
        Fx.await("scrolled to the top", 10, () -> {
            if (firstVisible(list) != 0) {
                list.scrollTo(0);
            }
            return firstVisible(list) == 0;
        });
        push(121, 125);
        Fx.await("jump button offered", 10, jump::isVisible);
        assertThat(Fx.call(jump::getText)).isEqualTo("5 new messages");
        assertThat(Fx.call(() -> firstVisible(list)))
                .as("reading position kept")
                .isEqualTo(0);

        robot.clickOn(jump);
        Fx.await("at the newest message", 10, () -> lastFullyVisible(list) == 125);
        Fx.await("jump button gone", 10, () -> !jump.isVisible());
    }

    /**
     * The tour's bug: at the bottom, a member writing about three lines a second, the view stopped
     * following and offered "9 new messages". Lines of every height come at that pace for a few
     * seconds; after each one the list must show it at the bottom, and no jump button may appear.
     */
    @Test
    void followingHoldsWhileSomeoneWritesSteadily(FxRobot robot) throws Exception {
        push(1, 40);
        @SuppressWarnings("unchecked")
        var list = (ListView<ChatItem>) Fx.call(() -> scene.lookup("#messageList"));
        var jump = (Button) Fx.call(() -> scene.lookup("#jumpButton"));
        Fx.await(
                "at the bottom",
                10,
                () -> lastFullyVisible(list) == vm.messages().size() - 1);
        var jumpSeen = new AtomicBoolean();
        Fx.run(() -> jump.visibleProperty().addListener((o, was, now) -> jumpSeen.compareAndSet(false, now)));
        for (int i = 41; i <= 64; i++) {
            Thread.sleep(330); // the pace of a person typing quickly (the load's shape, not a wait for a result)
            push(i, i);
            int row = i; // the day divider is row 0, message i is row i
            Fx.await("message " + i + " shown at the bottom", 10, () -> lastFullyVisible(list) == row);
        }
        assertThat(jumpSeen.get())
                .as("no \"new messages\" button while following")
                .isFalse();
    }

    private void push(int from, int to) {
        Instant now = NOON; // one fixed day: exactly one day divider
        for (int i = from; i <= to; i++) {
            String text = i % 4 == 0 ? "long ".repeat(60) + i : i % 5 == 0 ? "multi\nline\nmessage " + i : "short " + i;
            bridge.event(new RoomEvent.Posted(new ChatMessage(i, "id" + i, "bob", text, now)), null);
        }
    }

    private static VirtualFlow<?> flow(ListView<?> list) {
        return (VirtualFlow<?>) list.lookup(".virtual-flow");
    }

    private static int firstVisible(ListView<?> list) {
        var cell = flow(list).getFirstVisibleCell();
        return cell == null ? -1 : cell.getIndex();
    }

    /** Index of the last cell whose bottom edge is inside the viewport, or -1. */
    private static int lastFullyVisible(ListView<?> list) {
        var flow = flow(list);
        var cell = flow.getLastVisibleCell();
        if (cell == null) {
            return -1;
        }
        return cell.getLayoutY() + cell.getHeight() <= flow.getHeight() + 8 ? cell.getIndex() : cell.getIndex() - 1;
    }
}
