package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.confab.core.InviteLink;
import org.confab.core.InviteLink.Candidate;
import org.confab.net.tls.HostIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A room with several addresses (a multi-address invite link), joined over loopback against real
 * hosts: dead candidates (a closed port, a listener that never answers TLS, a room with another
 * key) before the good one; all bad; IPv6; a reconnect that finds the room at another address.
 */
@Timeout(120)
class HappyEyeballsTest {
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HostIdentity identity = HostIdentity.generate();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private RoomHost host(HostIdentity id, InetAddress bind, int port, String name) throws Exception {
        var h = new RoomHost(
                HostConfig.defaults(name, port).withBindAddress(bind).withHistoryFile(dir.resolve(name + ".db")),
                HostSecurity.tls(id),
                null);
        h.start();
        open.add(h);
        return h;
    }

    /** A port nobody listens on (connection refused). */
    private static int closedPort() throws Exception {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A listener whose kernel completes TCP but that never reads or answers: a TLS handshake stalls there. */
    private int stallingPort() throws Exception {
        var s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(s);
        return s.getLocalPort();
    }

    private RoomConnection connection(List<Candidate> candidates, RecordingConnectionListener l) {
        return connection(candidates, l, false);
    }

    private RoomConnection connection(
            List<Candidate> candidates, RecordingConnectionListener l, boolean reconnectAfterRoomClosed) {
        Candidate first = candidates.getFirst();
        var rc = new RoomConnection(
                RoomConnection.Options.of(InviteLink.of(candidates, identity.fingerprint()), "bob")
                        .withTimeouts(CONNECT, HostConfig.DEFAULT_IDLE_TIMEOUT)
                        .withBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 0.1))
                        .withSecurity(JoinOptions.pinned(identity.fingerprint()))
                        .withReconnectAfterRoomClosed(reconnectAfterRoomClosed),
                null,
                l);
        assertThat(first.host()).isNotNull();
        open.add(rc);
        return rc;
    }

    private static Candidate v4(int port) {
        return new Candidate("127.0.0.1", port);
    }

    @Test
    void deadCandidatesAndAnotherRoomFirst_theGoodOneJoinsWithoutWaitingForTheTimeout() throws Exception {
        var good = host(identity, InetAddress.getLoopbackAddress(), 0, "good");
        var other = host(HostIdentity.generate(), InetAddress.getLoopbackAddress(), 0, "other");
        int stall = stallingPort();
        int closed = closedPort();
        var l = new RecordingConnectionListener();
        var rc = connection(List.of(v4(stall), v4(closed), v4(other.port()), v4(good.port())), l);

        long t0 = System.nanoTime();
        rc.connect();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf(
                "HappyEyeballsTest: joined the 4th candidate after %d ms (stagger %d ms)%n",
                ms, HappyEyeballs.ATTEMPT_DELAY.toMillis());

        assertThat(rc.connectedVia()).isEqualTo(v4(good.port()).address());
        assertThat(l.welcomes.getLast().room()).isEqualTo("good");
        // the stalled TLS handshake was not waited for (it would take the whole connect timeout)
        assertThat(Duration.ofMillis(ms)).isLessThan(CONNECT.dividedBy(2));
        assertThat(good.awaitMembers(1, 10, TimeUnit.SECONDS)).isTrue();
        assertThat(other.members()).as("the room with another key never saw us").isEmpty();
    }

    @Test
    void aRoomWithAnotherKeyThatAnswersFirstIsNeverUsed() throws Exception {
        var other = host(HostIdentity.generate(), InetAddress.getLoopbackAddress(), 0, "other");
        var good = host(identity, InetAddress.getLoopbackAddress(), 0, "good");
        var l = new RecordingConnectionListener();
        var rc = connection(List.of(v4(other.port()), v4(good.port())), l);
        rc.connect();
        assertThat(rc.connectedVia()).isEqualTo(v4(good.port()).address());
        assertThat(l.welcomes.getLast().room()).isEqualTo("good");
        assertThat(other.members()).isEmpty();
    }

    @Test
    void whenEveryCandidateFails_oneErrorSaysWhatEachDid() throws Exception {
        var other = host(HostIdentity.generate(), InetAddress.getLoopbackAddress(), 0, "other");
        int closed = closedPort();
        int stall = stallingPort();
        var l = new RecordingConnectionListener();
        var rc = new RoomConnection(
                RoomConnection.Options.of(
                                InviteLink.of(List.of(v4(closed), v4(other.port()), v4(stall)), identity.fingerprint()),
                                "bob")
                        .withTimeouts(Duration.ofSeconds(1), HostConfig.DEFAULT_IDLE_TIMEOUT)
                        .withSecurity(JoinOptions.pinned(identity.fingerprint())),
                null,
                l);
        open.add(rc);
        assertThatThrownBy(rc::connect)
                .isInstanceOfSatisfying(JoinException.class, e -> {
                    // one candidate's failure is retryable (the host may come back): so is the whole
                    assertThat(e.reason().retryable()).isTrue();
                    assertThat(e.reason()).isIn(JoinException.Reason.TIMEOUT, JoinException.Reason.REFUSED);
                })
                .hasMessageStartingWith("None of the room's 3 addresses let this Confab in:")
                .hasMessageContaining(v4(closed).address() + ": Nobody is hosting at "
                        + v4(closed).address())
                .hasMessageContaining(v4(other.port()).address() + ": The room at "
                        + v4(other.port()).address() + " did not show the key your invite link names")
                .hasMessageContaining(
                        v4(stall).address() + ": The host at " + v4(stall).address() + " stopped answering");
        assertThat(other.members()).isEmpty();
    }

    @Test
    void anotherKeyBesideARefusal_staysRetryable_aloneItIsAKeyMismatch() throws Exception {
        var other = host(HostIdentity.generate(), InetAddress.getLoopbackAddress(), 0, "other");
        var l = new RecordingConnectionListener();
        var rc = connection(List.of(v4(other.port()), new Candidate("127.0.0.1", other.port() == 1 ? 2 : 1)), l);
        assertThatThrownBy(rc::connect)
                .isInstanceOfSatisfying(
                        JoinException.class, e -> assertThat(e.presented()).isNull())
                .hasMessageContaining("did not show the key");
        // the other failure was a refusal: the whole stays retryable; alone, a wrong key is a key mismatch
        var alone = connection(List.of(v4(other.port())), new RecordingConnectionListener());
        assertThatThrownBy(alone::connect).isInstanceOfSatisfying(JoinException.class, e -> {
            assertThat(e.reason()).isEqualTo(JoinException.Reason.KEY_MISMATCH);
            assertThat(e.presented()).isEqualTo(other.fingerprint());
        });
    }

    @Test
    void ipv6LoopbackIsTriedInTurnWithIpv4() throws Exception {
        InetAddress v6;
        try (var probe = new ServerSocket()) {
            v6 = InetAddress.getByName("::1");
            probe.bind(new InetSocketAddress(v6, 0));
        } catch (Exception e) {
            Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
            return;
        }
        assertThat(v6).isInstanceOf(Inet6Address.class);
        var good = host(identity, v6, 0, "good6");
        int stall = stallingPort();
        int closed = closedPort();
        var l = new RecordingConnectionListener();
        // IPv4 first in the link; RFC 8305 interleaving makes [::1] the second attempt, not the last
        var rc = connection(List.of(v4(stall), v4(closed), new Candidate("::1", good.port())), l);
        rc.connect();
        assertThat(rc.connectedVia()).isEqualTo("[::1]:" + good.port());
        assertThat(l.welcomes.getLast().room()).isEqualTo("good6");
    }

    @Test
    void interleavesAddressFamiliesAsRfc8305AndPrefersTheLastGood() {
        var a4 = new Candidate("10.0.0.1", 1);
        var b4 = new Candidate("10.0.0.2", 1);
        var c4 = new Candidate("laptop.example", 1);
        var a6 = new Candidate("fd00::1", 1);
        var b6 = new Candidate("fd00::2", 1);
        assertThat(HappyEyeballs.interleave(List.of(a4, b4, a6, c4, b6))).containsExactly(a4, a6, b4, b6, c4);
        assertThat(HappyEyeballs.interleave(List.of(a6, b6, a4))).containsExactly(a6, a4, b6);
        assertThat(HappyEyeballs.preferring(List.of(a4, b4, a6), a6)).containsExactly(a6, a4, b4);
        assertThat(HappyEyeballs.preferring(List.of(a4, b4), null)).containsExactly(a4, b4);
    }

    @Test
    void afterADropTheConnectionTriesEveryAddressAgain_andResumesWhereTheRoomIsNow() throws Exception {
        int second = closedPort();
        var first = host(identity, InetAddress.getLoopbackAddress(), 0, "moving");
        var l = new RecordingConnectionListener();
        // a restart of the host counts as a drop here (as for the GUI's hosted rooms after a crash)
        var rc = connection(List.of(v4(first.port()), v4(second)), l, true);
        rc.connect();
        assertThat(rc.connectedVia()).isEqualTo(v4(first.port()).address());
        rc.send("before the move");
        assertThat(l.await(() -> l.texts().contains("before the move"), 20)).isTrue();
        first.close();
        assertThat(l.await(() -> !l.reconnects.isEmpty(), 20)).isTrue();
        // the same room (same key, same history) opens at the link's other address
        var moved = host(identity, InetAddress.getLoopbackAddress(), second, "moving");
        assertThat(l.await(() -> l.welcomes.size() == 2, 30))
                .as("reconnects: %s", l.reconnects)
                .isTrue();
        assertThat(rc.connectedVia()).isEqualTo(v4(moved.port()).address());
        assertThat(l.welcomes.getLast().resume()).isEqualTo(Joined.Resume.COMPLETE);
        rc.send("after the move");
        assertThat(l.await(() -> l.texts().contains("after the move"), 20)).isTrue();
        assertThat(l.texts()).containsOnlyOnce("before the move");
    }
}
