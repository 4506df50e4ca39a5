package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.confab.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's own typing throttle ({@link RoomConnection#TYPING_EVERY}): keystrokes send one
 * {@code typing} frame per three seconds, whatever the host would relay. A fake host counts the
 * frames; the connection's typing clock is the test's, so no one waits three seconds.
 */
@Timeout(60)
class ClientTypingTest {
    private static final int T = 20;

    /** Keystrokes at the clock's present time, then a message: how many typing frames went before it. */
    private static long typingFramesOf(FakeHost fake, RoomConnection c, int keystrokes, String marker)
            throws InterruptedException {
        for (int i = 0; i < keystrokes; i++) {
            c.typing();
        }
        c.send(marker);
        return fake.until(marker, T).stream()
                .filter(m -> m instanceof Message.Typing)
                .count();
    }

    @Test
    void keystrokesSendOneTypingSignalEveryThreeSeconds() throws Exception {
        assertThat(RoomConnection.TYPING_EVERY).isEqualTo(Duration.ofSeconds(3));
        var clock = new AtomicLong(5_000_000_000L);
        var heard = new RecordingConnectionListener();
        try (var fake = new FakeHost(List.of(Message.CAP_TYPING));
                var alice = fake.client("alice", heard)) {
            alice.typingClock(clock::get);
            alice.connect();
            assertThat(typingFramesOf(fake, alice, 200, "m1")).as("a burst").isEqualTo(1);
            clock.addAndGet(Duration.ofMillis(2_900).toNanos());
            assertThat(typingFramesOf(fake, alice, 50, "m2"))
                    .as("2.9 s later: still quiet")
                    .isZero();
            clock.addAndGet(Duration.ofMillis(200).toNanos());
            assertThat(typingFramesOf(fake, alice, 50, "m3"))
                    .as("3.1 s after the first: the next one")
                    .isEqualTo(1);
            clock.addAndGet(Duration.ofSeconds(60).toNanos());
            assertThat(typingFramesOf(fake, alice, 1, "m4")).isEqualTo(1);
        }
    }
}
