package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.confab.core.RoomEvent;
import org.confab.net.auth.Throttle;
import org.confab.net.tls.HostIdentity;
import org.confab.store.KnownRooms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS by default, verified room keys, trust on first use, room passwords, throttling, MITM. */
@Timeout(120)
class SecurityTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private RoomHost host(HostSecurity security, int port) throws Exception {
        var h = new RoomHost(
                HostConfig.defaults("Secure", port).withBindAddress(InetAddress.getLoopbackAddress()), security, null);
        h.start();
        open.add(h);
        return h;
    }

    private RoomLink join(RoomHost h, String nick, JoinOptions options) throws JoinException {
        return join(h.port(), nick, options);
    }

    private RoomLink join(int port, String nick, JoinOptions options) throws JoinException {
        var c = RoomLink.connect("127.0.0.1", port, nick, options, new RecordingLinkListener());
        open.add(c);
        return c;
    }

    @Test
    void aPinnedKeyJoinsWithoutAQuestionAndTheTrafficIsEncrypted() throws Exception {
        var h = host(HostSecurity.ephemeral(), 0);
        var listener = new RecordingLinkListener();
        var c = RoomLink.connect("127.0.0.1", h.port(), "alice", JoinOptions.pinned(h.fingerprint()), listener);
        open.add(c);
        assertThat(c.encrypted()).isTrue();
        assertThat(c.fingerprint()).isEqualTo(h.fingerprint());
        c.send("secret plans");
        assertThat(listener.awaitMessages(1, 20)).isTrue();
    }

    @Test
    void withoutPinOrKnownKeyTheClientAsksFirstAndSendsNothing() throws Exception {
        var h = host(HostSecurity.ephemeral(), 0);
        assertThatThrownBy(() -> join(h, "alice", JoinOptions.secure()))
                .isInstanceOfSatisfying(JoinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(JoinException.Reason.UNKNOWN_KEY);
                    assertThat(e.presented()).isEqualTo(h.fingerprint());
                    assertThat(e.getMessage()).contains(h.fingerprint().safetyCode());
                });
        assertThat(h.members()).isEmpty(); // not even the nickname reached the host
    }

    @Test
    void trustOnFirstUseRemembersTheKeyAndRefusesAChangedOne() throws Exception {
        var known = new KnownRooms(dir.resolve("known-rooms"));
        var first = host(HostSecurity.ephemeral(), 0);
        int port = first.port();
        var opts = JoinOptions.secure().withKnownRooms(known);
        join(first, "alice", opts.withTrustNew(true)).leave(); // the user confirmed the safety code
        assertThat(known.lookup("127.0.0.1", port)).contains(first.fingerprint());
        // a later visit: no question
        join(first, "alice", opts).leave();
        // the same address now shows another key (an impostor, or a reinstalled host)
        first.close();
        var impostor = host(HostSecurity.ephemeral(), port);
        assertThatThrownBy(() -> join(impostor, "alice", opts)).isInstanceOfSatisfying(JoinException.class, e -> {
            assertThat(e.reason()).isEqualTo(JoinException.Reason.KEY_CHANGED);
            assertThat(e.getMessage()).contains("different key").contains("impersonating");
            assertThat(e.presented()).isEqualTo(impostor.fingerprint());
            assertThat(e.known()).isEqualTo(first.fingerprint());
        });
        assertThat(impostor.members()).isEmpty();
        // --trust-new does not override a CHANGED key: only a deliberate new pin does
        assertThatThrownBy(() -> join(impostor, "alice", opts.withTrustNew(true)))
                .isInstanceOfSatisfying(
                        JoinException.class, e -> assertThat(e.reason()).isEqualTo(JoinException.Reason.KEY_CHANGED));
        join(impostor, "alice", opts.withPinned(impostor.fingerprint(), JoinOptions.PinSource.SEEN));
        assertThat(known.lookup("127.0.0.1", port)).contains(impostor.fingerprint());
        // and the store survives a restart of the client
        assertThat(new KnownRooms(dir.resolve("known-rooms")).lookup("127.0.0.1", port))
                .contains(impostor.fingerprint());
    }

    @Test
    void aKeyThatChangesBetweenReconnectsOfATypedAddressIsToldAsAChangedKeyNotAnInviteLink() throws Exception {
        var known = new KnownRooms(dir.resolve("known-rooms"));
        var first = host(HostSecurity.ephemeral(), 0);
        int port = first.port();
        var l = new RecordingConnectionListener();
        var c = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, "alice")
                        .withBackoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 0.2))
                        .withReconnectAfterRoomClosed(true)
                        .withSecurity(JoinOptions.secure().withKnownRooms(known).withTrustNew(true)),
                null,
                l);
        open.add(c);
        c.connect(); // typed address, first visit confirmed: no invite link anywhere
        first.close();
        host(HostSecurity.ephemeral(), port); // the same address, another key
        assertThat(l.ended.await(30, TimeUnit.SECONDS))
                .as("gave up on the changed key")
                .isTrue();
        assertThat(l.why.text()).contains("different key than last time").doesNotContain("invite link");
        // and the terminal client's --fp names itself
        var other = host(HostSecurity.ephemeral(), 0);
        assertThatThrownBy(() -> join(
                        other,
                        "bob",
                        JoinOptions.secure().withPinned(first.fingerprint(), JoinOptions.PinSource.GIVEN)))
                .isInstanceOfSatisfying(JoinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(JoinException.Reason.KEY_MISMATCH);
                    assertThat(e.getMessage())
                            .contains("the key you gave (--fp)")
                            .doesNotContain("invite link");
                });
    }

    @Test
    void aManInTheMiddleIsRefusedAndTheClientSaysWhy() throws Exception {
        var real = host(HostSecurity.ephemeral(), 0);
        var mitm = new TlsRelay(real.port(), HostIdentity.generate());
        open.add(mitm);
        // the relay does work as a relay: a client that trusts anything gets through it
        join(mitm.port(), "gullible", JoinOptions.secure().withTrustNew(true)).leave();
        // with the invite link's key pinned, the impostor key is refused during the TLS handshake
        assertThatThrownBy(() -> join(mitm.port(), "alice", JoinOptions.pinned(real.fingerprint())))
                .isInstanceOfSatisfying(JoinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(JoinException.Reason.KEY_MISMATCH);
                    assertThat(e.getMessage()).contains("intercepting");
                    assertThat(e.presented()).isNotEqualTo(real.fingerprint());
                });
        assertThat(real.members()).isEmpty();
    }

    @Test
    void rightPasswordJoinsWrongOrMissingIsRefused() throws Exception {
        var h = host(HostSecurity.ephemeral().withPassword("correct horse"), 0);
        var pin = JoinOptions.pinned(h.fingerprint());
        assertThatThrownBy(() -> join(h, "a", pin))
                .isInstanceOfSatisfying(
                        JoinException.class,
                        e -> assertThat(e.reason()).isEqualTo(JoinException.Reason.PASSWORD_REQUIRED));
        assertThatThrownBy(() -> join(h, "a", pin.withPassword("battery staple")))
                .isInstanceOfSatisfying(JoinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(JoinException.Reason.BAD_PASSWORD);
                    assertThat(e.getMessage()).contains("Wrong room password");
                });
        var c = join(h, "a", pin.withPassword("correct horse"));
        assertThat(c.welcome().members()).containsExactly("a");
    }

    @Test
    void passwordProofsCannotBeRelayedThroughAnotherCertificate() throws Exception {
        var real = host(HostSecurity.ephemeral().withPassword("pw"), 0);
        var mitm = new TlsRelay(real.port(), HostIdentity.generate());
        open.add(mitm);
        // the user was fooled into trusting the relay's key; the password exchange still fails
        assertThatThrownBy(() -> join(
                        mitm.port(),
                        "alice",
                        JoinOptions.secure().withTrustNew(true).withPassword("pw")))
                .isInstanceOfSatisfying(JoinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(JoinException.Reason.BAD_PASSWORD);
                    assertThat(e.getMessage()).contains("another certificate");
                });
        assertThat(real.members()).isEmpty();
    }

    @Test
    void wrongGuessesAreThrottledPerAddress() throws Exception {
        var now = new Instant[] {Instant.parse("2026-01-01T00:00:00Z")};
        var clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        var security = new HostSecurity(HostIdentity.generate(), null, new Throttle(clock)).withPassword("right");
        var h = host(security, 0);
        var pin = JoinOptions.pinned(h.fingerprint());
        for (int i = 0; i < Throttle.FREE_FAILURES + 1; i++) {
            assertThatThrownBy(() -> join(h, "a", pin.withPassword("wrong")))
                    .isInstanceOfSatisfying(
                            JoinException.class,
                            e -> assertThat(e.reason()).isEqualTo(JoinException.Reason.BAD_PASSWORD));
        }
        // now locked out: even the right password must wait, and the message says how long
        assertThatThrownBy(() -> join(h, "a", pin.withPassword("right")))
                .isInstanceOfSatisfying(JoinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(JoinException.Reason.THROTTLED);
                    assertThat(e.getMessage()).contains("Try again in 2 s");
                });
        now[0] = now[0].plus(Duration.ofSeconds(3));
        join(h, "a", pin.withPassword("right")); // waited: allowed, and the record is cleared
        assertThat(security.throttle().waitFor(InetAddress.getLoopbackAddress()))
                .isZero();
    }

    @Test
    void plainTcpOnlyByExplicitChoiceAndMismatchesAreExplained() throws Exception {
        var plain = host(HostSecurity.insecure(), 0);
        assertThatThrownBy(() -> join(plain, "a", JoinOptions.secure().withTrustNew(true)))
                .isInstanceOfSatisfying(JoinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(JoinException.Reason.NOT_ENCRYPTED);
                    assertThat(e.getMessage()).contains("--insecure");
                });
        var c = join(plain, "a", JoinOptions.insecureTcp());
        assertThat(c.encrypted()).isFalse();
        var tls = host(HostSecurity.ephemeral(), 0);
        assertThatThrownBy(() -> join(tls, "b", JoinOptions.insecureTcp()))
                .isInstanceOfSatisfying(
                        JoinException.class, e -> assertThat(e.getMessage()).contains("join without --insecure"));
        assertThatThrownBy(() -> join(plain, "b", JoinOptions.insecureTcp().withPassword("pw")))
                .isInstanceOfSatisfying(
                        JoinException.class, e -> assertThat(e.reason()).isEqualTo(JoinException.Reason.NOT_ENCRYPTED));
    }

    @Test
    void theHostKeyIsMadeOnceKeptOwnerOnlyAndReusedAcrossRestarts() throws Exception {
        Path file = dir.resolve("cfg").resolve("host-identity.p12");
        var a = HostIdentity.loadOrCreate(file);
        var b = HostIdentity.loadOrCreate(file);
        assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        // a room restarted with the same key file keeps its identity for its members
        var known = new KnownRooms(dir.resolve("known"));
        var h1 = host(HostSecurity.tls(a), 0);
        int port = h1.port();
        join(h1, "x", JoinOptions.secure().withKnownRooms(known).withTrustNew(true))
                .leave();
        h1.close();
        var h2 = host(HostSecurity.tls(HostIdentity.loadOrCreate(file)), port);
        join(h2, "x", JoinOptions.secure().withKnownRooms(known)); // no question, no warning
    }

    @Test
    void lookAlikeNicknamesAreRefused() throws Exception {
        var h = host(HostSecurity.ephemeral(), 0);
        var pin = JoinOptions.pinned(h.fingerprint());
        var l = new RecordingLinkListener();
        open.add(RoomLink.connect("127.0.0.1", h.port(), "alice", pin, l));
        assertThatThrownBy(() -> join(h, "\u0430lice", pin)) // Cyrillic а
                .isInstanceOfSatisfying(JoinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(JoinException.Reason.NICK_TAKEN);
                    assertThat(e.getMessage()).contains("looks the same as \"alice\"");
                });
        assertThat(l.events)
                .noneMatch(e -> e instanceof RoomEvent.Joined j && !j.nick().equals("alice"));
    }
}
