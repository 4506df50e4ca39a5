package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
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
        var config = HostConfig.defaults("Slow room", 0)
                .withBindAddress(InetAddress.getLoopbackAddress())
                .withTimeouts(Duration.ofMillis(700), HostConfig.DEFAULT_HEARTBEAT, HostConfig.DEFAULT_IDLE_TIMEOUT);
        try (var host = new RoomHost(config, HostSecurity.tls(identity).withPassword("pw"), null)) {
            host.start();
            // forwards, but holds back the client's auth-finish (its third application-data record) and all after it
            try (var stall =
                    new ChaosProxy(host.port(), true, n -> ChaosProxy.Plan.stall(ChaosProxy.Aim.AUTH_FINISH, 0, 0))) {
                assertThatThrownBy(() -> RoomLink.connect(
                                        "127.0.0.1",
                                        stall.port(),
                                        "alice",
                                        JoinOptions.pinned(identity.fingerprint())
                                                .withPassword("pw"),
                                        Duration.ofSeconds(20),
                                        Duration.ofSeconds(15),
                                        new RecordingLinkListener())
                                .close())
                        .isInstanceOfSatisfying(JoinException.class, e -> {
                            assertThat(e.reason()).as(e.getMessage()).isEqualTo(JoinException.Reason.TIMEOUT);
                            assertThat(e.reason().retryable()).isTrue();
                            assertThat(e.getMessage())
                                    .contains("gave up waiting")
                                    .doesNotContain("oddly");
                        });
            }
        }
    }
}
