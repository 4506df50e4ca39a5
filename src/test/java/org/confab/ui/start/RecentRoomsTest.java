package org.confab.ui.start;

import static org.assertj.core.api.Assertions.assertThat;

import org.confab.core.InviteLink;
import org.confab.ui.common.Settings;
import org.junit.jupiter.api.Test;

class RecentRoomsTest {
    @Test
    void newestFirstWithoutDuplicatesAndCapped() {
        Settings s = Settings.inMemory();
        for (int i = 1; i <= 6; i++) {
            RecentRooms.remember(s, new InviteLink("10.0.0." + i, 4747), "Room " + i);
        }
        RecentRooms.remember(s, new InviteLink("10.0.0.5", 4747), "Room five\tagain\nnow");
        var recent = RecentRooms.list(s);
        assertThat(recent).hasSize(4);
        assertThat(recent.getFirst())
                .isEqualTo(new RecentRooms.Recent(new InviteLink("10.0.0.5", 4747), "Room five again now"));
        assertThat(recent)
                .extracting(r -> r.link().host())
                .containsExactly("10.0.0.5", "10.0.0.6", "10.0.0.4", "10.0.0.3");
    }

    @Test
    void ipv6AndDamagedEntries() {
        Settings s = Settings.inMemory();
        s.put("recent", "garbage\n[fd00::2]:4800\tLab\nhost:99999\tBad\n");
        assertThat(RecentRooms.list(s)).containsExactly(new RecentRooms.Recent(new InviteLink("fd00::2", 4800), "Lab"));
    }
}
