package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void twoClientsChat() throws Exception {
        try (var host = new RoomHost(HostConfig.defaults("Smoke", 0), null)) {
            int port = host.start().getPort();
            var a = new RecordingListener();
            var b = new RecordingListener();
            var ca = RoomClient.connect("127.0.0.1", port, "alice", a);
            var cb = RoomClient.connect("127.0.0.1", port, "bob", b);
            assertThat(cb.welcome().members()).containsExactly("alice", "bob");
            ca.send("hi bob");
            cb.send("hi alice");
            assertThat(a.awaitMessages(2, 10)).isTrue();
            assertThat(b.awaitMessages(2, 10)).isTrue();
            assertThat(a.messages()).isEqualTo(b.messages());
            cb.leave();
            assertThat(b.disconnected.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(a.await(ev -> ev.stream().anyMatch(e -> e instanceof org.confab.core.RoomEvent.Left), 10)).isTrue();
            ca.leave();
        }
    }
}
