package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.skin.VirtualFlow;
import javafx.stage.Stage;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.RoomConnection;
import org.confab.net.RoomHost;
import org.confab.net.TestMember;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * 50,000 messages from another member, through a real host, into a displayed room view on the
 * path the app ships: this member's {@link RoomConnection} (which caches every event in its
 * store), the FX bridge, the view model. All arrive, in order, in few drains, and the FX thread
 * stays responsive meanwhile. Not a benchmark.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class RoomBurstUiTest {
    private static final int N = 50_000;
    private final List<AutoCloseable> open = new ArrayList<>();
    private Stage stage;
    private Theme theme;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        theme = new Theme(Settings.inMemory());
        theme.install();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    @Test
    void fiftyThousandMessagesArriveAndTheUiStaysResponsive() throws Exception {
        var host = new RoomHost(
                HostConfig.defaults("Burst", 0)
                        .withBindAddress(InetAddress.getLoopbackAddress())
                        .withRateLimit(1_000_000, 1_000_000)
                        .withLimits(1 << 20, 200, 16, 200_000),
                null);
        host.start();
        open.add(host);
        RoomViewModel vm = Fx.call(() -> new RoomViewModel(false, Runnable::run));
        var bridge = new FxBridge(vm::apply);
        RoomConnection me = TestMember.join(host.port(), "me", host.fingerprint(), bridge);
        open.add(me);
        Fx.run(() -> vm.open(
                RoomActions.of(me), new InviteLink("127.0.0.1", host.port()), "Burst", List.of(), List.of(), true));
        Scene scene = Fx.call(() -> RoomViewFixture.show(stage, vm, theme, 900, 600));

        // every message passes through the list, in order (the list keeps only the newest WINDOW rows)
        List<String> arrived = new ArrayList<>();
        Fx.run(() -> vm.messages().addListener((ListChangeListener<ChatItem>) c -> {
            while (c.next()) {
                if (c.wasAdded() && !c.wasReplaced()) {
                    c.getAddedSubList().stream()
                            .filter(i -> i instanceof ChatItem.Message)
                            .forEach(i -> arrived.add(((ChatItem.Message) i).text()));
                }
            }
        }));
        RoomConnection bob = TestMember.join(host.port(), "bob", host.fingerprint(), (e, cid) -> {});
        open.add(bob);
        CountDownLatch probeRan = new CountDownLatch(1);
        AtomicLong probeDelayNanos = new AtomicLong(-1);
        long drainsBefore = bridge.drains();
        for (int i = 1; i <= N; i++) {
            while (bob.undelivered() >= 2_000) {
                LockSupport.parkNanos(
                        100_000); // the sender's own pacing: a bounded outbox, as a flooding person's would be
            }
            bob.send(
                    i % 7 == 0
                            ? "a longer message that wraps over more than one line in the list, number " + i + ", "
                                    + "with enough words to need wrapping at the list's width"
                            : i % 11 == 0 ? "two\nlines " + i : "m" + i);
            if (i == N / 2) {
                long posted = System.nanoTime();
                Platform.runLater(() -> {
                    probeDelayNanos.set(System.nanoTime() - posted);
                    probeRan.countDown();
                });
            }
        }
        assertThat(probeRan.await(60, TimeUnit.SECONDS)).as("probe ran").isTrue();
        Fx.await("all " + N + " messages through the list", 120, () -> arrived.size() == N);
        assertThat(TimeUnit.NANOSECONDS.toMillis(probeDelayNanos.get()))
                .as("a runLater posted mid-burst runs promptly")
                .isLessThan(2000);
        assertThat(bridge.drains() - drainsBefore)
                .as("coalesced, not one runLater per message")
                .isLessThan(N / 10);
        for (int i = 0; i < N; i++) {
            assertThat(arrived.get(i))
                    .endsWith(Integer.toString(i + 1)
                            + (i % 7 == 6 ? ", with enough words to need wrapping at the list's width" : ""));
        }
        assertThat(me.lastSeq()).as("every event is in this member's cache too").isEqualTo(host.lastSeq());
        // bounded: the newest rows (the window, trimmed once a tenth over), ending with the last message
        List<ChatItem> rows = Fx.call(() -> List.copyOf(vm.messages()));
        assertThat(rows.size()).isBetween(RoomViewModel.WINDOW, RoomViewModel.WINDOW + RoomViewModel.WINDOW / 10 + 2);
        assertThat(rows.getFirst()).isInstanceOf(ChatItem.Day.class);
        assertThat(((ChatItem.Message) rows.getLast()).text()).isEqualTo("m" + N);
        @SuppressWarnings("unchecked")
        var list = (ListView<ChatItem>) Fx.call(() -> scene.lookup("#messageList"));
        var seen = new AtomicReference<String>("");
        try {
            Fx.await("the list shows the newest message", 20, () -> {
                var jump = scene.lookup("#jumpButton");
                seen.set("last fully visible " + lastFullyVisible(list) + " of "
                        + list.getItems().size() + " (snapshot " + rows.size() + "), jump button "
                        + (jump != null && jump.isVisible()));
                return lastFullyVisible(list) == list.getItems().size() - 1;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + seen.get(), e);
        }
    }

    /** Index of the last cell whose bottom edge is inside the viewport, or -1. */
    private static int lastFullyVisible(ListView<?> list) {
        var flow = (VirtualFlow<?>) list.lookup(".virtual-flow");
        var cell = flow.getLastVisibleCell();
        if (cell == null) {
            return -1;
        }
        return cell.getLayoutY() + cell.getHeight() <= flow.getHeight() + 8 ? cell.getIndex() : cell.getIndex() - 1;
    }
}
