package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.confab.net.tls.HostIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The host's handshake deadline can pass in the middle of the password exchange (a slow client
 * still computing its proof: 65,536 PBKDF2 rounds on a cold, busy JVM; seen with eight join
 * processes starting at once on two cores). The host then answers with a handshake-timeout error
 * instead of auth-ok; that is a timeout (retried), not "the host answered the password oddly"
 * (PROTOCOL, which ended a reconnecting member and stranded its outbox).
 */
@Timeout(60)
class PasswordDeadlineTest {
    @Test
    void theHandshakeDeadlinePassingDuringThePasswordExchangeIsATimeout() throws Exception {
        var identity = HostIdentity.generate();
        var config = HostConfig.defaults("Slow room", 0).withBindAddress(InetAddress.getLoopbackAddress())
                .withTimeouts(Duration.ofMillis(700), HostConfig.DEFAULT_HEARTBEAT, HostConfig.DEFAULT_IDLE_TIMEOUT);
        try (var host = new RoomHost(config, HostSecurity.tls(identity).withPassword("pw"), null);
             var stall = new StallAtAuthFinish()) {
            host.start();
            stall.start(host.port());
            assertThatThrownBy(() -> RoomLink.connect("127.0.0.1", stall.port(), "alice",
                    JoinOptions.pinned(identity.fingerprint()).withPassword("pw"), Duration.ofSeconds(20), Duration.ofSeconds(15),
                    new RecordingLinkListener()).close())
                    .isInstanceOfSatisfying(JoinException.class, e -> {
                        assertThat(e.reason()).as(e.getMessage()).isEqualTo(JoinException.Reason.TIMEOUT);
                        assertThat(e.reason().retryable()).isTrue();
                        assertThat(e.getMessage()).contains("gave up waiting").doesNotContain("oddly");
                    });
        }
    }

    /** Forwards one connection, but holds back the client's auth-finish (its third application-data record). */
    static final class StallAtAuthFinish implements AutoCloseable {
        private final ServerSocket server = new ServerSocket();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        StallAtAuthFinish() throws IOException {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }

        int port() {
            return server.getLocalPort();
        }

        void start(int target) {
            Thread.ofVirtual().start(() -> {
                try {
                    Socket client = server.accept();
                    Socket up = new Socket(InetAddress.getLoopbackAddress(), target);
                    sockets.add(client);
                    sockets.add(up);
                    Thread.ofVirtual().start(() -> copy(up, client));
                    var in = new DataInputStream(client.getInputStream());
                    OutputStream out = up.getOutputStream();
                    int app = 0;
                    while (true) {
                        byte[] header = new byte[5];
                        in.readFully(header);
                        byte[] body = new byte[((header[3] & 0xff) << 8) | (header[4] & 0xff)];
                        in.readFully(body);
                        if (header[0] == 23 && ++app == 3) {
                            in.transferTo(OutputStream.nullOutputStream()); // held back until the client gives up
                            return;
                        }
                        out.write(header);
                        out.write(body);
                    }
                } catch (IOException e) {
                    // closed
                }
            });
        }

        private static void copy(Socket from, Socket to) {
            try {
                InputStream in = from.getInputStream();
                in.transferTo(to.getOutputStream());
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
