package org.confab.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.confab.core.ChatMessage;
import org.confab.core.FileRef;
import org.confab.core.Room;
import org.confab.core.RoomEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    private static final Instant T = Instant.ofEpochMilli(1_790_000_000_000L);

    private static RoomEvent.Posted msg(long seq, String from, String text) {
        return new RoomEvent.Posted(new ChatMessage(seq, "id-" + seq, from, text, T.plusMillis(seq)));
    }

    @Test
    void aPageOfTheCacheBringsTheChangesMadeSinceToItsMessages(@TempDir Path tmp) {
        try (var store = ClientStore.open(tmp.resolve("c.db"))) {
            store.startRoom("r", true);
            Instant t = Instant.parse("2026-12-01T10:00:00Z");
            store.append(new RoomEvent.Posted(new ChatMessage(1, "a", "bob", "one", t)), null);
            store.append(new RoomEvent.Posted(new ChatMessage(2, "b", "bob", "two", t, 1)), null); // a reply to 1
            store.append(new RoomEvent.Posted(new ChatMessage(3, "c", "bob", "three", t)), null);
            store.append(new RoomEvent.Reacted(4, "d", t, 1, "alice", "👍", true), null);
            store.append(new RoomEvent.Edited(5, "e", t, 3, "bob", "three!"), null);
            List<StoredEvent> page = store.before(3, 10);
            assertThat(page).extracting(StoredEvent::seq).containsExactly(1L, 2L, 4L);
        }
    }

    @Test
    void hostHistoryAndRoomIdSurviveReopening(@TempDir Path dir) {
        Path file = DataDirs.hostRoomFile(dir, "Team room", 4747);
        String roomId;
        try (var store = HostStore.open(file)) {
            roomId = store.roomId();
            store.append(new RoomEvent.Joined(1, "j1", T, "alice"), null);
            store.append(msg(2, "alice", "hello"), "cid-2");
            store.append(new RoomEvent.Renamed(3, "r3", T, "alice", "alicia"), null);
            store.append(new RoomEvent.Left(4, "l4", T, "alicia", "connection lost"), null);
        }
        try (var store = HostStore.open(file)) {
            assertThat(store.roomId()).isEqualTo(roomId);
            assertThat(store.lastSeq()).isEqualTo(4);
            assertThat(store.firstSeq()).isEqualTo(1);
            assertThat(store.seqOf("cid-2")).hasValue(2);
            assertThat(store.seqOf("nope")).isEmpty();
            var all = store.range(1, 10, 100);
            assertThat(all).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 4L);
            assertThat(all.get(1)).isEqualTo(new StoredEvent(msg(2, "alice", "hello"), "cid-2"));
            assertThat(all.get(2).event()).isEqualTo(new RoomEvent.Renamed(3, "r3", T, "alice", "alicia"));
            assertThat(all.get(3).event()).isEqualTo(new RoomEvent.Left(4, "l4", T, "alicia", "connection lost"));
            assertThat(store.recent(2)).extracting(StoredEvent::seq).containsExactly(3L, 4L);
        }
    }

    @Test
    void aSharedFileIsKeptWithItsMessage_andForgottenWhenTheMessageIsDeleted(@TempDir Path dir) {
        Path file = DataDirs.hostRoomFile(dir, "Files", 4747);
        var ref = new FileRef(
                "f1",
                "photos/beach\t1.jpg",
                1_234_567,
                "A".repeat(43),
                "image/jpeg",
                262_144,
                "iVBOR" + "w".repeat(99));
        var shared = new RoomEvent.Posted(new ChatMessage(1, "m1", "alice", "beach", T, 0, "bob", ref));
        try (var store = HostStore.open(file)) {
            store.append(shared, "c1");
            store.append(msg(2, "bob", "nice"), null);
        }
        try (var store = HostStore.open(file)) {
            assertThat(store.range(1, 2, 10).getFirst().event()).isEqualTo(shared);
            store.redact(1);
            var deleted = (RoomEvent.Posted) store.range(1, 1, 10).getFirst().event();
            assertThat(deleted.message().file()).isNull();
            assertThat(deleted.message().text()).isEqualTo(Room.DELETED_TEXT);
        }
        try (var cache = ClientStore.open(dir.resolve("c.db"))) {
            cache.startRoom("r", true);
            cache.append(shared, null);
            assertThat(cache.before(5, 10).getFirst().event()).isEqualTo(shared);
        }
        // a folder's message keeps the bytes of all its files
        var folder = new RoomEvent.Posted(new ChatMessage(
                3,
                "m3",
                "alice",
                "",
                T,
                0,
                null,
                new FileRef("f3", "project", 321, "C".repeat(43), FileRef.FOLDER_MIME, 262_144, null, 34_000_000)));
        try (var store = HostStore.open(file)) {
            store.append(folder, null);
        }
        try (var store = HostStore.open(file)) {
            var back = (RoomEvent.Posted) store.range(3, 3, 10).getFirst().event();
            assertThat(back).isEqualTo(folder);
            assertThat(back.message().file().contentSize()).isEqualTo(34_000_000);
        }
    }

    @Test
    void stagedEventsAreReadAtOnceAndDurableOnlyOnceSyncedManyAtATime(@TempDir Path dir) {
        Path file = dir.resolve("room.db");
        try (var store = HostStore.open(file)) {
            assertThat(store.groupCommits()).isTrue();
            store.append(new RoomEvent.Joined(1, "j1", T, "alice"), null);
            assertThat(store.durableSeq()).isEqualTo(1);
            store.stage(msg(2, "alice", "two"), "cid-2");
            store.stage(msg(3, "alice", "three"), "cid-3");
            // the reads see them (a retried client id, a reply, catch-up's range) before they are durable
            assertThat(store.seqOf("cid-3")).hasValue(3);
            assertThat(store.range(1, 10, 100)).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L);
            assertThat(store.lastSeq()).isEqualTo(3);
            assertThat(store.durableSeq()).isEqualTo(1);
            assertThat(store.sync()).isEqualTo(3); // both at once
            assertThat(store.durableSeq()).isEqualTo(3);
            assertThat(store.sync()).isEqualTo(3); // nothing new
            // a failed stage (a client id in use) saves nothing of its own; what was staged before it stays
            store.stage(msg(4, "alice", "four"), "cid-4");
            assertThatThrownBy(() -> store.stage(msg(5, "alice", "again"), "cid-2"))
                    .isInstanceOf(StoreException.class);
            // any other write commits what was staged first, then is durable itself
            store.setting("topic", "plans");
            store.stage(msg(5, "alice", "five"), null);
            store.stage(msg(6, "alice", "six"), null);
            assertThat(store.trim(2)).isEqualTo(4); // the staged ones count, and are kept
            assertThat(store.firstSeq()).isEqualTo(5);
            store.stage(msg(7, "alice", "seven"), "cid-7");
            assertThat(store.sync()).isEqualTo(7);
        }
        try (var store = HostStore.open(file)) {
            assertThat(store.range(1, 10, 100)).extracting(StoredEvent::seq).containsExactly(5L, 6L, 7L);
            assertThat(store.seqOf("cid-7")).hasValue(7);
            assertThat(store.setting("topic")).isEqualTo("plans");
            assertThat(store.durableSeq()).isEqualTo(7);
        }
    }

    @Test
    void aHistoryInMemoryStagesByAppending() {
        var memory = new MemoryHistory(16);
        assertThat(memory.groupCommits()).isFalse();
        memory.stage(msg(1, "alice", "one"), "c1");
        assertThat(memory.durableSeq()).isEqualTo(1);
        assertThat(memory.sync()).isEqualTo(1);
    }

    @Test
    void aSecondHostOnTheSameFileIsRefusedClearly(@TempDir Path dir) {
        Path file = dir.resolve("room.db");
        try (var first = HostStore.open(file)) {
            first.append(new RoomEvent.Joined(1, "j1", T, "a"), null);
            assertThatThrownBy(() -> {
                        try (var second = HostStore.open(file)) {
                            second.append(new RoomEvent.Joined(2, "j2", T, "b"), null);
                        }
                    })
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("in use by another Confab");
        }
    }

    @Test
    void sequenceMustGoOnAndClientIdsAreUnique() {
        try (var store = HostStore.inMemory()) {
            store.append(msg(1, "a", "x"), "c1");
            assertThatThrownBy(() -> store.append(msg(1, "a", "x"), null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.append(msg(2, "a", "y"), "c1")).isInstanceOf(StoreException.class);
            assertThat(store.lastSeq()).isEqualTo(1);
        }
    }

    @Test
    void trimKeepsTheNewest() {
        try (var store = HostStore.inMemory()) {
            for (int i = 1; i <= 100; i++) {
                store.append(msg(i, "a", "m" + i), null);
            }
            assertThat(store.trim(10)).isEqualTo(90);
            assertThat(store.firstSeq()).isEqualTo(91);
            assertThat(store.range(1, 100, 1000)).hasSize(10);
        }
    }

    @Test
    void clientCacheSearchesWithFts5IgnoringCaseAccentsAndSyntax(@TempDir Path dir) {
        Path file = DataDirs.clientFile(dir, "192.168.1.20:4747", "bob");
        try (var store = ClientStore.open(file)) {
            store.startRoom("room-1", false);
            store.append(msg(1, "alice", "Héllo world"), null);
            store.append(msg(2, "bob", "the quick brown fox"), "c2");
            store.append(new RoomEvent.Joined(3, "j", T, "hello"), null);
            store.append(msg(4, "alice", "HELLO again \"quoted\" AND OR NOT *"), null);
            store.append(msg(4, "alice", "duplicate seq is ignored"), null);
            assertThat(store.search("hello", 10)).extracting(ChatMessage::seq).containsExactly(4L, 1L);
            assertThat(store.search("hel wor", 10)).extracting(ChatMessage::seq).containsExactly(1L);
            assertThat(store.search("\"quoted\" AND", 10))
                    .extracting(ChatMessage::seq)
                    .containsExactly(4L);
            assertThat(store.search("NEAR( ) ^ : -", 10)).isEmpty();
            assertThat(store.search("   ", 10)).isEmpty();
            assertThat(store.search("fox", 10).getFirst().sender()).isEqualTo("bob");
            assertThat(store.lastSeq()).isEqualTo(4);
        }
        try (var store = ClientStore.open(file)) {
            assertThat(store.roomId()).isEqualTo("room-1");
            assertThat(store.recent(10)).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 4L);
            assertThat(store.recent(10).get(1).cid()).isEqualTo("c2");
            store.startRoom("room-2", false);
            assertThat(store.recent(10)).isEmpty();
            assertThat(store.search("hello", 10)).isEmpty();
            assertThat(store.lastSeq()).isZero();
        }
    }

    @Test
    void outboxKeepsOrderAcrossRestarts(@TempDir Path dir) {
        Path file = dir.resolve("c.db");
        String first;
        try (var store = ClientStore.open(file)) {
            first = store.enqueue("one").cid();
            store.enqueue("two");
            store.enqueue("three");
            assertThat(store.removeFromOutbox(first)).isTrue();
            assertThat(store.removeFromOutbox(first)).isFalse();
        }
        try (var store = ClientStore.open(file)) {
            assertThat(store.outbox()).extracting(OutboxEntry::text).containsExactly("two", "three");
            store.startRoom("another", true);
            assertThat(store.outbox()).hasSize(2);
        }
    }

    @Test
    void dataDirFollowsThePropertyAndTheOs() {
        assertThat(DataDirs.userDataDir()).isNotNull();
        String old = System.getProperty(DataDirs.PROPERTY);
        try {
            System.setProperty(DataDirs.PROPERTY, "/tmp/x-confab");
            assertThat(DataDirs.userDataDir()).isEqualTo(Path.of("/tmp/x-confab"));
        } finally {
            if (old == null) {
                System.clearProperty(DataDirs.PROPERTY);
            } else {
                System.setProperty(DataDirs.PROPERTY, old);
            }
        }
        assertThat(DataDirs.slug("Room/../../etc")).doesNotContain("/").startsWith("room_.._.._etc-");
        assertThat(DataDirs.slug("a b")).isNotEqualTo(DataDirs.slug("a_b"));
    }
}
