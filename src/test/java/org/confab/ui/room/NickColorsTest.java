package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NickColorsTest {
    @Test
    void stableAndFoldedLikeNicknameKeys() {
        assertThat(NickColors.hex("Alice")).isEqualTo(NickColors.hex("alice")).isEqualTo(NickColors.hex("ALICE"));
        assertThat(NickColors.hex("ｂｏｂ")).isEqualTo(NickColors.hex("bob")); // NFKC fold
        assertThat(NickColors.hex("alice")).matches("#[0-9A-F]{6}");
    }

    @Test
    void notEveryoneGetsTheSameColour() {
        long distinct = Stream.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")
                .map(NickColors::hex)
                .distinct()
                .count();
        assertThat(distinct).isGreaterThanOrEqualTo(4);
    }

    @Test
    void initials() {
        assertThat(NickColors.initials("Carol Diaz")).isEqualTo("CD");
        assertThat(NickColors.initials("bob")).isEqualTo("B");
        assertThat(NickColors.initials("jean-luc")).isEqualTo("JL");
        assertThat(NickColors.initials("_x")).isEqualTo("X");
    }
}
