package org.confab.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.confab.core.ChatMessage;
import org.confab.core.RoomEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catch-up read of a member that does not hear others' joins and leaves from the start
 * (protocol §20): the history file and the memory history leave out the same events.
 */
class PresenceRangeTest {
    private static final Instant T = Instant.ofEpochMilli(1_790_000_000_000L);

    private static void fill(HostHistory h) {
        h.append(new RoomEvent.Joined(1, "j1", T, "ann"), null);
        h.append(new RoomEvent.Posted(new ChatMessage(2, "m2", "ann", "hi", T)), "c2");
        h.append(new RoomEvent.Joined(3, "j3", T, "me"), null);
        h.append(new RoomEvent.Left(4, "l4", T, "ann", "bye"), null);
        h.append(new RoomEvent.Renamed(5, "r5", T, "bob", "rob"), null);
        h.append(new RoomEvent.Left(6, "l6", T, "me", "connection lost"), null);
        h.append(new RoomEvent.Joined(7, "j7", T, "cat"), null);
        h.append(new RoomEvent.Joined(8, "j8", T, "me"), null);
        h.append(new RoomEvent.Joined(9, "j9", T, "dan"), null);
    }

    private static void check(HostHistory h) {
        assertThat(h.range(1, 9, 100, 0, "me")).as("floor 0: everything").isEqualTo(h.range(1, 9, 100));
        assertThat(h.range(1, 9, 100, 8, "me"))
                .extracting(StoredEvent::seq)
                .as("others' presence below 8 left out; its own, the message, the rename and all from 8 kept")
                .containsExactly(2L, 3L, 5L, 6L, 8L, 9L);
        assertThat(h.range(1, 9, 100, Long.MAX_VALUE, "me"))
                .extracting(StoredEvent::seq)
                .as("counts only: no others' presence at all")
                .containsExactly(2L, 3L, 5L, 6L, 8L);
        assertThat(h.range(2, 9, 2, Long.MAX_VALUE, "me"))
                .extracting(StoredEvent::seq)
                .as("the limit counts what is returned, not what was skipped")
                .containsExactly(2L, 3L);
        assertThat(h.range(4, 7, 100, Long.MAX_VALUE, "me"))
                .extracting(StoredEvent::seq)
                .containsExactly(5L, 6L);
        assertThat(h.range(1, 9, 100, Long.MAX_VALUE, "me").get(0))
                .isEqualTo(new StoredEvent(new RoomEvent.Posted(new ChatMessage(2, "m2", "ann", "hi", T)), "c2"));
    }

    @Test
    void theHistoryFileLeavesOutOthersPresenceBelowTheFloor(@TempDir Path dir) {
        try (var store = HostStore.open(dir.resolve("room.db"))) {
            fill(store);
            check(store);
        }
    }

    @Test
    void theMemoryHistoryLeavesOutTheSame() {
        try (var h = new MemoryHistory(100)) {
            fill(h);
            check(h);
            assertThat(List.copyOf(h.range(1, 9, 100, 8, "me"))).hasSize(6);
        }
    }
}
