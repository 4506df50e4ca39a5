package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.confab.net.tls.HostIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection cut inside the TLS handshake (or the password exchange) is a lost connection, retried
 * like any other: never "the host did not answer with encryption", which only a host that answers
 * in plain text earns. Before the fix, a reconnect whose handshake was cut ended the connection
 * and its outbox was never sent.
 */
@Timeout(60)
class HandshakeCutTest {
    private static final Backoff FAST = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 0.2);
    /** Closed (FIN, as a proxy or a dying process ends it) halfway into the host's first TLS record, its ServerHello. */
    private static final ChaosProxy.Plan HALFWAY_INTO_SERVER_HELLO =
            ChaosProxy.Plan.cut(ChaosProxy.Aim.TLS_S2C, 0, 0.5, false);

    private final List<AutoCloseable> open = new ArrayList<>();
    private final HostIdentity identity = HostIdentity.generate();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private RoomHost host(HostSecurity security) throws Exception {
        var h = new RoomHost(
                HostConfig.defaults("Cut room", 0).withBindAddress(InetAddress.getLoopbackAddress()), security, null);
        h.start();
        open.add(h);
        return h;
    }

    /** A server that reads what the client sends, writes {@code answer} and then ends the connection (reset or FIN). */
    private int fakeHost(byte[] answer, boolean reset) throws IOException {
        var server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        open.add(server);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[4096]); // the ClientHello
                    s.getOutputStream().write(answer);
                    s.getOutputStream().flush();
                    if (reset) {
                        s.setSoLinger(true, 0);
                    }
                } catch (IOException e) {
                    // next
                }
            }
        });
        return server.getLocalPort();
    }

    private static JoinException joinFails(int port) {
        try {
            RoomLink.connect(
                            "127.0.0.1",
                            port,
                            "alice",
                            JoinOptions.secure().withTrustNew(true),
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(15),
                            new RecordingLinkListener())
                    .close();
        } catch (JoinException e) {
            return e;
        }
        throw new AssertionError("joined a host that cut the connection");
    }

    @Test
    void aCutInsideTheTlsHandshakeIsALostConnection() throws Exception {
        // reset right after the ClientHello; an orderly close; half a ServerHello record, then a close
        byte[] halfRecord = {0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00, 0x00};
        for (int port : new int[] {
            fakeHost(new byte[0], true),
            fakeHost(new byte[0], false),
            fakeHost(halfRecord, false),
            fakeHost(halfRecord, true)
        }) {
            JoinException e = joinFails(port);
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(JoinException.Reason.LOST);
            assertThat(e.reason().retryable()).isTrue();
            assertThat(e.getMessage())
                    .contains("was cut during the secure handshake")
                    .doesNotContain("encryption");
        }
    }

    @Test
    void onlyAHostThatAnswersInPlainTextIsNotEncrypted() throws Exception {
        byte[] http = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] confabFrame = {0, 0, 0, 2, 1, '{', '}'};
        for (int port : new int[] {fakeHost(http, false), fakeHost(confabFrame, true)}) {
            JoinException e = joinFails(port);
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(JoinException.Reason.NOT_ENCRYPTED);
            assertThat(e.reason().retryable()).isFalse();
        }
    }

    @Test
    void aReconnectCutInItsHandshakeOrPasswordExchangeKeepsTryingAndDeliversTheOutbox() throws Exception {
        var host = host(HostSecurity.tls(identity).withPassword("pw"));
        // connection 1 passes; 2 is closed halfway into the host's TLS answer (its ServerHello); 3 is reset
        // just after the TLS handshake, when the client's auth-start is on its way; 4 and later pass
        var proxy = new ChaosProxy(host.port(), true, n -> switch (n) {
            case 1 -> HALFWAY_INTO_SERVER_HELLO;
            case 2 -> ChaosProxy.Plan.cut(ChaosProxy.Aim.AUTH_START, 0, 0, true);
            default -> ChaosProxy.Plan.NONE;
        });
        open.add(proxy);
        var bobListener = new RecordingConnectionListener();
        var bob = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", host.port(), "bob")
                        .withSecurity(JoinOptions.pinned(identity.fingerprint()).withPassword("pw")),
                null,
                bobListener);
        open.add(bob);
        bob.connect();
        var l = new RecordingConnectionListener();
        var alice = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", proxy.port(), "alice")
                        .withBackoff(FAST)
                        .withSecurity(JoinOptions.secure().withTrustNew(true).withPassword("pw")),
                null,
                l);
        open.add(alice);
        alice.connect();
        alice.dropForTest();
        alice.send("written while the reconnects are cut");
        assertThat(bobListener.await(() -> bobListener.texts().contains("written while the reconnects are cut"), 30))
                .as("delivered after the cut reconnects; alice ended with: %s", l.why)
                .isTrue();
        assertThat(l.why).isNull();
        assertThat(alice.state()).isEqualTo(RoomConnection.State.CONNECTED);
        assertThat(proxy.connections()).isGreaterThanOrEqualTo(4);
        assertThat(l.reconnects).anySatisfy(r -> assertThat(r).contains("was cut during the secure handshake"));
        assertThat(l.reconnects)
                .anySatisfy(r -> assertThat(r)
                        .containsAnyOf(
                                "during the password exchange", "closed the connection during the password exchange"));
        assertThat(l.reconnects).noneSatisfy(r -> assertThat(r).contains("encryption"));
    }

    @Test
    void aFirstJoinCutInItsHandshakeIsRetriedForTheTimeAllowed() throws Exception {
        var host = host(HostSecurity.tls(identity));
        var proxy = new ChaosProxy(host.port(), false, n -> n <= 1 ? HALFWAY_INTO_SERVER_HELLO : ChaosProxy.Plan.NONE);
        open.add(proxy);
        var l = new RecordingConnectionListener();
        var once = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", proxy.port(), "alice")
                        .withBackoff(FAST)
                        .withSecurity(JoinOptions.pinned(identity.fingerprint())),
                null,
                l);
        open.add(once);
        assertThatThrownBy(once::connect)
                .isInstanceOfSatisfying(
                        JoinException.class, e -> assertThat(e.reason()).isEqualTo(JoinException.Reason.LOST));
        var retried = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", proxy.port(), "alice")
                        .withBackoff(FAST)
                        .withSecurity(JoinOptions.pinned(identity.fingerprint())),
                null,
                l);
        open.add(retried);
        retried.connect(Duration.ofSeconds(20));
        assertThat(retried.state()).isEqualTo(RoomConnection.State.CONNECTED);
        assertThat(l.reconnects).hasSize(1).allSatisfy(r -> assertThat(r).contains("secure handshake"));
    }

    @Test
    void aRefusalIsNeverRetriedOnTheFirstJoin() throws Exception {
        var host = host(HostSecurity.tls(identity).withPassword("pw"));
        var l = new RecordingConnectionListener();
        var c = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", host.port(), "alice")
                        .withBackoff(FAST)
                        .withSecurity(JoinOptions.pinned(identity.fingerprint()).withPassword("wrong")),
                null,
                l);
        open.add(c);
        assertThatThrownBy(() -> c.connect(Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(
                        JoinException.class, e -> assertThat(e.reason()).isEqualTo(JoinException.Reason.BAD_PASSWORD));
        assertThat(l.reconnects).isEmpty();
    }
}
