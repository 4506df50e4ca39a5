package org.confab.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.confab.core.ChatMessage;
import org.confab.core.InviteLink;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * 50,000 messages from a network-like thread into a displayed room view through the FX bridge:
 * all arrive, in few drains, and the FX thread stays responsive meanwhile. Not a benchmark.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class BridgeBurstUiTest {
    private static final int N = 50_000;
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
        vm.attach(new RoomSession() {
            @Override public String nick() { return "me"; }
            @Override public String send(String text) { return "c-" + text.hashCode(); }
            @Override public void leave() { }
        }, new Message.Welcome(1, "Burst", "me", List.of("me", "bob"), List.of(), 0, "test"), new InviteLink("h", 1));
        scene = RoomViewFixture.show(stage, vm, theme, 900, 600);
    }

    @Test
    void fiftyThousandMessagesArriveAndTheUiStaysResponsive() throws Exception {
        CountDownLatch probeRan = new CountDownLatch(1);
        AtomicLong probeDelayNanos = new AtomicLong(-1);
        // every message passes through the list, in order (the list keeps only the newest WINDOW rows)
        List<Long> arrived = new java.util.ArrayList<>();
        Fx.run(() -> vm.messages().addListener((javafx.collections.ListChangeListener<ChatItem>) c -> {
            while (c.next()) {
                if (c.wasAdded() && !c.wasReplaced()) {
                    c.getAddedSubList().stream().filter(i -> i instanceof ChatItem.Message).forEach(i -> arrived.add(i.seq()));
                }
            }
        }));
        Thread network = Thread.ofPlatform().name("fake-network").start(() -> {
            Instant now = NOON; // one fixed day: exactly one day divider
            for (int i = 1; i <= N; i++) {
                String text = i % 7 == 0
                        ? "a longer message that wraps over more than one line in the list, number " + i + ", "
                        + "with enough words to need wrapping at the list's width"
                        : i % 11 == 0 ? "two\nlines " + i : "m" + i;
                bridge.event(new RoomEvent.Posted(new ChatMessage(i, "id" + i, i % 3 == 0 ? "me" : "bob", text, now)));
                if (i == N / 2) {
                    long posted = System.nanoTime();
                    Platform.runLater(() -> {
                        probeDelayNanos.set(System.nanoTime() - posted);
                        probeRan.countDown();
                    });
                }
            }
        });
        network.join(60_000);
        assertThat(probeRan.await(30, TimeUnit.SECONDS)).as("probe ran").isTrue();
        Fx.await("all " + N + " messages through the list", 60, () -> arrived.size() == N);
        assertThat(TimeUnit.NANOSECONDS.toMillis(probeDelayNanos.get()))
                .as("a runLater posted mid-burst runs promptly").isLessThan(2000);
        assertThat(bridge.drains()).as("coalesced, not one runLater per message").isLessThan(N / 10);
        for (int i = 0; i < N; i++) {
            assertThat(arrived.get(i)).isEqualTo(i + 1L);
        }
        // bounded: the newest rows (the window, trimmed once a tenth over), starting with their day
        // divider, ending with the last message
        List<ChatItem> rows = Fx.call(() -> List.copyOf(vm.messages()));
        assertThat(rows.size()).isBetween(RoomViewModel.WINDOW, RoomViewModel.WINDOW + RoomViewModel.WINDOW / 10);
        assertThat(rows.getFirst()).isInstanceOf(ChatItem.Day.class);
        List<ChatItem> items = rows.subList(1, rows.size());
        for (int i = 0; i < items.size(); i++) {
            assertThat(items.get(i).seq()).isEqualTo(N - items.size() + 1L + i);
        }
        @SuppressWarnings("unchecked")
        var list = (javafx.scene.control.ListView<ChatItem>) Fx.call(() -> scene.lookup("#messageList"));
        Fx.await("the list shows the newest message", 20, () -> lastFullyVisible(list) == rows.size() - 1);
    }

    @Test
    void followsTheBottomOnlyWhenAlreadyThereAndOffersAJump(org.testfx.api.FxRobot robot) {
        push(1, 120);
        Fx.await("120 messages", 20, () -> vm.messages().size() == 121); // and the day divider
        @SuppressWarnings("unchecked")
        var list = (javafx.scene.control.ListView<ChatItem>) Fx.call(() -> scene.lookup("#messageList"));
        var jump = (javafx.scene.control.Button) Fx.call(() -> scene.lookup("#jumpButton"));
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
        assertThat(Fx.call(() -> firstVisible(list))).as("reading position kept").isEqualTo(0);

        robot.clickOn(jump);
        Fx.await("at the newest message", 10, () -> lastFullyVisible(list) == 125);
        Fx.await("jump button gone", 10, () -> !jump.isVisible());
    }

    private void push(int from, int to) {
        Instant now = NOON; // one fixed day: exactly one day divider
        for (int i = from; i <= to; i++) {
            String text = i % 4 == 0 ? "long ".repeat(60) + i : i % 5 == 0 ? "multi\nline\nmessage " + i : "short " + i;
            bridge.event(new RoomEvent.Posted(new ChatMessage(i, "id" + i, "bob", text, now)));
        }
    }

    private static javafx.scene.control.skin.VirtualFlow<?> flow(javafx.scene.control.ListView<?> list) {
        return (javafx.scene.control.skin.VirtualFlow<?>) list.lookup(".virtual-flow");
    }

    private static int firstVisible(javafx.scene.control.ListView<?> list) {
        var cell = flow(list).getFirstVisibleCell();
        return cell == null ? -1 : cell.getIndex();
    }

    /** Index of the last cell whose bottom edge is inside the viewport, or -1. */
    private static int lastFullyVisible(javafx.scene.control.ListView<?> list) {
        var flow = flow(list);
        var cell = flow.getLastVisibleCell();
        if (cell == null) {
            return -1;
        }
        return cell.getLayoutY() + cell.getHeight() <= flow.getHeight() + 8 ? cell.getIndex() : cell.getIndex() - 1;
    }
}
