package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.confab.core.ChatMessage;
import org.confab.core.RoomEvent;
import org.confab.net.Disconnect;
import org.junit.jupiter.api.Test;

/** The bridge's coalescing, with a hand-driven executor instead of the FX thread. */
class FxBridgeTest {
    private final ArrayDeque<Runnable> fxQueue = new ArrayDeque<>();
    private final List<List<FxBridge.Update>> batches = new ArrayList<>();
    private final FxBridge bridge = new FxBridge(batches::add, fxQueue::add);

    private static RoomEvent posted(long seq) {
        return new RoomEvent.Posted(new ChatMessage(seq, "id" + seq, "bob", "m" + seq, Instant.EPOCH));
    }

    private void runFx() {
        Runnable r;
        while ((r = fxQueue.poll()) != null) {
            r.run();
        }
    }

    @Test
    void manyEventsScheduleOneDrainAndArriveInOneBatchInOrder() {
        for (int i = 1; i <= 1000; i++) {
            bridge.event(posted(i), null);
        }
        assertThat(fxQueue).hasSize(1);
        runFx();
        assertThat(batches).hasSize(1);
        assertThat(batches.getFirst()).hasSize(1000);
        assertThat(batches.getFirst())
                .extracting(u -> ((FxBridge.Update.Event) u).event().seq())
                .isSorted()
                .startsWith(1L)
                .endsWith(1000L);
    }

    @Test
    void hugeBurstsAreSplitSoOtherFxWorkInterleaves() {
        int n = FxBridge.MAX_BATCH * 3 + 5;
        for (int i = 1; i <= n; i++) {
            bridge.event(posted(i), null);
        }
        assertThat(fxQueue).hasSize(1);
        fxQueue.poll().run();
        assertThat(batches).hasSize(1);
        assertThat(fxQueue).as("the next part is scheduled behind other work").hasSize(1);
        runFx();
        assertThat(batches).hasSize(4);
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(n);
        assertThat(bridge.drains()).isEqualTo(4);
    }

    @Test
    void eventsAfterADrainScheduleAnother() {
        bridge.event(posted(1), null);
        runFx();
        bridge.error("message-invalid", "too long");
        bridge.ended(new Disconnect(Disconnect.Kind.LOST, "gone"));
        assertThat(fxQueue).hasSize(1);
        runFx();
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).hasSize(2);
        assertThat(batches.get(1).get(1)).isInstanceOf(FxBridge.Update.Disconnected.class);
    }

    @Test
    void detachedBridgeDeliversNothing() {
        bridge.event(posted(1), null);
        bridge.detach();
        bridge.event(posted(2), null);
        runFx();
        assertThat(batches).isEmpty();
    }
}
