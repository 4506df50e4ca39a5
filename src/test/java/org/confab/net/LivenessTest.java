package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.confab.protocol.FrameDecoder;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dead peers are found within the documented bounds, and silent sockets cannot starve the host. */
@Timeout(120)
class LivenessTest {

    /** Slowloris: 1,000 sockets connect and say nothing; a real member still joins at once, and all are cut. */
    @Test
    void aThousandSilentSocketsDoNotKeepAMemberOut() throws Exception {
        var config = HostConfig.defaults("Slowloris", 0)
                .withBindAddress(InetAddress.getLoopbackAddress())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(15));
        var silent = new ArrayList<Socket>();
        try (var host = new RoomHost(config, null)) {
            host.start();
            try {
                for (int i = 0; i < 1000; i++) {
                    var s = new Socket(InetAddress.getLoopbackAddress(), host.port());
                    s.setSoTimeout(20_000);
                    silent.add(s);
                }
                long t0 = System.nanoTime();
                try (var alice = RoomLink.connect(
                        "127.0.0.1",
                        host.port(),
                        "alice",
                        JoinOptions.pinned(host.fingerprint()),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(15),
                        new RecordingLinkListener())) {
                    long joinMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    assertThat(joinMillis)
                            .as("join time with 1,000 silent sockets open")
                            .isLessThan(2000);
                    assertThat(alice.isConnected()).isTrue();
                    // every silent socket is closed by the host (after a handshake-timeout error)
                    for (Socket s : silent) {
                        assertThat(readsToEnd(s))
                                .as("host closed a silent socket")
                                .isTrue();
                    }
                    assertThat(host.members()).containsExactly("alice");
                    assertThat(alice.isConnected()).isTrue();
                }
            } finally {
                for (Socket s : silent) {
                    s.close();
                }
            }
        }
    }

    private static boolean readsToEnd(Socket s) throws IOException {
        byte[] buf = new byte[4096];
        try {
            while (s.getInputStream().read(buf) >= 0) {
                // the handshake-timeout error frame
            }
            return true;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Regression (SessionFuzzTest ran out of memory): finished connections are not kept by the host. */
    @Test
    void finishedConnectionsAreForgotten() throws Exception {
        var config = HostConfig.defaults("Leak", 0).withBindAddress(InetAddress.getLoopbackAddress());
        try (var host = new RoomHost(config, null)) {
            host.start();
            for (int i = 0; i < 300; i++) {
                try (var raw = new RawPeer(host.port())) {
                    raw.send(new Message.Hello(1, "n" + i, "raw"));
                    assertThat(raw.read()).isInstanceOf(Message.Welcome.class);
                    raw.send(new Message.Leave(null));
                    raw.readUntilClosed();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (host.trackedThreads() > 10 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // wait-until, bounded
            }
            assertThat(host.trackedThreads())
                    .as("accept + heartbeat (+ a session still ending)")
                    .isLessThanOrEqualTo(10);
        }
    }

    /** A host that welcomes and then goes silent (frozen, unplugged) is noticed within the idle timeout. */
    @Test
    void aSilentHostIsFoundDeadWithinTheIdleTimeout() throws Exception {
        try (var fake = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread server = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket s = fake.accept();
                        accepted.add(s);
                        var decoder = new FrameDecoder();
                        byte[] buf = new byte[4096];
                        int n = s.getInputStream().read(buf);
                        var hello = (Message.Hello)
                                JsonCodec.decode(decoder.feed(buf, 0, n).getFirst());
                        s.getOutputStream()
                                .write(JsonCodec.encode(new Message.Welcome(
                                                1, "Frozen", hello.nick(), List.of(hello.nick()), List.of(), 0, "fake"))
                                        .encode());
                        // ... and then nothing, ever: no pongs, no pings
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            var idle = Duration.ofMillis(1500);
            var l = new RecordingLinkListener();
            long t0 = System.nanoTime();
            // the fake host speaks plain TCP: this test is about liveness, not TLS
            var client = RoomLink.connect(
                    "127.0.0.1",
                    fake.getLocalPort(),
                    "alice",
                    JoinOptions.insecureTcp(),
                    Duration.ofSeconds(5),
                    idle,
                    l);
            assertThat(l.disconnected.await(20, TimeUnit.SECONDS)).isTrue();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(l.why.kind()).isEqualTo(Disconnect.Kind.LOST);
            assertThat(l.why.text()).contains("No sign of the host");
            assertThat(millis).isBetween(idle.toMillis() - 100, idle.toMillis() + 3000);
            client.close();
            // the reconnecting connection reports it and tries again
            var cl = new RecordingConnectionListener();
            try (var rc = new RoomConnection(
                    RoomConnection.Options.defaults("127.0.0.1", fake.getLocalPort(), "bob")
                            .withTimeouts(Duration.ofSeconds(5), idle)
                            .withSecurity(JoinOptions.insecureTcp()),
                    null,
                    cl)) {
                rc.connect();
                assertThat(cl.await(() -> !cl.reconnects.isEmpty(), 20)).isTrue();
                assertThat(cl.reconnects.getFirst()).contains("No sign of the host");
            }
            fake.close();
            server.join();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
