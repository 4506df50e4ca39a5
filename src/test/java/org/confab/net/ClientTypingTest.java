package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.confab.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's own typing throttle ({@link RoomConnection#TYPING_EVERY}): a burst of keystrokes
 * sends one {@code typing} frame, whatever the host would relay. A fake host counts the frames.
 */
@Timeout(60)
class ClientTypingTest {
    private static final int T = 20;

    @Test
    void aBurstOfKeystrokesSendsOneTypingSignalEveryThreeSeconds() throws Exception {
        var heard = new RecordingConnectionListener();
        try (var fake = new FakeHost(List.of(Message.CAP_TYPING));
                var alice = fake.client("alice", heard)) {
            alice.connect();
            long t0 = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                alice.typing();
            }
            long burst = System.nanoTime() - t0;
            alice.send("marker");
            long typing = fake.until("marker", T).stream()
                    .filter(m -> m instanceof Message.Typing)
                    .count();
            // one per started TYPING_EVERY of the burst (a burst takes microseconds: one)
            long allowed = 1 + burst / RoomConnection.TYPING_EVERY.toNanos();
            assertThat(typing).isBetween(1L, allowed);
            assertThat(RoomConnection.TYPING_EVERY).isEqualTo(Duration.ofSeconds(3));
        }
    }
}
