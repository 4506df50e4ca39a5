package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Automatic away after {@link IdlePresence#AUTO_AWAY} without input, on a hand-driven clock; no window. */
class IdlePresenceTest {
    private long now = 1_000_000_000L;
    private final List<String> told = new ArrayList<>();
    private final IdlePresence presence = new IdlePresence(() -> now, (state, text) -> told.add(state + ":" + text));

    private void pass(Duration d) {
        now += d.toNanos();
    }

    @Test
    void tenMinutesWithoutInputIsAwayAndTheNextInputIsBack() {
        assertThat(IdlePresence.AUTO_AWAY).isEqualTo(Duration.ofMinutes(10));
        pass(Duration.ofMinutes(9).plusSeconds(59));
        presence.check();
        assertThat(told).as("not yet").isEmpty();
        pass(Duration.ofSeconds(2));
        presence.check();
        assertThat(told).containsExactly("away:");
        assertThat(presence.autoAway()).isTrue();
        pass(Duration.ofMinutes(30));
        presence.check();
        assertThat(told).as("told once").containsExactly("away:");

        presence.input();
        assertThat(told).containsExactly("away:", "online:");
        assertThat(presence.autoAway()).isFalse();
        presence.input();
        assertThat(told).as("input while present tells nothing").hasSize(2);
    }

    @Test
    void inputKeepsThePersonPresent() {
        for (int i = 0; i < 6; i++) {
            pass(Duration.ofMinutes(5));
            presence.input();
            presence.check();
        }
        assertThat(told).isEmpty();
        pass(Duration.ofMinutes(10).plusSeconds(1));
        presence.check();
        assertThat(told).as("ten minutes after the last input").containsExactly("away:");
    }

    @Test
    void aChosenStatusIsNeverReplacedByTheAutomaticOne() {
        presence.choose("dnd", "in a call");
        pass(Duration.ofHours(1));
        presence.check();
        presence.input();
        assertThat(told).as("do not disturb stays").containsExactly("dnd:in a call");

        presence.choose("online", null);
        pass(Duration.ofMinutes(11));
        presence.check();
        assertThat(told).endsWith("online:", "away:");
        presence.choose("away", "lunch");
        assertThat(presence.autoAway()).as("chosen now").isFalse();
        presence.input();
        assertThat(told).as("input does not bring back from a chosen away").endsWith("away:lunch");
    }

    @Test
    void backFromAnAutomaticAwayIsTheChosenStatusAndText() {
        presence.choose("online", "at my desk");
        pass(Duration.ofMinutes(11));
        presence.check();
        presence.input();
        assertThat(told).containsExactly("online:at my desk", "away:", "online:at my desk");
    }
}
