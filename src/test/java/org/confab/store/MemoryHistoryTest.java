package org.confab.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.confab.core.ChatMessage;
import org.confab.core.RoomEvent;
import org.junit.jupiter.api.Test;

class MemoryHistoryTest {
    private static final Instant T = Instant.ofEpochMilli(1_790_000_000_000L);

    private static RoomEvent.Posted msg(long seq, String text) {
        return new RoomEvent.Posted(new ChatMessage(seq, "id-" + seq, "alice", text, T.plusMillis(seq)));
    }

    @Test
    void keepsEveryEventInOrderWithItsClientId() {
        try (var h = new MemoryHistory(100)) {
            assertThat(h.lastSeq()).isZero();
            assertThat(h.firstSeq()).isZero();
            assertThat(h.file()).isNull();
            h.append(new RoomEvent.Joined(1, "j1", T, "alice"), null);
            h.append(msg(2, "hello"), "cid-2");
            h.append(new RoomEvent.Renamed(3, "r3", T, "alice", "alicia"), null);
            assertThat(h.lastSeq()).isEqualTo(3);
            assertThat(h.firstSeq()).isEqualTo(1);
            assertThat(h.range(1, 10, 100)).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L);
            assertThat(h.range(2, 2, 100)).containsExactly(new StoredEvent(msg(2, "hello"), "cid-2"));
            assertThat(h.range(2, 3, 1)).extracting(StoredEvent::seq).containsExactly(2L);
            assertThat(h.range(4, 10, 100)).isEmpty();
            assertThat(h.recent(2)).extracting(StoredEvent::seq).containsExactly(2L, 3L);
            assertThat(h.recent(10)).hasSize(3);
            assertThat(h.seqOf("cid-2")).hasValue(2);
            assertThat(h.seqOf("nope")).isEmpty();
        }
    }

    @Test
    void sequenceMustGoOnAndClientIdsAreUnique() {
        try (var h = new MemoryHistory(10)) {
            h.append(msg(1, "x"), "c1");
            assertThatThrownBy(() -> h.append(msg(1, "x"), null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> h.append(msg(2, "y"), "c1")).isInstanceOf(StoreException.class);
            assertThat(h.lastSeq()).isEqualTo(1);
            assertThat(h.size()).isEqualTo(1);
            h.append(msg(5, "a gap in seqs is allowed"), "c5");
            assertThat(h.range(2, 5, 10)).extracting(StoredEvent::seq).containsExactly(5L);
        }
    }

    @Test
    void theRingIsBoundedAndForgetsTheOldestWithItsClientId() {
        try (var h = new MemoryHistory(1000)) {
            for (int i = 1; i <= 2500; i++) {
                h.append(msg(i, "m" + i), "c" + i);
            }
            assertThat(h.size()).isEqualTo(1000);
            assertThat(h.firstSeq()).isEqualTo(1501);
            assertThat(h.lastSeq()).isEqualTo(2500);
            // what a resume from before the ring gets: the oldest kept on (the host reports the gap from firstSeq)
            assertThat(h.range(1, 2500, 3)).extracting(StoredEvent::seq).containsExactly(1501L, 1502L, 1503L);
            assertThat(h.range(2400, 2500, 1000)).hasSize(101);
            assertThat(h.seqOf("c1500")).isEmpty();
            assertThat(h.seqOf("c1501")).hasValue(1501);
            // a forgotten client id may be used again (as when the SQLite history trimmed it)
            h.append(msg(2501, "again"), "c1");
            assertThat(h.seqOf("c1")).hasValue(2501);
            assertThat(h.recent(1)).extracting(StoredEvent::seq).containsExactly(2501L);
        }
    }

    @Test
    void trimKeepsTheNewest() {
        try (var h = new MemoryHistory(1000)) {
            for (int i = 1; i <= 100; i++) {
                h.append(msg(i, "m" + i), "c" + i);
            }
            assertThat(h.trim(10)).isEqualTo(90);
            assertThat(h.firstSeq()).isEqualTo(91);
            assertThat(h.range(1, 100, 1000)).hasSize(10);
            assertThat(h.seqOf("c90")).isEmpty();
            assertThat(h.trim(10)).isZero();
            assertThat(h.trim(0)).isEqualTo(10);
            assertThat(h.firstSeq()).isZero();
            assertThat(h.lastSeq()).isEqualTo(100);
            h.append(msg(101, "after"), null);
            assertThat(h.firstSeq()).isEqualTo(101);
        }
    }

    @Test
    void capacityFollowsKeepEventsUpToTheMaximum() {
        assertThat(MemoryHistory.capacityFor(5)).isEqualTo(5);
        assertThat(MemoryHistory.capacityFor(1_000_000)).isEqualTo(MemoryHistory.MAX_CAPACITY);
        assertThatThrownBy(() -> new MemoryHistory(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new MemoryHistory(3).roomId()).isNotEqualTo(new MemoryHistory(3).roomId());
    }
}
