package org.confab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RoomTest {
    private final Room room = new Room("R", Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), 3, 3);

    @Test
    void everyEventGetsTheNextSequenceNumber() {
        long a = room.join("alice").event().seq();
        long b = room.post("alice", "hi").seq();
        long c = room.join("bob").event().seq();
        long d = room.rename("bob", "robert").event().seq();
        long e = room.leave("robert", "left").seq();
        assertThat(new long[] {a, b, c, d, e}).containsExactly(1, 2, 3, 4, 5);
        assertThat(room.lastSeq()).isEqualTo(5);
    }

    @Test
    void nicknamesAreUniqueIgnoringCaseAndUnicodeForm() {
        assertThat(room.join("Zoë").accepted()).isTrue();
        var second = room.join("ZOË");
        assertThat(second.accepted()).isFalse();
        assertThat(second.refusal()).isEqualTo(Room.JoinRefusal.NICK_TAKEN);
        // "e" + combining diaeresis is the same name after normalisation
        assertThat(room.join("zoe\u0308").refusal()).isEqualTo(Room.JoinRefusal.NICK_TAKEN);
    }

    @Test
    void invalidNicknamesAndAFullRoomAreRefusedWithReasons() {
        assertThat(room.join("").refusal()).isEqualTo(Room.JoinRefusal.NICK_INVALID);
        assertThat(room.join("bad\u202Ename").refusal()).isEqualTo(Room.JoinRefusal.NICK_INVALID);
        assertThat(room.join("x".repeat(33)).reason()).contains("at most 32");
        room.join("a");
        room.join("b");
        room.join("c");
        var full = room.join("d");
        assertThat(full.refusal()).isEqualTo(Room.JoinRefusal.ROOM_FULL);
        assertThat(full.reason()).contains("full");
    }

    @Test
    void historyKeepsOnlyTheMostRecentEvents() {
        room.join("a");
        room.post("a", "1");
        room.post("a", "2");
        room.post("a", "3");
        assertThat(room.recentHistory()).extracting(RoomEvent::seq).containsExactly(2L, 3L, 4L);
    }

    @Test
    void renameKeepsJoinOrderAndRefusesTakenNames() {
        room.join("a");
        room.join("b");
        room.join("c");
        assertThat(room.rename("b", "A").refusal()).contains("taken");
        room.rename("b", "bee");
        assertThat(room.members()).containsExactly("a", "bee", "c");
        assertThat(room.rename("a", "A").event()).isNotNull(); // own name, other case
    }

    @Test
    void onlyMembersPost() {
        assertThatThrownBy(() -> room.post("ghost", "boo")).isInstanceOf(IllegalStateException.class);
        assertThat(room.leave("ghost", "x")).isNull();
    }

    @Test
    void eventIdsAreUniqueUuidsWithinARoomAndAcrossRestarts() {
        var ids = new HashSet<String>();
        var first = new Room("R");
        first.join("alice");
        for (int i = 0; i < 10_000; i++) {
            assertThat(ids.add(first.post("alice", "m" + i).id())).isTrue();
        }
        // a restarted host continues the same persistent room with a new Room instance
        var restarted = new Room("R");
        restarted.restore(first.lastSeq(), List.of());
        restarted.join("alice");
        for (int i = 0; i < 10_000; i++) {
            assertThat(ids.add(restarted.post("alice", "n" + i).id())).isTrue();
        }
        assertThat(ids)
                .allSatisfy(id -> assertThat(UUID.fromString(id).toString()).isEqualTo(id));
    }
}
